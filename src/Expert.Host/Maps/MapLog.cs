namespace Expert.Host.Maps;

/// <summary>The map service's log lines (structured; event ids 40-49).</summary>
internal static partial class MapLog
{
    [LoggerMessage(40, LogLevel.Information, "Map episodes kept in {DataDirectory}: {Episodes} found on disk")]
    public static partial void MapStorageOpened(this ILogger logger, string dataDirectory, int episodes);

    [LoggerMessage(41, LogLevel.Error, "The map data directory {DataDirectory} cannot be used")]
    public static partial void MapStorageFailed(this ILogger logger, Exception exception, string dataDirectory);

    [LoggerMessage(43, LogLevel.Debug, "Evicted {Evicted} idle map episode(s) from memory")]
    public static partial void MapEpisodesEvicted(this ILogger logger, int evicted);

    [LoggerMessage(44, LogLevel.Warning, "Map maintenance failed; the next round retries")]
    public static partial void MapMaintenanceFailed(this ILogger logger, Exception exception);

    [LoggerMessage(45, LogLevel.Information, "Map episodes flushed to {DataDirectory} at shutdown")]
    public static partial void MapEpisodesFlushed(this ILogger logger, string dataDirectory);

    [LoggerMessage(46, LogLevel.Error, "Map episode files are damaged ({Rpc})")]
    public static partial void MapDataLoss(this ILogger logger, Exception exception, string rpc);

    /// <summary>Storage recovery for one episode (a torn tail cut off, a damaged file passed over or deleted); the message holds the full path.</summary>
    [LoggerMessage(47, LogLevel.Warning, "Map episode {EpisodeId} storage: {Message}")]
    public static partial void MapStorageRecovery(this ILogger logger, string episodeId, string message);
}
