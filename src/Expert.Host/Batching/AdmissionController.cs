using Expert.Host.Options;
using Expert.Host.Telemetry;
using Microsoft.Extensions.Options;

namespace Expert.Host.Batching;

/// <summary>
/// Admits requests by their estimated cost, not their number (issue 12). It keeps the estimated
/// seconds of every admitted request that has not finished (queued or running, model and CPU work
/// apart) and the render units (<see cref="RequestCost.RenderUnits"/>: pixels drawn + grid cells) still to draw, and refuses a new request at once
/// (<see cref="QueueFullException"/>, RESOURCE_EXHAUSTED with RetryInfo) when
/// <list type="bullet">
/// <item>its call has a deadline and the estimated completion (the work ahead of it, then its own)
/// falls after it: reason <c>DEADLINE_UNREACHABLE</c>, retry after the time the backlog needs to
/// shrink enough;</item>
/// <item>the work ahead plus its own exceeds <see cref="BatchingOptions.MaxQueuedWorkSeconds"/>:
/// reason <c>WORK_BUDGET</c>;</item>
/// <item>the render units ahead plus its own exceed <see cref="RenderingOptions.MaxRenderMegapixels"/>:
/// reason <c>RENDER_PIXEL_BUDGET</c>.</item>
/// </list>
/// A request with nothing ahead of it is never refused by a budget (it could never run otherwise),
/// only by its deadline. With <see cref="BatchingOptions.CostAdmission"/> false the costs are kept
/// but nothing is refused (the count limits of the queues still apply).
/// Estimated completion = model work ahead / <see cref="BatchingOptions.MaxConcurrentBatches"/> +
/// own model work + (CPU work ahead + own) / <see cref="RenderingOptions.MaxConcurrent"/>.
/// </summary>
internal sealed class AdmissionController
{
    private static readonly TimeSpan MinRetry = TimeSpan.FromMilliseconds(200);

    private readonly ICostEstimator _estimator;
    private readonly TimeProvider _clock;
    private readonly ExpertMetrics? _metrics;
    private readonly Lock _lock = new();
    private readonly bool _enforce;
    private readonly double _maxWorkSeconds;
    private readonly long _maxPixels;
    private readonly int _modelParallel;
    private readonly int _cpuParallel;
    private double _modelAhead;
    private double _cpuAhead;
    private long _pixelsAhead;
    private int _outstanding;
    private long _idleSince;

    public AdmissionController(ICostEstimator estimator, TimeProvider clock, IOptions<BatchingOptions> batching,
        IOptions<RenderingOptions> rendering, ExpertMetrics? metrics = null)
    {
        _estimator = estimator;
        _clock = clock;
        _metrics = metrics;
        BatchingOptions b = batching.Value;
        RenderingOptions r = rendering.Value;
        _enforce = b.CostAdmission;
        _maxWorkSeconds = b.MaxQueuedWorkSeconds;
        _maxPixels = (long)(r.MaxRenderMegapixels * 1e6);
        _modelParallel = b.MaxConcurrentBatches;
        _cpuParallel = r.MaxConcurrent;
        _idleSince = clock.GetTimestamp();
    }

    /// <summary>Estimated seconds until the work admitted so far is done.</summary>
    public double SecondsAhead
    {
        get { lock (_lock) return _modelAhead / _modelParallel + _cpuAhead / _cpuParallel; }
    }

    /// <summary>Pixels of admitted renders not drawn yet.</summary>
    public long RenderUnitsAhead
    {
        get { lock (_lock) return _pixelsAhead; }
    }

    /// <summary>Admitted requests not finished.</summary>
    public int Outstanding => Volatile.Read(ref _outstanding);

    /// <summary>How long nothing has been admitted or outstanding (zero while work is outstanding).</summary>
    public TimeSpan IdleFor
    {
        get
        {
            lock (_lock) return _outstanding > 0 ? TimeSpan.Zero : _clock.GetElapsedTime(_idleSince);
        }
    }

    /// <summary>The completion a request of <paramref name="cost"/> would get if admitted now, in seconds.</summary>
    public double EstimateCompletion(RequestCost cost)
    {
        double ownModel = _estimator.ModelSeconds(cost.GenerationUnits);
        double ownCpu = _estimator.CpuSeconds(cost);
        lock (_lock) return Completion(ownModel, ownCpu);
    }

    private double Completion(double ownModel, double ownCpu) =>
        _modelAhead / _modelParallel + ownModel + (_cpuAhead + ownCpu) / _cpuParallel;

