using System.Diagnostics;
using System.Threading.Channels;
using Expert.Host.Model;
using Expert.Host.Options;
using Expert.Host.Telemetry;
using Expert.VqVae.Inference;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace Expert.Host.Batching;

/// <summary>
/// The dynamic batcher: requests that arrive close together go to the model in one
/// <see cref="IOccupancyGenerator.Generate"/> call.
/// <list type="bullet">
/// <item>When a model slot is free, the oldest waiting request opens a batch; the batch takes the
/// requests that arrive until <see cref="BatchingOptions.BatchWindowMs"/> after the opener arrived,
/// up to <see cref="BatchingOptions.MaxBatch"/>. Under load the window has long passed, so the
/// batch takes what is waiting at once: no request waits for the window behind a busy model.</item>
/// <item>A request's grids do not depend on its batch mates (the generator guarantees it). If a
/// batch's model call fails, its requests run again one by one, so only a failing one fails.</item>
/// <item>At most <see cref="BatchingOptions.MaxQueue"/> requests wait; one more is refused at once
/// with <see cref="QueueFullException"/>.</item>
/// <item>A waiting request whose token fires leaves the queue and never reaches the model. A batch
/// whose every request was cancelled has its model call cancelled. A waiting request whose deadline
/// has passed when a batch is gathered is answered DEADLINE_EXCEEDED and never reaches the model
/// either (the call's token fires on the deadline too, but a timer may fire late).</item>
/// <item>Each model call's time is reported to the <see cref="ICostEstimator"/>, per generation unit
/// (samples x decoding steps), so admission follows the measured throughput.</item>
/// </list>
/// </summary>
internal sealed class GenerationBatcher : BackgroundService
{
    private readonly ModelHolder _model;
    private readonly IOptions<BatchingOptions> _optionsAccessor;
    private readonly ExpertMetrics _metrics;
    private readonly ILogger<GenerationBatcher> _logger;
    private readonly ICostEstimator _estimator;
    private readonly TimeProvider _clock;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lazy<SemaphoreSlim> _modelSlots;
    private int _waiting;

    public GenerationBatcher(ModelHolder model, IOptions<BatchingOptions> options, ExpertMetrics metrics, ILogger<GenerationBatcher> logger,
        ICostEstimator estimator, TimeProvider clock)
    {
        _estimator = estimator;
        _clock = clock;
        _model = model;
        _optionsAccessor = options; // read at start, after the options were validated
        _metrics = metrics;
        _logger = logger;
        _modelSlots = new Lazy<SemaphoreSlim>(() => new SemaphoreSlim(Options.MaxConcurrentBatches, Options.MaxConcurrentBatches));
    }

    private BatchingOptions Options => _optionsAccessor.Value;

    private SemaphoreSlim Slots => _modelSlots.Value;

    private TimeSpan Window => TimeSpan.FromMilliseconds(Options.BatchWindowMs);

    /// <summary>Requests waiting for a model call now.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>
    /// Queues one request. Throws <see cref="ModelNotReadyException"/> before the model is loaded
    /// and <see cref="QueueFullException"/> when the queue is full; never blocks.
    /// </summary>
    /// <param name="deadline">The call's deadline (UTC), <see cref="DateTime.MaxValue"/> for none.</param>
    public GenerationTicket Enqueue(GenerationRequest request, CancellationToken cancellationToken, DateTime deadline = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_model.Generator is null) throw new ModelNotReadyException(_model.StatusMessage);

        int position;
        while (true)
        {
            position = Volatile.Read(ref _waiting);
            if (position >= Options.MaxQueue)
            {
                _metrics.Rejected("model");
                throw new QueueFullException("model", Options.MaxQueue);
            }
            if (Interlocked.CompareExchange(ref _waiting, position + 1, position) == position) break;
        }

