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

    /// <summary>
    /// When set, an episode during which an expert call found no host (<see cref="Experts.ExpertOutage"/>: the host down or
    /// restarting) fails instead of being kept: its trajectory is not written, and with <see cref="ResumeRecorded"/> the
    /// next run plays it again with the experts. <c>steve2 record</c> sets it, so recorded teacher data never holds
    /// episodes played partly without the experts because of an outage; <c>eval</c> keeps such episodes (the teacher plays on).
    /// </summary>
    public bool FailOnExpertOutage { get; init; }

    /// <summary>An episode still running after this long is cancelled and reported as failed.</summary>
    public TimeSpan EpisodeTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Caps every episode's iteration budget (smoke tests and quick looks). Results under a cap are not
    /// comparable with full-budget ones; the report says so. Null: the tasks' own budgets.
    /// </summary>
    public int? MaxIterations { get; init; }

    /// <summary>
    /// Plays only this shard of the planned episodes (<see cref="Evaluation.Shard"/>: position i of the plan is shard
    /// i % N's); the default is every episode. Shards write disjoint episode folders and reports that
    /// <see cref="EvaluationMerge"/> joins.
    /// </summary>
    public Shard Shard { get; init; } = Shard.All;

    /// <summary>Throws with what to change when a setting is out of range.</summary>
    public EvaluationOptions Validated()
    {
        if (DegreeOfParallelism is < 1 or > 256)
            throw new ArgumentException($"The degree of parallelism must be in 1..256, got {DegreeOfParallelism}: pass --parallel N.");
        if (EpisodeTimeout <= TimeSpan.Zero)
            throw new ArgumentException($"The episode timeout must be positive, got {EpisodeTimeout}.");
        if (MaxIterations is < 1)
            throw new ArgumentException($"The iteration cap must be at least 1, got {MaxIterations}: pass --max-iterations N or leave it out.");
        if (ResumeRecorded && RecordDirectory is null)
            throw new ArgumentException("Resuming needs a record directory.");
        return this;
    }

    /// <summary>How the student agent plays (its checkpoint, device, sampling); null: the shipped checkpoint, greedy, device auto.</summary>
    public Student.Inference.StudentAgentOptions? Student { get; init; }
}
