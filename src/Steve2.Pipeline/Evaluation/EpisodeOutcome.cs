using System.Text.Json.Serialization;
using Steve2.Pipeline.Evaluation.ImageMetric;

namespace Steve2.Pipeline.Evaluation;

/// <summary>
/// How one episode went. <see cref="Error"/> is null when the episode ran to its end (success or not);
/// otherwise it says what went wrong (the agent threw, timed out, the world could not be made) and the
/// episode counts as not successful, with no metrics.
/// </summary>
/// <param name="Trajectory">The recorded episode folder, when recording.</param>
/// <param name="Resumed">True when the result was read from an earlier complete recording instead of played.</param>
/// <param name="Creation">A played creation episode's built and target region grids, for the creation FID (ImageMetric/); not written to results.json.</param>
public sealed record EpisodeOutcome(
    string Agent,
    string Task,
    int Seed,
    bool Success,
    int Iterations,
    IReadOnlyDictionary<string, double> Metrics,
    string? Error,
    double Seconds,
    string? Trajectory,
    bool Resumed = false,
    [property: JsonIgnore] CreationGrids? Creation = null)
{
    public bool Failed => Error is not null;
}
