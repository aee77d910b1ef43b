using Expert.DynamicMap.Geometry;

namespace Expert.DynamicMap.Episodes;

/// <summary>
/// What happened to a batch: applied, or recognised as a replay (<see cref="Duplicate"/>: nothing changed).
/// <see cref="BatchKey"/> is the replay key (MAP_LAYOUT.md).
/// </summary>
public sealed record BatchResult(
    bool Applied,
    bool Duplicate,
    string BatchKey,
    int Observations,
    long Blocks,
    long Version,
    long Tick,
    int NewChunks);

/// <summary>One cell as the map knows it.</summary>
public sealed record CellInfo(Cell Cell, string Block, Storage.BlockKind Kind, long? LastSeenTick, int SeenCount);

/// <summary>Sizes of an episode's map.</summary>
public sealed record MapStats(
    long Version,
    long Tick,
    int Agents,
    int Chunks,
    long KnownCells,
    long BlockObservations,
    int PaletteSize,
    int Landmarks,
    int SoundSources,
    long ApproximateBytes);

/// <summary>A change the map went through, for live viewers (WatchMap).</summary>
public sealed record MapChange(
    string EpisodeId,
    long Version,
    long Tick,
    MapChangeKind Kind,
    IReadOnlyList<string> AgentIds,
    MapRegion? Touched,
    long Blocks,
    int Landmarks,
    int SoundSources);

public enum MapChangeKind
{
    Observed = 1,
    LandmarkNamed = 2,
    Blacklisted = 3,
    Closed = 4,
}

/// <summary>An episode as listed.</summary>
public sealed record EpisodeInfo(
    string Id,
    DateTimeOffset Created,
    DateTimeOffset? ClosedAt,
    bool Loaded,
    MapStats? Stats)
{
    public bool IsClosed => ClosedAt is not null;
}

/// <summary>What storage recovery did or found for one episode (for the server's log: <see cref="Path"/> is the
/// full path; clients never see it).</summary>
public sealed record MapStorageWarning(string EpisodeId, string Path, string Message);
