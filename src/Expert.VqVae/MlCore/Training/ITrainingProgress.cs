namespace Expert.VqVae.MlCore.Training;

/// <summary>
/// Where a trainer reports progress: every step with its values, and free-text messages. The CLI
/// prints lines or draws a progress bar (<see cref="LineProgress"/>), tests stay quiet
/// (<see cref="NoProgress"/>) or cancel at a chosen step. Called on the training thread; an
/// implementation must be quick (it runs between steps).
/// </summary>
public interface ITrainingProgress
{
    /// <summary>Step <paramref name="step"/> (1-based) of <paramref name="totalSteps"/> of <paramref name="stage"/> is done.</summary>
    void Step(string stage, int step, int totalSteps, IReadOnlyDictionary<string, double> values);

    /// <summary>A line for the user: what the trainer is doing, what it resumed from, where it wrote.</summary>
    void Message(string text);
}
