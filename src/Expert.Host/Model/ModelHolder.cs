using System.Diagnostics;
using Expert.Host.Options;
using Expert.Host.Telemetry;
using Expert.VqVae.Inference;
using Microsoft.Extensions.Options;

namespace Expert.Host.Model;

internal enum ModelState
{
    Loading,
    Ready,
    Failed,
}

/// <summary>
/// Owns the served model: loads it in the background when the host starts, so the host answers
/// (health NOT_SERVING, calls UNAVAILABLE) while it loads, then flips to ready. A failed load is
/// logged and keeps the host NOT_SERVING with the reason, rather than crashing it.
/// </summary>
internal sealed class ModelHolder : BackgroundService
{
    private readonly IGeneratorFactory _factory;
    private readonly IOptions<ModelOptions> _options;
    private readonly ILogger<ModelHolder> _logger;
    private readonly TaskCompletionSource<IOccupancyGenerator> _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile IOccupancyGenerator? _generator;
    private volatile string _statusMessage = "The model is loading.";
    private volatile ModelState _state = ModelState.Loading;

    public ModelHolder(IGeneratorFactory factory, IOptions<ModelOptions> options, ILogger<ModelHolder> logger)
    {
        _factory = factory;
        _options = options; // read at start, after the options were validated
        _logger = logger;
    }

    public ModelState State => _state;

    /// <summary>The loaded generator, or null while loading or after a failed load.</summary>
    public IOccupancyGenerator? Generator => _generator;

    /// <summary>What to tell a caller about the model's state.</summary>
    public string StatusMessage => _statusMessage;

    /// <summary>Completes once the model is loaded; faults if the load failed.</summary>
    public Task<IOccupancyGenerator> WhenLoaded => _loaded.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        ModelOptions options = _options.Value;
        string path = options.ResolveCheckpointPath();
        _logger.ModelLoading(path, options.Device);
        long started = Stopwatch.GetTimestamp();
        try
        {
            IOccupancyGenerator generator = await Task.Run(() => _factory.Load(options, stoppingToken), stoppingToken);
            ModelInfo info = generator.Info;
            _generator = generator;
            _statusMessage = $"Serving {info.Version} on {info.Device}.";
            _state = ModelState.Ready;
            _logger.ModelLoaded(info.Version, info.Device, info.GridSize, info.Parameters, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            _loaded.TrySetResult(generator);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            _statusMessage = "The host is stopping.";
            _loaded.TrySetCanceled(stoppingToken);
        }
        catch (Exception e)
        {
            _statusMessage = $"The model failed to load from '{path}': {e.Message}";
            _state = ModelState.Failed;
            _logger.ModelLoadFailed(e, path);
            _loaded.TrySetException(e);
        }
    }

    public override void Dispose()
    {
        (_generator as IDisposable)?.Dispose();
        base.Dispose();
    }
}
