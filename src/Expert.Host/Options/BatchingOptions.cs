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
}
