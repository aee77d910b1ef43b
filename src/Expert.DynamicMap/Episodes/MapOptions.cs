using Expert.DynamicMap.Geometry;

namespace Expert.DynamicMap.Episodes;

/// <summary>
/// Settings of the map library, validated once by <see cref="Validate"/> (the host binds them from
/// configuration). Limits are enforced before a batch is applied, so a batch over a limit is refused whole.
/// </summary>
public sealed record MapOptions
{
    /// <summary>Where episodes are kept on disk (one folder per episode). Null: memory only, nothing survives a restart.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>The box observations must lie in.</summary>
    public WorldBounds Bounds { get; init; } = WorldBounds.Minecraft;

    /// <summary>Eye height above the pose (the feet), blocks.</summary>
    public double EyeHeight { get; init; } = 1.62;

    /// <summary>A block farther than this from the eye is rejected (it also bounds a ray's cost).</summary>
    public double MaxSightDistance { get; init; } = 128;

    public int MaxObservationsPerBatch { get; init; } = 4096;
    public int MaxBlocksPerBatch { get; init; } = 2_000_000;
    public int MaxEntitiesPerObservation { get; init; } = 1024;
    public int MaxSoundsPerObservation { get; init; } = 256;
    public int MaxNameLength { get; init; } = 128;

    /// <summary>Open episodes (loaded or evicted); opening one more is RESOURCE_EXHAUSTED.</summary>
    public int MaxOpenEpisodes { get; init; } = 4096;

    /// <summary>16^3 chunks per episode (32 KiB each); a batch that would pass it is RESOURCE_EXHAUSTED.</summary>
    public int MaxChunksPerEpisode { get; init; } = 16_384;

    /// <summary>Chunks held in memory over all loaded episodes (idle episodes are evicted to make room).</summary>
    public long MaxLoadedChunks { get; init; } = 65_536;

    /// <summary>Distinct block names per episode.</summary>
    public int MaxPaletteSize { get; init; } = 4096;

    /// <summary>Landmarks, sound sources and bearing groups per episode.</summary>
    public int MaxLandmarksPerEpisode { get; init; } = 100_000;

    /// <summary>Detections of one kind within this distance (blocks) of a landmark join it.</summary>
    public double LandmarkMergeRadius { get; init; } = 3.0;

    /// <summary>Landmark confidence halves every this many ticks without a sighting.</summary>
    public double LandmarkHalfLifeTicks { get; init; } = 6000;

    /// <summary>Sound sources of one name within this distance (blocks) merge.</summary>
    public double SoundMergeRadius { get; init; } = 6.0;

    /// <summary>Bearings older than this (ticks) before a group's newest are dropped.</summary>
    public long SoundBearingWindowTicks { get; init; } = 1200;

    public int MaxBearingsPerSound { get; init; } = 32;

    /// <summary>
    /// The listeners' hearing radius (blocks) for telling sources apart: a direction-only sound's volume v in (0, 1) is read
    /// as 1 - range / radius (the pipeline world's hearing model, OBSERVATIONS.md), so two animals of one name heard from
    /// different ranges form two sources, and a source heard from one place only is placed at that range. 0 (the default:
    /// a volume's meaning depends on the client) reads no range from volumes.
    /// </summary>
    public double SoundHearingRadius { get; init; }

    /// <summary>Largest side of a GetMap or RenderMap region, columns.</summary>
    public int MaxRegionSide { get; init; } = 2048;

    /// <summary>An episode untouched this long is written to disk and dropped from memory (only with a data directory).</summary>
    public TimeSpan IdleEviction { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>A snapshot is written after this many log records (and on eviction and close).</summary>
    public int SnapshotEveryRecords { get; init; } = 512;

    /// <summary>Flush each log record to the device (fsync), not just to the OS.</summary>
    public bool FsyncEachBatch { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the setting to change.</summary>
    public MapOptions Validate()
    {
        static void Require(bool ok, string message)
        {
            if (!ok) throw new ArgumentException(message);
        }

        Require(Bounds.MinX <= Bounds.MaxX && Bounds.MinY <= Bounds.MaxY && Bounds.MinZ <= Bounds.MaxZ,
            "Bounds: each Min must be <= its Max.");
        Require(Math.Max(Math.Abs((long)Bounds.MinX), Math.Abs((long)Bounds.MaxX)) <= CellMath.MaxHorizontal - 256
            && Math.Max(Math.Abs((long)Bounds.MinZ), Math.Abs((long)Bounds.MaxZ)) <= CellMath.MaxHorizontal - 256,
            $"Bounds: |x| and |z| must stay below {CellMath.MaxHorizontal - 256}.");
        Require(Math.Max(Math.Abs(Bounds.MinY), Math.Abs(Bounds.MaxY)) <= CellMath.MaxVertical - 16,
            $"Bounds: |y| must stay below {CellMath.MaxVertical - 16}.");
        Require(EyeHeight is >= 0 and <= 16, "EyeHeight must be within 0..16 blocks.");
        Require(MaxSightDistance is > 0 and <= 1024, "MaxSightDistance must be within (0, 1024].");
        Require(MaxObservationsPerBatch > 0 && MaxBlocksPerBatch > 0 && MaxEntitiesPerObservation >= 0 && MaxSoundsPerObservation >= 0,
            "Batch limits must be positive.");
        Require(MaxNameLength is > 0 and <= 4096, "MaxNameLength must be within 1..4096.");
        Require(MaxOpenEpisodes > 0, "MaxOpenEpisodes must be positive.");
        Require(MaxChunksPerEpisode > 0 && MaxLoadedChunks >= MaxChunksPerEpisode,
            "MaxChunksPerEpisode must be positive and MaxLoadedChunks at least MaxChunksPerEpisode.");
        Require(MaxPaletteSize is > 2 and <= 65_000, "MaxPaletteSize must be within 3..65000.");
        Require(LandmarkMergeRadius >= 0 && SoundMergeRadius >= 0, "Merge radii must be >= 0.");
        Require(SoundHearingRadius >= 0, "SoundHearingRadius must be >= 0.");
        Require(LandmarkHalfLifeTicks > 0, "LandmarkHalfLifeTicks must be positive.");
        Require(SoundBearingWindowTicks > 0 && MaxBearingsPerSound >= 2, "SoundBearingWindowTicks must be positive and MaxBearingsPerSound >= 2.");
        Require(MaxRegionSide is > 0 and <= 8192, "MaxRegionSide must be within 1..8192.");
        Require(IdleEviction > TimeSpan.Zero, "IdleEviction must be positive.");
        Require(SnapshotEveryRecords > 0, "SnapshotEveryRecords must be positive.");
        Require(MaxLandmarksPerEpisode > 0, "MaxLandmarksPerEpisode must be positive.");
        return this;
    }
}
