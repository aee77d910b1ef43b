using Steve2.Pipeline.Environment;

namespace Steve2.Pipeline.Tests.Teacher;

/// <summary>The ground truth of <see cref="FakeEnvironment"/>: flat grass at y = 9 over x, z in [-64, 63], dirt below, air above.</summary>
internal sealed class FakeWorld(IReadOnlyList<SeenEntity> animals) : IWorldQuery
{
    private readonly Dictionary<BlockPos, Block> _changed = [];
    private readonly Dictionary<int, HashSet<(int X, int Z)>> _revealed = [];

    public BlockPos Min => new(-64, 0, -64);
    public BlockPos Max => new(63, 63, 63);
    public IReadOnlyList<SeenEntity> Entities => animals;

    public Block GetBlock(BlockPos p) =>
        _changed.TryGetValue(p, out Block b) ? b : p.Y < FakeEnvironment.Ground ? Block.Dirt : p.Y == FakeEnvironment.Ground ? Block.Grass : Block.Air;

    public int SurfaceHeight(int x, int z)
    {
        for (int y = Max.Y; y > 0; y--)
            if (GetBlock(new BlockPos(x, y, z)) != Block.Air) return y;
        return 0;
    }

    public string BiomeAt(int x, int z) => "plains";
    public IReadOnlyDictionary<string, int>? ChestContents(BlockPos p) => null;

    public IReadOnlySet<(int X, int Z)> RevealedColumns(int agentId) => _revealed.TryGetValue(agentId, out var set) ? set : new HashSet<(int, int)>();

    public void Reveal(int agentId, int x, int z)
    {
        if (!_revealed.TryGetValue(agentId, out var set)) _revealed[agentId] = set = [];
        set.Add((x, z));
    }

    public void SetBlock(BlockPos p, Block block) => _changed[p] = block;
}
