namespace Feedback.Functions.Hosting;

/// <summary>The app's function.json definitions and host.json queue settings, read once at start.</summary>
public sealed class FunctionCatalog
{
    public FunctionCatalog(string appRoot)
    {
        AppRoot = appRoot;
        Functions = FunctionDefinitions.Load(appRoot);
        QueueSettings = QueueSettings.Load(appRoot);
    }

    public string AppRoot { get; }

    internal IReadOnlyList<FunctionDefinition> Functions { get; }

    internal QueueSettings QueueSettings { get; }
}