        var pending = new Pending(this, request, cancellationToken, deadline == default ? DateTime.MaxValue : deadline).Observed();
        _metrics.Enqueued();
        pending.WatchCancellation();
        if (!_queue.Writer.TryWrite(pending))
        {
            if (pending.TryStart())
            {
                Interlocked.Decrement(ref _waiting);
                _metrics.LeftQueueCancelled();
            }
            pending.Cancel();
            throw new ModelNotReadyException("The host is stopping.");
        }
        return new GenerationTicket(position, pending.Started.Task, pending.Done.Task);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Slots.WaitAsync(stoppingToken);
                List<Pending> batch;
                try
                {
                    batch = await GatherAsync(stoppingToken);
                }
                catch
                {
                    Slots.Release();
                    throw;
                }
                _ = RunBatchAsync(batch, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            _queue.Writer.TryComplete();
            while (_queue.Reader.TryRead(out Pending? left))
            {
                if (left.TryStart())
                {
                    Interlocked.Decrement(ref _waiting);
                    _metrics.LeftQueueCancelled();
                    left.Fail(new ModelNotReadyException("The host is stopping."));
                }
            }
        }
    }

    /// <summary>Waits for an opener, then for mates until the window closes or the batch is full.</summary>
    private async Task<List<Pending>> GatherAsync(CancellationToken stoppingToken)
    {
        Pending opener;
        do
        {
            opener = await _queue.Reader.ReadAsync(stoppingToken);
        }
        while (!TakeFromQueue(opener));

        var batch = new List<Pending>(Options.MaxBatch) { opener };
        while (batch.Count < Options.MaxBatch)
        {
            if (_queue.Reader.TryRead(out Pending? next))
            {
                if (TakeFromQueue(next)) batch.Add(next);
                continue;
            }
            TimeSpan left = Window - Stopwatch.GetElapsedTime(opener.EnqueuedAt);
            if (left <= TimeSpan.Zero) break;
            using var windowClosed = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            windowClosed.CancelAfter(left);
            try
            {
                if (!await _queue.Reader.WaitToReadAsync(windowClosed.Token)) break;
            }
            catch (OperationCanceledException)
            {
                break; // the window closed, or the host is stopping: run what was gathered (it is cancelled with the host)
            }
        }
        return batch;
    }

    private bool TakeFromQueue(Pending pending)
    {
        if (!pending.TryStart()) return false; // cancelled while waiting: already left the queue
        Interlocked.Decrement(ref _waiting);
        if (pending.Deadline != DateTime.MaxValue && _clock.GetUtcNow().UtcDateTime >= pending.Deadline)
        {
            _metrics.LeftQueueCancelled();
            pending.Fail(new RpcException(new Status(StatusCode.DeadlineExceeded, "The call's deadline passed while it waited; the model never ran for it.")));
            return false;
        }
        _metrics.Dequeued(Stopwatch.GetElapsedTime(pending.EnqueuedAt).TotalMilliseconds);
        return true;
    }

    private async Task RunBatchAsync(List<Pending> batch, CancellationToken stoppingToken)
    {
        try
        {
            using var cancellation = new BatchCancellation(batch, stoppingToken);
            IOccupancyGenerator generator = _model.Generator
                ?? throw new InvalidOperationException("A batch ran before the model was loaded.");
            long started = Stopwatch.GetTimestamp();
            foreach (Pending p in batch) p.Started.TrySetResult(batch.Count);
            try
            {
                GenerationRequest[] requests = batch.Select(p => p.Request).ToArray();
                IReadOnlyList<GenerationResult> results =
                    await Task.Run(() => generator.Generate(requests, cancellation.Token), CancellationToken.None);
                TimeSpan modelTime = Stopwatch.GetElapsedTime(started);
                if (results.Count != batch.Count)
                    throw new InvalidOperationException($"The model answered {results.Count} results for a batch of {batch.Count}.");
                _metrics.BatchRan(batch.Count, modelTime.TotalMilliseconds);
                _estimator.ObserveModel(batch.Sum(p => Units(p.Request)), modelTime);
                _logger.BatchRan(batch.Count, modelTime.TotalMilliseconds);
                for (int i = 0; i < batch.Count; i++)
                    batch[i].Succeed(new BatchOutcome(results[i], batch[i].QueueTime(started), modelTime, batch.Count));
            }
            catch (OperationCanceledException) when (cancellation.Token.IsCancellationRequested)
            {
                foreach (Pending p in batch) p.Cancel();
            }
            catch (Exception e) when (batch.Count > 1)
            {
                _logger.BatchFailedRetryingAlone(e, batch.Count);
                await RunAloneAsync(generator, batch, started, stoppingToken);
            }
            catch (Exception e)
            {
                _logger.BatchFailed(e);
                batch[0].Fail(e);
            }
        }
        catch (Exception e)
        {
            _logger.BatchFailed(e);
            foreach (Pending p in batch) p.Fail(e);
        }
        finally
        {
            Slots.Release();
        }
    }

    private async Task RunAloneAsync(IOccupancyGenerator generator, List<Pending> batch, long batchStarted, CancellationToken stoppingToken)
    {
        foreach (Pending p in batch)
        {
            if (p.Done.Task.IsCompleted) continue;
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(p.Token, stoppingToken);
            long started = Stopwatch.GetTimestamp();
            try
            {
                IReadOnlyList<GenerationResult> results =
                    await Task.Run(() => generator.Generate([p.Request], linked.Token), CancellationToken.None);
                TimeSpan modelTime = Stopwatch.GetElapsedTime(started);
                _metrics.BatchRan(1, modelTime.TotalMilliseconds);
                _estimator.ObserveModel(Units(p.Request), modelTime);
                if (results.Count != 1) throw new InvalidOperationException($"The model answered {results.Count} results for one request.");
                p.Succeed(new BatchOutcome(results[0], p.QueueTime(batchStarted), modelTime, 1));
            }
            catch (OperationCanceledException) when (linked.IsCancellationRequested)
            {
                p.Cancel();
            }
            catch (Exception e)
            {
                _logger.BatchFailed(e);
                p.Fail(e);
            }
        }
    }

    private static long Units(GenerationRequest request) =>
        RequestCost.ForGeneration(request.Sampling, 0, VqVae.Rendering.RenderOptions.Default, false, false).GenerationUnits;

    // The model slots are not disposed: a batch still running while the host stops releases its slot after
    // Dispose (a SemaphoreSlim holds no native handle unless AvailableWaitHandle is used, which it is not here).

    /// <summary>One request in the queue or in a model call.</summary>
    private sealed class Pending(GenerationBatcher owner, GenerationRequest request, CancellationToken token, DateTime deadline)
    {
        private const int StateWaiting = 0;
        private const int StateTaken = 1;
        private const int StateCancelled = 2;
        private int _state;
        private CancellationTokenRegistration _registration;

        public GenerationRequest Request { get; } = request;
        public CancellationToken Token { get; } = token;
        public DateTime Deadline { get; } = deadline;
        public long EnqueuedAt { get; } = Stopwatch.GetTimestamp();
        public TaskCompletionSource<int> Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource<BatchOutcome> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Pending Observed()
        {
            // Unary callers never await Started: observe its failure so it is not reported as unobserved.
            Started.Task.ContinueWith(static t => _ = t.Exception, CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return this;
        }

        public void WatchCancellation() =>
            _registration = Token.Register(static state => ((Pending)state!).OnCancelled(), this);

        /// <summary>Moves the request from the queue into a batch; false if it was cancelled first.</summary>
        public bool TryStart() => Interlocked.CompareExchange(ref _state, StateTaken, StateWaiting) == StateWaiting;

        public TimeSpan QueueTime(long batchStarted) => Stopwatch.GetElapsedTime(EnqueuedAt, batchStarted);

        private void OnCancelled()
        {
            if (Interlocked.CompareExchange(ref _state, StateCancelled, StateWaiting) == StateWaiting)
            {
                Interlocked.Decrement(ref owner._waiting);
                owner._metrics.LeftQueueCancelled();
            }
            Cancel();
        }

        public void Cancel()
        {
            Started.TrySetCanceled(Token);
            Done.TrySetCanceled(Token);
            _registration.Dispose();
        }

        public void Succeed(BatchOutcome outcome)
        {
            Done.TrySetResult(outcome);
            _registration.Dispose();
        }

        public void Fail(Exception e)
        {
            Started.TrySetException(e);
            Done.TrySetException(e);
            _registration.Dispose();
        }
    }

    /// <summary>Cancels a model call once every request of its batch is cancelled, or the host stops.</summary>
    private sealed class BatchCancellation : IDisposable
    {
        private readonly CancellationTokenSource _source;
        private readonly List<CancellationTokenRegistration> _registrations = [];
        private int _live;

        public BatchCancellation(List<Pending> batch, CancellationToken stoppingToken)
        {
            _source = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            _live = batch.Count;
            foreach (Pending p in batch)
                _registrations.Add(p.Token.Register(static state => ((BatchCancellation)state!).MemberGone(), this));
        }

        public CancellationToken Token => _source.Token;

        private void MemberGone()
        {
            if (Interlocked.Decrement(ref _live) == 0)
            {
                try { _source.Cancel(); }
                catch (ObjectDisposedException) { }
            }
        }

        public void Dispose()
        {
            foreach (CancellationTokenRegistration r in _registrations) r.Dispose();
            _source.Dispose();
        }
    }
}
