using Expert.Host.Options;
using Microsoft.Extensions.Options;

namespace Expert.Host.Maps;

/// <summary>
/// Every <see cref="MapHostOptions.MaintenanceInterval"/>: writes episodes idle for
/// <see cref="MapHostOptions.IdleEviction"/> to disk and drops them from memory (the next call reloads them).
/// At shutdown, after the server has stopped taking calls, snapshots every loaded episode.
/// Does nothing until a map call has created the registry.
/// </summary>
internal sealed class MapMaintenanceService(MapEpisodes episodes, IOptions<MapHostOptions> options, TimeProvider time,
    ILogger<MapMaintenanceService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.MaintenanceInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) Sweep();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host stopping: StopAsync flushes.
        }
    }

    /// <summary>One round of eviction; returns how many episodes left memory.</summary>
    public int Sweep()
    {
        if (episodes.IfCreated is not { } registry) return 0;
        try
        {
            int evicted = registry.EvictIdle();
            if (evicted > 0) logger.MapEpisodesEvicted(evicted);
            return evicted;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.MapMaintenanceFailed(e);
            return 0;
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        bool created = episodes.IfCreated is not null;
        episodes.Stop();
        if (created) logger.MapEpisodesFlushed(episodes.DataDirectory);
    }
}
