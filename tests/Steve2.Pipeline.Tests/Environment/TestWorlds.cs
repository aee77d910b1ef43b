using Steve2.Pipeline.Environment;
using Steve2.Pipeline.World;

namespace Steve2.Pipeline.Tests.Environment;

/// <summary>Hand-made worlds for the action, path and renderer tests: a flat stone floor whose top is y = 9 (agents stand at y = 10).</summary>
internal static class TestWorlds
{
    public const int Floor = 9;
    public const int Feet = Floor + 1;

    public static VoxelWorld Flat(int size = 128)
    {
        var world = new VoxelWorld(0, new WorldOptions(size, 48, size, 16));
        for (int x = world.MinX; x <= world.MaxX; x++)
        for (int z = world.MinZ; z <= world.MaxZ; z++)
        {
            world.Set(x, 0, z, Block.Bedrock);
            for (int y = 1; y <= Floor; y++) world.Set(x, y, z, Block.Stone);
        }
        world.Spawn = new BlockPos(0, Feet, 0);
        return world;
    }

    /// <summary>An episode on <paramref name="world"/>; the agent (or agents, 2 blocks apart along x) starts at the world's spawn, facing south (+z).</summary>
    public static VoxelEnvironment Episode(VoxelWorld world, int agents = 1, IReadOnlyDictionary<string, int>? inventory = null, VoxelEnvironmentOptions? options = null) =>
        new(new EpisodeSpec(0, agents, null, inventory), world, options ?? new VoxelEnvironmentOptions(world.Options, SoundChance: 0));

    public static IReadOnlyDictionary<string, int> Holding(params (string Item, int Count)[] items) => items.ToDictionary(i => i.Item, i => i.Count);
}
