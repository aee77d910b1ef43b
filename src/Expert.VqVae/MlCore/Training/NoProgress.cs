namespace Expert.VqVae.MlCore.Training;

/// <summary>Progress that goes nowhere (tests, library callers that do not care).</summary>
public sealed class NoProgress : ITrainingProgress
{
    public static readonly NoProgress Instance = new();

    private NoProgress() { }

    public void Step(string stage, int step, int totalSteps, IReadOnlyDictionary<string, double> values) { }

    public void Message(string text) { }
}
