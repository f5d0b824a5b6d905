using Feedback.Functions.Configuration;
using Feedback.Functions.Health;
using Feedback.Functions.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddFunctionsHosting();
builder.Services.AddAppOptions(builder.Configuration);
builder.Services.AddProblemDetails();

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapHealthEndpoints();
app.MapFunctionInvocations();
app.Run();

public partial class Program;
