using Expert.DynamicMap.Episodes;
using Expert.Host.Options;
using Microsoft.Extensions.Options;

namespace Expert.Host.Maps;

/// <summary>The map storage cannot be used: its folder cannot be created or read, or the host is stopping (UNAVAILABLE).</summary>
internal sealed class MapStorageUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Owns the host's <see cref="EpisodeRegistry"/>. It is created on the first map call, not at start, so a
/// host that serves only OccupancyExpert never touches the data directory; from then on it lives until the
/// host stops (flushed by <see cref="MapMaintenanceService"/>, disposed with the container).
/// </summary>
internal sealed class MapEpisodes(IOptions<MapHostOptions> options, IHostEnvironment environment, TimeProvider time, ILogger<MapEpisodes> logger)
    : IDisposable
{
    private readonly Lock _gate = new();
    private EpisodeRegistry? _registry;
    private volatile bool _stopped;

    /// <summary>The registry, created (and the episodes on disk listed) on first use.</summary>
    public EpisodeRegistry Registry
    {
        get
        {
            var registry = Volatile.Read(ref _registry);
            if (registry is not null && !_stopped) return registry;
            lock (_gate)
            {
                if (_stopped) throw new MapStorageUnavailableException("The host is stopping: retry on its successor.");
                return _registry ??= Create();
            }
        }
    }

    /// <summary>The registry when a call created it; null before.</summary>
    public EpisodeRegistry? IfCreated => Volatile.Read(ref _registry);

    /// <summary>Where episodes are kept (absolute).</summary>
    public string DataDirectory => options.Value.ResolveDataDirectory(environment.ContentRootPath);

    private EpisodeRegistry Create()
    {
        MapOptions mapOptions = options.Value.ToMapOptions(environment.ContentRootPath);
        EpisodeRegistry registry;
        try
        {
            registry = new EpisodeRegistry(mapOptions, time, evictOnTimer: false, w => logger.MapStorageRecovery(w.EpisodeId, w.Message));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.MapStorageFailed(e, mapOptions.DataDirectory!);
            throw new MapStorageUnavailableException(
                $"The map data directory '{mapOptions.DataDirectory}' cannot be used ({e.Message}); the operator must set Map:DataDirectory to a writable folder.", e);
        }
        logger.MapStorageOpened(mapOptions.DataDirectory!, registry.List().Count);
        return registry;
    }

    /// <summary>Snapshots every loaded episode and refuses further calls (host shutdown).</summary>
    public void Stop()
    {
        lock (_gate)
        {
            _stopped = true;
            _registry?.FlushAll();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _stopped = true;
            _registry?.Dispose();
        }
    }
}
