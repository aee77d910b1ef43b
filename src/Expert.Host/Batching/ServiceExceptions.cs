namespace Expert.Host.Batching;

/// <summary>A queue of the host is full: the caller should retry later (RESOURCE_EXHAUSTED).</summary>
internal sealed class QueueFullException(string queue, int limit)
    : Exception($"The {queue} queue is full ({limit} waiting): retry later with backoff.")
{
    public string Queue { get; } = queue;
    public int Limit { get; } = limit;
}

/// <summary>The model is not loaded (yet), or the host is stopping (UNAVAILABLE).</summary>
internal sealed class ModelNotReadyException(string message) : Exception(message);