    /// <summary>Admits a request or throws <see cref="QueueFullException"/>; dispose the lease when the call ends.</summary>
    /// <param name="deadline">The call's deadline (UTC); <see cref="DateTime.MaxValue"/> for none.</param>
    /// <param name="queue">Names the refusing limit in errors and metrics (<c>model</c>, <c>render</c>).</param>
    public AdmissionLease Admit(RequestCost cost, DateTime deadline, string queue = "model")
    {
        double ownModel = _estimator.ModelSeconds(cost.GenerationUnits);
        double ownCpu = _estimator.CpuSeconds(cost);
        lock (_lock)
        {
            if (_enforce) Check(cost, deadline, ownModel, ownCpu, queue);
            _modelAhead += ownModel;
            _cpuAhead += ownCpu;
            _pixelsAhead += cost.RenderUnits;
            _outstanding++;
        }
        return new AdmissionLease(this, ownModel, ownCpu, cost.RenderUnits);
    }

    private void Check(RequestCost cost, DateTime deadline, double ownModel, double ownCpu, string queue)
    {
        double ahead = _modelAhead / _modelParallel + _cpuAhead / _cpuParallel;
        double completion = Completion(ownModel, ownCpu);
        if (deadline != DateTime.MaxValue)
        {
            double left = (deadline - _clock.GetUtcNow().UtcDateTime).TotalSeconds;
            if (completion > left)
            {
                // Retry once the work ahead has shrunk by the excess (never sooner than MinRetry).
                TimeSpan retry = Max(MinRetry, TimeSpan.FromSeconds(Math.Min(completion - left, ahead)));
                Refuse(queue, "DEADLINE_UNREACHABLE", (long)Math.Ceiling(left * 1000), retry,
                    $"The {queue} work ahead ({ahead:F2} s) and this request's ({completion - ahead:F2} s) would finish " +
                    $"in about {completion:F2} s, after the call's deadline ({Math.Max(0, left):F2} s): refused at once; " +
                    "retry later, with a longer deadline, or with a lighter request.");
            }
        }
        if (ahead > 0 && completion > _maxWorkSeconds)
        {
            Refuse(queue, "WORK_BUDGET", (long)_maxWorkSeconds, Max(MinRetry, TimeSpan.FromSeconds(completion - _maxWorkSeconds)),
                $"The host has {ahead:F2} s of {queue} work queued; this request's {completion - ahead:F2} s would pass the " +
                $"budget of {_maxWorkSeconds:F2} s (Batching:MaxQueuedWorkSeconds): retry later with backoff.");
        }
        if (_pixelsAhead > 0 && _pixelsAhead + cost.RenderUnits > _maxPixels)
        {
            Refuse(queue, "RENDER_PIXEL_BUDGET", _maxPixels, Max(MinRetry, TimeSpan.FromSeconds(_cpuAhead / _cpuParallel)),
                $"{_pixelsAhead / 1e6:F1} M render units (pixels drawn + grid cells) are queued; this request's {cost.RenderUnits / 1e6:F1} would pass " +
                $"the budget of {_maxPixels / 1e6:F1} (Rendering:MaxRenderMegapixels): retry later with backoff.");
        }
    }

    private void Refuse(string queue, string reason, long limit, TimeSpan retryAfter, string message)
    {
        _metrics?.Rejected(queue);
        throw new QueueFullException(queue, limit, message, reason, retryAfter);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private void Release(double model, double cpu, long pixels, bool last)
    {
        lock (_lock)
        {
            _modelAhead = Math.Max(0, _modelAhead - model);
            _cpuAhead = Math.Max(0, _cpuAhead - cpu);
            _pixelsAhead = Math.Max(0, _pixelsAhead - pixels);
            if (last && --_outstanding == 0)
            {
                _modelAhead = _cpuAhead = 0; // no drift from rounding once everything is done
                _pixelsAhead = 0;
                _idleSince = _clock.GetTimestamp();
            }
        }
    }

    /// <summary>An admitted request's share of the backlog, given back in parts as its work finishes.</summary>
    internal sealed class AdmissionLease(AdmissionController owner, double modelSeconds, double cpuSeconds, long pixels) : IDisposable
    {
        private double _model = modelSeconds;
        private double _cpu = cpuSeconds;
        private long _pixels = pixels;
        private int _disposed;

        /// <summary>The model call is over: its work leaves the backlog.</summary>
        public void ModelDone()
        {
            double model = Interlocked.Exchange(ref _model, 0);
            if (Volatile.Read(ref _disposed) == 0) owner.Release(model, 0, 0, last: false);
        }

        /// <summary>Renders of <paramref name="donePixels"/> pixels are drawn (or will not be).</summary>
        public void RenderDone(long donePixels)
        {
            long pixels = Math.Min(donePixels, Interlocked.Read(ref _pixels));
            Interlocked.Add(ref _pixels, -pixels);
            if (Volatile.Read(ref _disposed) == 0) owner.Release(0, 0, pixels, last: false);
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
            owner.Release(Interlocked.Exchange(ref _model, 0), Interlocked.Exchange(ref _cpu, 0), Interlocked.Exchange(ref _pixels, 0), last: true);
        }
    }
}
