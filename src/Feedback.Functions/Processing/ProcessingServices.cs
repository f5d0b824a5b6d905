using Feedback.Functions.Hosting;

namespace Feedback.Functions.Processing;

public static class ProcessingServices
{
    /// <summary>Storing and counting each answer: the ProcessFeedback queue function.</summary>
    public static IServiceCollection AddProcessing(this IServiceCollection services) =>
        services.AddQueueFunction<ProcessFeedbackFunction>(ProcessFeedbackFunction.Name);
}
