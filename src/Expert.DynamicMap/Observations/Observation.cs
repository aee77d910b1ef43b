using Expert.DynamicMap.Geometry;

namespace Expert.DynamicMap.Observations;

/// <summary>
/// One block an agent saw: a cell and an index into its observation's <see cref="Observation.Palette"/>.
/// The layout (four little-endian int32: x, y, z, palette index) is also the packed wire form.
/// </summary>
public readonly record struct BlockSeen(int X, int Y, int Z, int Block);

/// <summary>An entity or object the agent detected (a cow, a villager, a chest). Confidence in (0, 1].</summary>
public sealed record EntitySeen(string Name, double X, double Y, double Z, float Confidence = 1f)
{
    public Vec3 Position => new(X, Y, Z);
}

/// <summary>
/// A sound the agent heard: either at a known <see cref="Position"/> (mineflayer reports those),
/// or only as a world-frame <see cref="Direction"/> from the agent's eye (any length, not zero).
/// Exactly one of the two is set.
/// </summary>
public sealed record SoundHeard(string Name, float Volume, Vec3? Position = null, Vec3? Direction = null);

/// <summary>
/// What one agent reported at one tick. Blocks index into <see cref="Palette"/>, the observation's
/// own list of block names (the episode keeps its own palette; names are mapped on ingestion).
/// </summary>
public sealed class Observation
{
    public Observation(string agentId, long tick, MapPose pose, IReadOnlyList<string>? palette = null,
        BlockSeen[]? blocks = null, IReadOnlyList<EntitySeen>? entities = null, IReadOnlyList<SoundHeard>? sounds = null)
    {
        AgentId = agentId;
        Tick = tick;
        Pose = pose;
        Palette = palette ?? [];
        Blocks = blocks ?? [];
        Entities = entities ?? [];
        Sounds = sounds ?? [];
    }

    public string AgentId { get; }
    public long Tick { get; }
    public MapPose Pose { get; }
    public IReadOnlyList<string> Palette { get; }
    public BlockSeen[] Blocks { get; }
    public IReadOnlyList<EntitySeen> Entities { get; }
    public IReadOnlyList<SoundHeard> Sounds { get; }
}

/// <summary>
/// A batch the client sends at once; applied atomically (all or nothing). <see cref="BatchId"/> is
/// optional: when set, a second batch with the same id in the same episode is a replay and is not
/// applied again; when empty, the batch's content hash plays that role.
/// </summary>
public sealed class ObservationBatch
{
    public ObservationBatch(IReadOnlyList<Observation> observations, string? batchId = null)
    {
        Observations = observations;
        BatchId = batchId ?? "";
    }

    public string BatchId { get; }
    public IReadOnlyList<Observation> Observations { get; }

    public long BlockCount
    {
        get
        {
            long total = 0;
            foreach (var observation in Observations) total += observation.Blocks.Length;
            return total;
        }
    }
}
