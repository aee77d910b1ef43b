namespace Expert.Host.Options;

/// <summary>
/// How generation requests share the model. Section <c>Batching</c>. Requests that arrive within
/// <see cref="BatchWindowMs"/> of the first waiting one go to the model together, up to
/// <see cref="MaxBatch"/>; at most <see cref="MaxConcurrentBatches"/> model calls run at once; at
/// most <see cref="MaxQueue"/> requests wait, and the next one is refused with RESOURCE_EXHAUSTED.
/// </summary>
internal sealed class BatchingOptions
{
    public const string Section = "Batching";

    public const int MaxBatchLimit = 64;

    /// <summary>Largest number of requests in one model call (1 turns batching off).</summary>
    public int MaxBatch { get; set; } = 8;

    /// <summary>How long the first waiting request waits for batch mates, in milliseconds (0: no wait).</summary>
    public int BatchWindowMs { get; set; } = 5;

    /// <summary>Requests that may wait for a model call; one more is refused at once.</summary>
    public int MaxQueue { get; set; } = 64;

    /// <summary>Model calls that may run at the same time (1 on a small CPU: calls use every core).</summary>
    public int MaxConcurrentBatches { get; set; } = 1;

    /// <summary>
    /// Admit requests by estimated cost and deadline (Batching.AdmissionController); false keeps only
    /// the count limits (<see cref="MaxQueue"/>), as before issue 12 (for A/B measurements).
    /// </summary>
    public bool CostAdmission { get; set; } = true;

    /// <summary>
    /// Estimated seconds of work (queued + running, the request's own included) the host takes on; past it a request
    /// is refused at once. A heavier request is so admitted only while less work is queued, which keeps room for
    /// lighter ones: set it at or below the shortest deadline that light callers use.
    /// </summary>
    public double MaxQueuedWorkSeconds { get; set; } = 2.5;

    /// <summary>Seed of the running estimate of model seconds per generation unit (one sample, one decoding step).</summary>
    public double SecondsPerGenerationUnit { get; set; } = 0.006;

    /// <summary>Weight of each new measurement in the running estimates (0..1]: 0.2 follows a change within about ten batches.</summary>
    public double EstimateSmoothing { get; set; } = 0.2;

    /// <summary>Seconds without work after which the host gives memory back (full compacting GC, malloc_trim); 0 turns it off.</summary>
    public int IdleTrimSeconds { get; set; } = 10;

    /// <summary>glibc malloc arenas (mallopt M_ARENA_MAX) set at start; 0 leaves glibc's default (8 per core).</summary>
    public int MallocArenaMax { get; set; } = 2;
}
