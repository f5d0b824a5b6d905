using Feedback.Functions.Answers;
using Feedback.Functions.Hosting;

namespace Feedback.Functions.Processing;

public static class ProcessingServices
{
    /// <summary>Storing and counting each answer, with its reward: the ProcessFeedback queue function.</summary>
    public static IServiceCollection AddProcessing(this IServiceCollection services)
    {
        services.AddSingleton<StoreDayRows>();
        services.AddSingleton<DirtyMarks>();
        return services.AddQueueFunction<ProcessFeedbackFunction>(ProcessFeedbackFunction.Name);
    }
}
