using Steve2.Pipeline.World;

namespace Steve2.Pipeline.Environment;

/// <summary>Ground truth of a voxel episode for tasks and tests (never shown to an agent).</summary>
internal sealed class VoxelWorldQuery(VoxelEnvironment environment) : IWorldQuery
{
    private VoxelWorld World => environment.Blocks;

    public BlockPos Min => new(World.MinX, 0, World.MinZ);

    public BlockPos Max => new(World.MaxX, World.SizeY - 1, World.MaxZ);

    public Block GetBlock(BlockPos p) => World.Get(p);

    public int SurfaceHeight(int x, int z) => World.SurfaceHeight(x, z);

    public string BiomeAt(int x, int z) => World.BiomeAt(x, z).Name();

    public IReadOnlyList<SeenEntity> Entities => environment.AllEntities();

    public IReadOnlyDictionary<string, int>? ChestContents(BlockPos p) =>
        World.Chest(p) is { } contents ? new Dictionary<string, int>(contents) : null;

    /// <summary>The agent's revealed columns: a live set that grows as the episode goes on (copy it to keep a snapshot).</summary>
    public IReadOnlySet<(int X, int Z)> RevealedColumns(int agentId)
    {
        if (agentId < 0 || agentId >= environment.Agents.Count)
            throw new ArgumentOutOfRangeException(nameof(agentId), agentId, $"agent ids of this episode are 0..{environment.Agents.Count - 1}");
        return environment.Agents[agentId].Revealed;
    }

    public void SetBlock(BlockPos p, Block block) => environment.SetBlockForTask(p, block);

    public IReadOnlyList<BlockPos> ChestPositions => World.ChestPositions.Where(p => World.Get(p) == Block.Chest)
        .OrderBy(p => p.X).ThenBy(p => p.Y).ThenBy(p => p.Z).ToArray();

    public RenderResult? RenderView(Pose pose) => environment.RenderFrom(pose);

    public bool EmitSoundOf(int entityId) => environment.EmitSoundOfAnimal(entityId);

    public int? PlaceAnimal(string kind, BlockPos feet) => environment.PlaceAnimalForTask(kind, feet);
}
