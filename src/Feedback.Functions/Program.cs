using Feedback.Functions.Capture;
using Feedback.Functions.Configuration;
using Feedback.Functions.FollowUp;
using Feedback.Functions.Health;
using Feedback.Functions.Hosting;
using Feedback.Functions.Http;
using Feedback.Functions.Pages;
using Feedback.Functions.Processing;
using Feedback.Functions.Rewards;
using Feedback.Functions.Scores;
using Feedback.Functions.Stores;
using Feedback.Functions.Webhooks;

// One line per feature: its services (settings checked at start, queue and timer functions) and its endpoints.
var builder = WebApplication.CreateBuilder(args);
builder.AddFunctionsHosting();
builder.Logging.AddRequestLog();
builder.Services.AddAppOptions(builder.Configuration);
builder.Services.AddClientAddresses(builder.Configuration);
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<StorageUnavailableHandler>();
builder.Services.AddExceptionHandler<PageTokenRefusedHandler>();
builder.Services.AddStores();
builder.Services.AddCapture(builder.Configuration);
builder.Services.AddProcessing();
builder.Services.AddRewards(builder.Configuration);
builder.Services.AddScores(builder.Configuration);
builder.Services.AddFollowUp(builder.Configuration);
builder.Services.AddWebhooks(builder.Configuration);
builder.Services.AddPages();

var app = builder.Build();
app.UseForwardedHeaders();
app.UseRequestLog();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapHealthEndpoints();
app.MapStoreEndpoints();
app.MapFeedbackEndpoints();
app.MapRewardEndpoints();
app.MapScoresEndpoints();
app.MapCaseEndpoints();
app.MapWebhookEndpoints();
app.MapPages();
app.MapFunctionInvocations();
app.Run();

public partial class Program;
