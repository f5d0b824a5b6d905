using Feedback.Functions.AccessKeys;
using Feedback.Functions.Capture;
using Feedback.Functions.Devices;
using Feedback.Functions.FollowUp;
using Feedback.Functions.Http;
using Feedback.Functions.Privacy;
using Feedback.Functions.Segments;
using Feedback.Functions.Stores;
using Feedback.Functions.Webhooks;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Feedback.Functions.Api;

/// <summary>
/// Adds to each public endpoint's API description what its handler does itself: the JSON body it reads, a success
/// response an <see cref="IResult"/> handler cannot declare, and the problem+json errors it can answer.
/// </summary>
internal sealed class ApiContract : IApiDescriptionProvider
{
    private static readonly Dictionary<string, Type> Bodies = new(StringComparer.Ordinal)
    {
        ["SubmitFeedback"] = typeof(FeedbackRequest),
        ["SubmitFeedbackBatch"] = typeof(FeedbackBatchRequest),
        ["PutStore"] = typeof(StoreRequest),
        ["PutSegments"] = typeof(SegmentsRequest),
        ["EnrollDevice"] = typeof(DeviceRequest),
        ["MintToken"] = typeof(TokenRequest),
        ["UpdateCase"] = typeof(CaseUpdateRequest),
        ["PutFollowUpPolicy"] = typeof(FollowUpPolicyRequest),
        ["PutWebhook"] = typeof(WebhookRequest),
        ["DeviceHeartbeat"] = typeof(HeartbeatRequest),
        ["ErasePersonalData"] = typeof(PersonalDataRequest),
        ["ExportPersonalData"] = typeof(PersonalDataRequest),
        ["CreateAccessKey"] = typeof(AccessKeyRequest),
    };

    /// <summary>Successes a handler cannot declare in its return type (an <see cref="IResult"/>, a file, HTML).</summary>
    private static readonly Dictionary<string, (int Status, Type Type, string[] MediaTypes)> Successes = new(StringComparer.Ordinal)
    {
        ["SubmitFeedback"] = (StatusCodes.Status202Accepted, typeof(FeedbackAccepted), ["application/json"]),
        ["GetStoreQr"] = (StatusCodes.Status200OK, typeof(byte[]), ["image/svg+xml", "image/png"]),
        ["GetStorePoster"] = (StatusCodes.Status200OK, typeof(string), ["text/html"]),
        ["GetRewardQr"] = (StatusCodes.Status200OK, typeof(byte[]), ["image/svg+xml"]),
    };

    /// <summary>Request types: their members are all optional to the reader, which validates them and names the field.</summary>
    public static bool IsRequestBody(Type type) => Bodies.ContainsValue(type) || type == typeof(ContactRequest) || type == typeof(SegmentQuestion) || type == typeof(SegmentOption);

    /// <summary>Errors particular to an endpoint, beyond those every endpoint of its kind answers.</summary>
    private static readonly Dictionary<string, int[]> Errors = new(StringComparer.Ordinal)
    {
        ["SubmitFeedback"] = [403, 409, 429],
        ["SubmitFeedbackBatch"] = [429],
        ["GetReward"] = [403, 429],
        ["RedeemReward"] = [403, 409, 410, 429],
        ["UpdateCase"] = [409],
        ["ReplayWebhookDelivery"] = [409],
        ["GetDeviceSigningKey"] = [403],
    };

    public int Order => 0;

    public void OnProvidersExecuting(ApiDescriptionProviderContext context)
    {
    }

    public void OnProvidersExecuted(ApiDescriptionProviderContext context)
    {
        foreach (var description in context.Results)
        {
            var metadata = description.ActionDescriptor.EndpointMetadata;
            if (metadata.OfType<IEndpointNameMetadata>().LastOrDefault()?.EndpointName is not { } name)
            {
                continue;
            }

            var hasBody = Bodies.TryGetValue(name, out var body);
            if (hasBody && !description.ParameterDescriptions.Any(p => p.Source == BindingSource.Body))
            {
                description.ParameterDescriptions.Add(new ApiParameterDescription
                {
                    Name = "body",
                    Source = BindingSource.Body,
                    Type = body!,
                    IsRequired = true,
                });
                description.SupportedRequestFormats.Add(new ApiRequestFormat { MediaType = "application/json" });
            }

            if (Successes.TryGetValue(name, out var success))
            {
                // A handler returning IResult or a file result is described as a bare 200; the real answer replaces it.
                foreach (var bare in description.SupportedResponseTypes.Where(r => r.StatusCode == success.Status || (r.StatusCode == 200 && (r.Type is null || r.Type == typeof(void)))).ToList())
                {
                    description.SupportedResponseTypes.Remove(bare);
                }

                AddResponse(description, success.Status, success.Type, success.MediaTypes);
            }

            var secured = metadata.OfType<AdminKeyRequired>().Any() || Credentials.DeviceKey.ContainsKey(name);
            var errors = new SortedSet<int> { StatusCodes.Status503ServiceUnavailable };
            if (hasBody)
            {
                errors.UnionWith([400, 413, 415]);
            }

            if (description.ParameterDescriptions.Any(p => p.Source == BindingSource.Query))
            {
                errors.Add(400);
            }

            if (secured)
            {
                errors.Add(401);
            }

            if (metadata.OfType<AccessKeyAccepted>().Any())
            {
                errors.Add(403);
            }

            if (description.ParameterDescriptions.Any(p => p.Source == BindingSource.Path))
            {
                errors.Add(404);
            }

            errors.UnionWith(Errors.GetValueOrDefault(name, []));
            foreach (var status in errors)
            {
                AddResponse(description, status, typeof(ProblemDetails), ApiDocument.ProblemJson);
            }
        }
    }

    private static void AddResponse(ApiDescription description, int status, Type type, params string[] mediaTypes)
    {
        if (description.SupportedResponseTypes.Any(r => r.StatusCode == status))
        {
            return;
        }

        description.SupportedResponseTypes.Add(new ApiResponseType
        {
            StatusCode = status,
            Type = type,
            ApiResponseFormats = [.. mediaTypes.Select(m => new ApiResponseFormat { MediaType = m })],
        });
    }
}
