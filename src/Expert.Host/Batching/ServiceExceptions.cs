namespace Expert.Host.Batching;

/// <summary>
/// A limit of the host is reached: the caller should retry later (RESOURCE_EXHAUSTED with
/// google.rpc.ErrorInfo <see cref="Reason"/> and RetryInfo <see cref="RetryAfter"/>). A full queue
/// (<c>QUEUE_FULL</c>), or a refusal by cost (<see cref="AdmissionController"/>).
/// </summary>
internal sealed class QueueFullException : Exception
{
    public QueueFullException(string queue, long limit)
        : this(queue, limit, $"The {queue} queue is full ({limit} waiting): retry later with backoff.", "QUEUE_FULL", TimeSpan.FromMilliseconds(200))
    {
    }

    public QueueFullException(string queue, long limit, string message, string reason, TimeSpan retryAfter) : base(message)
    {
        Queue = queue;
        Limit = limit;
        Reason = reason;
        RetryAfter = retryAfter;
    }

    public string Queue { get; }

    public long Limit { get; }

    /// <summary>google.rpc.ErrorInfo reason: QUEUE_FULL, DEADLINE_UNREACHABLE, WORK_BUDGET, RENDER_PIXEL_BUDGET.</summary>
    public string Reason { get; }

    /// <summary>When a retry has a chance (google.rpc.RetryInfo).</summary>
    public TimeSpan RetryAfter { get; }
}

/// <summary>The model is not loaded (yet), or the host is stopping (UNAVAILABLE).</summary>
internal sealed class ModelNotReadyException(string message) : Exception(message);
