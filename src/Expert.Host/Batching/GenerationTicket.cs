using Expert.VqVae.Inference;

namespace Expert.Host.Batching;

/// <summary>What one request got from its model call.</summary>
/// <param name="Result">The request's own grids (never a batch mate's).</param>
/// <param name="QueueTime">From enqueue to the start of the model call.</param>
/// <param name="ModelTime">The model call's wall time (shared by the batch).</param>
/// <param name="BatchSize">Requests in the model call.</param>
internal sealed record BatchOutcome(GenerationResult Result, TimeSpan QueueTime, TimeSpan ModelTime, int BatchSize);

/// <summary>A request accepted by <see cref="GenerationBatcher"/>.</summary>
internal sealed class GenerationTicket
{
    internal GenerationTicket(int queuePosition, Task<int> started, Task<BatchOutcome> completion)
    {
        QueuePosition = queuePosition;
        Started = started;
        Completion = completion;
    }

    /// <summary>Requests that were waiting when this one arrived.</summary>
    public int QueuePosition { get; }

    /// <summary>Completes with the batch size when the request's model call starts.</summary>
    public Task<int> Started { get; }

    /// <summary>The request's result; cancelled when the request's token fires.</summary>
    public Task<BatchOutcome> Completion { get; }
}
