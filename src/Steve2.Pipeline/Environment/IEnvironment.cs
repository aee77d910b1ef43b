namespace Steve2.Pipeline.Environment;

/// <summary>
/// One episode in one world, behind which any backend sits: the embedded voxel world, or later a
/// real Minecraft server. The teacher, the tasks and the student see only this interface.
/// Not thread-safe: one episode is stepped by one thread; many episodes step in parallel.
/// </summary>
public interface IEnvironment : IDisposable
{
    EpisodeSpec Spec { get; }

    /// <summary>Number of agents in the episode (ids 0..AgentCount-1).</summary>
    int AgentCount { get; }

    /// <summary>The agent's current observation (no time passes).</summary>
    Observation Observe(int agentId);

    /// <summary>Runs one code action for one agent: one iteration. Never throws for an impossible action: it fails with a message.</summary>
    ActionOutcome Step(int agentId, CodeAction action);

    /// <summary>Privileged read access for task setup and metrics (never shown to an agent).</summary>
    IWorldQuery World { get; }
}

/// <summary>What an episode is made of: a world seed, its agents and where they start.</summary>
/// <param name="WorldSeed">Same seed, same world.</param>
/// <param name="AgentCount">1..8 agents.</param>
/// <param name="Spawn">Where the agents start (they stand on the surface near it), or null for the world's spawn.</param>
/// <param name="StartingInventory">Items every agent starts with (for example building blocks for creation), or null for none.</param>
public sealed record EpisodeSpec(int WorldSeed, int AgentCount = 1, BlockPos? Spawn = null, IReadOnlyDictionary<string, int>? StartingInventory = null);

/// <summary>Makes episodes of one backend.</summary>
public interface IEnvironmentFactory
{
    string Backend { get; }
    IEnvironment Create(EpisodeSpec spec);
}

/// <summary>Ground truth about the world, for tasks (placing goals, scoring) and for tests.</summary>
public interface IWorldQuery
{
    /// <summary>Inclusive world bounds in blocks.</summary>
    BlockPos Min { get; }
    BlockPos Max { get; }

    Block GetBlock(BlockPos p);

    /// <summary>y of the highest non-air, non-leaves block in a column (the ground an agent stands on is one above it).</summary>
    int SurfaceHeight(int x, int z);

    /// <summary>The biome of a column: "plains", "forest", "desert", "mountains", "water".</summary>
    string BiomeAt(int x, int z);

    /// <summary>All entities now (animals and agents).</summary>
    IReadOnlyList<SeenEntity> Entities { get; }

    /// <summary>The items in a chest, or null when there is no chest there.</summary>
    IReadOnlyDictionary<string, int>? ChestContents(BlockPos p);

    /// <summary>Every block position an agent has had in view this episode (for exploration metrics).</summary>
    IReadOnlySet<(int X, int Z)> RevealedColumns(int agentId);

    /// <summary>Task setup: sets a block (for example clears a building site). Not an agent action.</summary>
    void SetBlock(BlockPos p, Block block);

    /// <summary>Positions of every chest in the world (task setup and scoring; never shown to an agent).</summary>
    IReadOnlyList<BlockPos> ChestPositions => [];

    /// <summary>
    /// Task setup: renders the world (blocks and entities) from <paramref name="pose"/> with the agents' own renderer
    /// and view settings (OBSERVATIONS.md), as a camera placed there would see it; null when the backend cannot render.
    /// </summary>
    RenderResult? RenderView(Pose pose) => null;

    /// <summary>
    /// Task setup: the entity makes its sound now, heard by every agent within hearing as any sound is
    /// (OBSERVATIONS.md, "Sounds"); false when there is no such animal or the backend cannot.
    /// </summary>
    bool EmitSoundOf(int entityId) => false;

    /// <summary>
    /// Task setup: places an animal of <paramref name="kind"/> standing at <paramref name="feet"/> (a cell an animal can stand
    /// in, on dry ground) and returns its entity id; null when it cannot stand there or the backend cannot.
    /// </summary>
    int? PlaceAnimal(string kind, BlockPos feet) => null;
}
