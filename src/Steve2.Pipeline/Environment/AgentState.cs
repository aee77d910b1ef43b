using Steve2.Pipeline.World;

namespace Steve2.Pipeline.Environment;

/// <summary>The mutable state of one agent in a voxel episode.</summary>
internal sealed class AgentState(int id, Pose pose, Inventory inventory)
{
    /// <summary>Sounds kept for one observation at most.</summary>
    public const int MaxPendingSounds = 32;

    public int Id { get; } = id;
    public Pose Pose { get; set; } = pose;
    public Inventory Inventory { get; } = inventory;
    public int Iteration { get; set; }
    public BlockPos Feet => Pose.Block;

    /// <summary>Sounds heard since this agent's last action began.</summary>
    public List<HeardSound> PendingSounds { get; } = [];

    /// <summary>Positions of the blocks with a drop this agent has seen, by block type: the sources Collect may use (checked against the world when used).</summary>
    public Dictionary<Block, HashSet<BlockPos>> KnownSources { get; } = [];

    /// <summary>Animals this agent has had in view.</summary>
    public HashSet<int> SeenAnimals { get; } = [];

    /// <summary>Columns of every block this agent has had in view.</summary>
    public HashSet<(int X, int Z)> Revealed { get; } = [];

    /// <summary>Remembers a seen block when it drops something.</summary>
    public void Saw(BlockPos position, Block block)
    {
        if (BlockTable.Get(block).Drop is null) return;
        if (!KnownSources.TryGetValue(block, out var set)) KnownSources[block] = set = [];
        set.Add(position);
    }

    public void Hear(HeardSound sound)
    {
        if (PendingSounds.Count >= MaxPendingSounds) PendingSounds.RemoveAt(0);
        PendingSounds.Add(sound);
    }
}
