namespace Steve2.Pipeline.Evaluation;

/// <summary>How the harness runs its episodes.</summary>
public sealed record EvaluationOptions
{
    /// <summary>Episodes run at once (1..256); by default one per core.</summary>
    public int DegreeOfParallelism { get; init; } = System.Environment.ProcessorCount;

    /// <summary>When set, every episode's trajectory is recorded under this folder (Trajectories/TRAJECTORY_FORMAT.md).</summary>
    public string? RecordDirectory { get; init; }

    /// <summary>
    /// With recording: an episode already recorded complete is not played again; its result is read from
    /// its manifest (so an interrupted <c>steve2 record</c> resumes). Without it, such an episode fails.
    /// </summary>
    public bool ResumeRecorded { get; init; }

    /// <summary>An episode still running after this long is cancelled and reported as failed.</summary>
    public TimeSpan EpisodeTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Throws with what to change when a setting is out of range.</summary>
    public EvaluationOptions Validated()
    {
        if (DegreeOfParallelism is < 1 or > 256)
            throw new ArgumentException($"The degree of parallelism must be in 1..256, got {DegreeOfParallelism}: pass --parallel N.");
        if (EpisodeTimeout <= TimeSpan.Zero)
            throw new ArgumentException($"The episode timeout must be positive, got {EpisodeTimeout}.");
        if (ResumeRecorded && RecordDirectory is null)
            throw new ArgumentException("Resuming needs a record directory.");
        return this;
    }
}
