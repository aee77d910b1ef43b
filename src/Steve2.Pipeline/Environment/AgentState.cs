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

    /// <summary>Blocks this agent has seen (position to the block seen then), the sources Collect may use.</summary>
    public Dictionary<BlockPos, Block> KnownBlocks { get; } = [];

    /// <summary>Animals this agent has had in view.</summary>
    public HashSet<int> SeenAnimals { get; } = [];

    /// <summary>Columns of every block this agent has had in view.</summary>
    public HashSet<(int X, int Z)> Revealed { get; } = [];

    public void Hear(HeardSound sound)
    {
        if (PendingSounds.Count >= MaxPendingSounds) PendingSounds.RemoveAt(0);
        PendingSounds.Add(sound);
    }
}
