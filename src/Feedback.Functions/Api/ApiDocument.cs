using Feedback.Functions.AccessKeys;
using Feedback.Functions.Capture;
using Feedback.Functions.Http;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace Feedback.Functions.Api;

/// <summary>
/// The OpenAPI 3.1 document of the public API at <c>/openapi/v1.json</c>, and a browsable reference at <c>/scalar/v1</c>.
/// Endpoints describe themselves (typed results, route and query parameters); what a handler reads itself (a JSON body
/// through <see cref="JsonBody"/>, a device key header) and the problem+json errors every endpoint can answer are added
/// here, in one place, by <see cref="ApiContract"/>; the security schemes by <see cref="SecuritySchemes"/>.
/// </summary>
public static class ApiDocument
{
    public const string Name = "v1";
    public const string AdminKeyScheme = "adminKey";
    public const string DeviceKeyScheme = "deviceKey";
    public const string AccessKeyScheme = "accessKey";
    public const string ProblemJson = "application/problem+json";

    /// <summary>
    /// Registers the document. Call it last: when the build runs the app only to write docs/openapi.json
    /// (Microsoft.Extensions.ApiDescription.Server), nothing may start and placeholder settings stand in for real ones.
    /// </summary>
    public static WebApplicationBuilder AddApiDocument(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        if (IsBuildTimeGeneration)
        {
            services.RemoveAll<IHostedService>();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
                ["Admin:ApiKey"] = "build-time-placeholder-key",
                ["Tokens:ActiveKeyId"] = "build",
                ["Tokens:Keys:build"] = Convert.ToBase64String(new byte[32]),
                ["PublicBaseUrl"] = "https://feedback.example",
            });
        }

        services.AddSingleton<IApiDescriptionProvider, ApiContract>();
        services.AddOpenApi(Name, options =>
        {
            options.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1;
            options.AddDocumentTransformer<SecuritySchemes>();
            options.AddSchemaTransformer((schema, context, _) =>
            {
                JsonSchemas.Apply(schema, context.JsonTypeInfo.Type);
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                SecuritySchemes.Apply(operation, context);
                return Task.CompletedTask;
            });
        });
        return builder;
    }

    /// <summary>True when the build-time document tool, not a host, runs the app.</summary>
    public static bool IsBuildTimeGeneration => System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name == "GetDocument.Insider";

    public static IEndpointRouteBuilder MapApiDocument(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi("/openapi/{documentName}.json").WithName("OpenApiDocument");
        app.MapScalarApiReference("/scalar", options => options.WithTitle("Feedback API"));
        return app;
    }
}

/// <summary>Which endpoints take which credential, beyond the admin key that <see cref="AdminKeyFilter"/> marks.</summary>
internal static class Credentials
{
    /// <summary>Endpoints a kiosk or till calls with <c>X-Device-Key</c>; <c>Optional</c>: a QR token in the body serves too.</summary>
    public static readonly IReadOnlyDictionary<string, (bool Optional, bool OrAdmin)> DeviceKey = new Dictionary<string, (bool, bool)>
    {
        ["SubmitFeedback"] = (true, false),
        ["SubmitFeedbackBatch"] = (false, false),
        ["GetReward"] = (false, true),
        ["RedeemReward"] = (false, false),
        ["DeviceHeartbeat"] = (false, false),
        ["GetDeviceSigningKey"] = (false, false),
    };
}

/// <summary>The admin key and device key schemes, and which operation needs which.</summary>
internal sealed class SecuritySchemes : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Feedback API",
            Version = "v1",
            Description = "Customer feedback at the point of sale: answers, their status and reward, reward redemption, " +
                          "follow-up cases, webhooks and scores with their margins of error. Errors are RFC 9457 problem details.",
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[ApiDocument.AdminKeyScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = AdminKeyFilter.Header,
            Description = "The chain's admin key (setting Admin__ApiKey).",
        };
        document.Components.SecuritySchemes[ApiDocument.AccessKeyScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "A scoped access key (POST /api/access-keys) as Authorization: Bearer <key>; it reads only inside its scope.",
        };
        document.Components.SecuritySchemes[ApiDocument.DeviceKeyScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = ApiHeaders.DeviceKey,
            Description = "A kiosk's or till's key, shown once when the device is enrolled.",
        };
        return Task.CompletedTask;
    }

    public static void Apply(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var name = metadata.OfType<IEndpointNameMetadata>().LastOrDefault()?.EndpointName;
        var requirements = new List<OpenApiSecurityRequirement>();
        if (metadata.OfType<AdminKeyRequired>().Any())
        {
            requirements.Add(Requirement(ApiDocument.AdminKeyScheme, context.Document));
        }

        if (metadata.OfType<AccessKeyAccepted>().Any())
        {
            requirements.Add(Requirement(ApiDocument.AccessKeyScheme, context.Document));
        }

        if (name is not null && Credentials.DeviceKey.TryGetValue(name, out var device))
        {
            requirements.Add(Requirement(ApiDocument.DeviceKeyScheme, context.Document));
            if (device.OrAdmin)
            {
                requirements.Add(Requirement(ApiDocument.AdminKeyScheme, context.Document));
            }

            if (device.Optional)
            {
                // An empty requirement: the call may go without this header (a QR token in the body authenticates it).
                requirements.Add(new OpenApiSecurityRequirement());
            }
        }

        if (requirements.Count > 0)
        {
            operation.Security = requirements;
        }
    }

    private static OpenApiSecurityRequirement Requirement(string scheme, OpenApiDocument? document) =>
        new() { [new OpenApiSecuritySchemeReference(scheme, document)] = [] };
}

/// <summary>Schemas as the app reads and writes JSON, where the web defaults the generator assumes differ.</summary>
internal static class JsonSchemas
{
    public static void Apply(OpenApiSchema schema, Type type)
    {
        // Bodies are read with strict number handling (JsonBody.Options): a number is a JSON number, never a string.
        if (schema.Type is { } kind && (kind & (JsonSchemaType.Integer | JsonSchemaType.Number)) != 0 && (kind & JsonSchemaType.String) != 0)
        {
            schema.Type = kind & ~JsonSchemaType.String;
            schema.Pattern = null;
        }

        if (ApiContract.IsRequestBody(type))
        {
            schema.Required?.Clear();
        }
    }
}

/// <summary>Documents a batch body: each item is a <see cref="FeedbackRequest"/>, checked on its own.</summary>
internal sealed record FeedbackBatchRequest(IReadOnlyList<FeedbackRequest> Items);
