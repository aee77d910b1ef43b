using Expert.Host.Options;
using Expert.Host.Telemetry;
using Microsoft.Extensions.Options;

namespace Expert.Host.Batching;

/// <summary>
/// Bounds the CPU work next to the model (rendering, build-order planning):
/// <see cref="RenderingOptions.MaxConcurrent"/> jobs at once. Calls that only render or plan are
/// refused with <see cref="QueueFullException"/> when <see cref="RenderingOptions.MaxQueue"/> are
/// already waiting; the renders of a generation that already passed the model queue always wait.
/// </summary>
internal sealed class CpuWorkLimiter : IDisposable
{
    private readonly SemaphoreSlim _slots;
    private readonly int _maxQueue;
    private readonly ExpertMetrics _metrics;
    private int _waiting;

    public CpuWorkLimiter(IOptions<RenderingOptions> options, ExpertMetrics metrics)
    {
        _slots = new SemaphoreSlim(options.Value.MaxConcurrent, options.Value.MaxConcurrent);
        _maxQueue = options.Value.MaxQueue;
        _metrics = metrics;
    }

    /// <summary>Waits for a slot; dispose the lease to give it back.</summary>
    /// <param name="refuseWhenFull">Throw <see cref="QueueFullException"/> instead of joining a full queue.</param>
    public async ValueTask<Lease> EnterAsync(bool refuseWhenFull, CancellationToken cancellationToken)
    {
        if (_slots.Wait(0)) return new Lease(_slots);
        if (refuseWhenFull)
        {
            while (true)
            {
                int waiting = Volatile.Read(ref _waiting);
                if (waiting >= _maxQueue)
                {
                    _metrics.Rejected("render");
                    throw new QueueFullException("render", _maxQueue);
                }
                if (Interlocked.CompareExchange(ref _waiting, waiting + 1, waiting) == waiting) break;
            }
        }
        else
        {
            Interlocked.Increment(ref _waiting);
        }
        try
        {
            await _slots.WaitAsync(cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
        return new Lease(_slots);
    }

    public void Dispose() => _slots.Dispose();

    /// <summary>One slot of the limiter.</summary>
    public readonly struct Lease(SemaphoreSlim slots) : IDisposable
    {
        public void Dispose() => slots?.Release();
    }
}
