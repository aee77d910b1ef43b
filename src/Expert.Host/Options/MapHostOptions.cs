using Expert.DynamicMap.Episodes;
using Expert.DynamicMap.Geometry;

namespace Expert.Host.Options;

/// <summary>
/// The dynamic-map service (steve2.expert.v1.DynamicMapExpert): where episodes are kept, the limits that
/// make a request RESOURCE_EXHAUSTED or INVALID_ARGUMENT, and when idle episodes leave memory. Section
/// <c>Map</c>; each key overrides the library default of the same name (<see cref="MapOptions"/>).
/// </summary>
internal sealed class MapHostOptions
{
    public const string Section = "Map";

    public const string DefaultDataDirectory = "data/maps";

    /// <summary>
    /// Where episodes live on disk (one folder per episode, MAP_LAYOUT.md §6): absolute, or relative to the
    /// host's content root (the working directory of <c>dotnet Expert.Host.dll</c>). Created on the first map call.
    /// </summary>
    public string DataDirectory { get; set; } = DefaultDataDirectory;

    /// <summary>Open episodes (loaded or evicted); opening one more is RESOURCE_EXHAUSTED.</summary>
    public int MaxOpenEpisodes { get; set; } = 4096;

    /// <summary>16^3 chunks per episode (32 KiB each in memory); a batch that would pass it is RESOURCE_EXHAUSTED.</summary>
    public int MaxChunksPerEpisode { get; set; } = 16_384;

    /// <summary>Chunks in memory over all loaded episodes; a batch that would pass it is RESOURCE_EXHAUSTED.</summary>
    public long MaxLoadedChunks { get; set; } = 65_536;

    /// <summary>Observations in one batch; more is INVALID_ARGUMENT (field <c>observations</c>).</summary>
    public int MaxObservationsPerBatch { get; set; } = 4096;

    /// <summary>Blocks in one batch (all its observations); more is INVALID_ARGUMENT (field <c>observations</c>).</summary>
    public int MaxBlocksPerBatch { get; set; } = 500_000;

    /// <summary>Distinct block names per episode.</summary>
    public int MaxPaletteSize { get; set; } = 4096;

    /// <summary>Landmarks and sound sources per episode.</summary>
    public int MaxLandmarksPerEpisode { get; set; } = 100_000;

    /// <summary>Longest name (agent, block, entity, sound, label), in characters.</summary>
    public int MaxNameLength { get; set; } = 128;

    /// <summary>A block farther than this from the agent's eye is INVALID_ARGUMENT.</summary>
    public double MaxSightDistance { get; set; } = 128;

    /// <summary>Eye height above the pose (the feet), blocks.</summary>
    public double EyeHeight { get; set; } = 1.62;

    /// <summary>Largest side of a GetMap or RenderMap region, columns.</summary>
    public int MaxRegionSide { get; set; } = 2048;

    /// <summary>Largest GetMap answer (layer bytes); a bigger region is INVALID_ARGUMENT. Mind clients' 4 MiB default receive size.</summary>
    public int MaxGetMapBytes { get; set; } = 4_000_000;

    /// <summary>Largest RenderMap picture side, pixels.</summary>
    public int MaxRenderPixels { get; set; } = 2048;

    /// <summary>Largest request message of the map service, bytes: a packed batch is 16 bytes a block.</summary>
    public int MaxReceiveMessageBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>An episode untouched this long is written to disk and dropped from memory (reloaded on the next call).</summary>
    public TimeSpan IdleEviction { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often idle episodes are looked for (and loaded ones snapshotted when changed).</summary>
    public TimeSpan MaintenanceInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A snapshot is written after this many log records (and on eviction, close and shutdown).</summary>
    public int SnapshotEveryRecords { get; set; } = 512;

    /// <summary>fsync each log record: survives a power cut, not only a crash of the host, at a cost in speed.</summary>
    public bool FsyncEachBatch { get; set; }

    /// <summary>Changes a WatchMap reader may fall behind by before the oldest are dropped.</summary>
    public int WatchBuffer { get; set; } = 256;

    /// <summary>The box observations must lie in (cells, inclusive). Default: Minecraft's world.</summary>
    public MapBoundsOptions Bounds { get; set; } = new();

    /// <summary>The data directory made absolute against the content root.</summary>
    public string ResolveDataDirectory(string contentRoot) => Path.GetFullPath(DataDirectory, contentRoot);

    /// <summary>
    /// The clients' hearing radius (blocks) under which a sound's volume is 1 - range / radius (MapOptions.SoundHearingRadius);
    /// 0 (the default) reads no range from volumes. The pipeline's in-process host sets its world's 64.
    /// </summary>
    public double SoundHearingRadius { get; set; }

    /// <summary>
    /// The library's settings, with the data directory resolved against <paramref name="contentRoot"/>
    /// (null: memory only). <see cref="MapOptions.Validate"/> is the caller's to run.
    /// </summary>
    public MapOptions ToMapOptions(string? contentRoot) => new()
    {
        DataDirectory = contentRoot is null ? null : ResolveDataDirectory(contentRoot),
        Bounds = new WorldBounds(Bounds.MinX, Bounds.MaxX, Bounds.MinY, Bounds.MaxY, Bounds.MinZ, Bounds.MaxZ),
        EyeHeight = EyeHeight,
        MaxSightDistance = MaxSightDistance,
        MaxObservationsPerBatch = MaxObservationsPerBatch,
        MaxBlocksPerBatch = MaxBlocksPerBatch,
        MaxNameLength = MaxNameLength,
        MaxOpenEpisodes = MaxOpenEpisodes,
        MaxChunksPerEpisode = MaxChunksPerEpisode,
        MaxLoadedChunks = MaxLoadedChunks,
        MaxPaletteSize = MaxPaletteSize,
        MaxLandmarksPerEpisode = MaxLandmarksPerEpisode,
        MaxRegionSide = MaxRegionSide,
        IdleEviction = IdleEviction,
        SnapshotEveryRecords = SnapshotEveryRecords,
        FsyncEachBatch = FsyncEachBatch,
        SoundHearingRadius = SoundHearingRadius,
    };
}

/// <summary>World bounds in cells, inclusive (section <c>Map:Bounds</c>).</summary>
internal sealed class MapBoundsOptions
{
    public int MinX { get; set; } = WorldBounds.Minecraft.MinX;
    public int MaxX { get; set; } = WorldBounds.Minecraft.MaxX;
    public int MinY { get; set; } = WorldBounds.Minecraft.MinY;
    public int MaxY { get; set; } = WorldBounds.Minecraft.MaxY;
    public int MinZ { get; set; } = WorldBounds.Minecraft.MinZ;
    public int MaxZ { get; set; } = WorldBounds.Minecraft.MaxZ;
}
