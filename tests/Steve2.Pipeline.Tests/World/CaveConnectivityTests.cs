using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Tasks;
using Steve2.Pipeline.World;
using Xunit.Abstractions;

namespace Steve2.Pipeline.Tests.World;

/// <summary>
/// Block search must be winnable: caves connect the surface to the diamond layer without digging, and diamonds
/// line cave walls (WORLD.md, "Caves" and "Ores").
/// </summary>
public sealed class CaveConnectivityTests(ITestOutputHelper output)
{
    /// <summary>The diamonds' top y (the ore table's range is 2..15).</summary>
    private const int DiamondTop = 15;

    /// <summary>
    /// Walks (the agents' walking rules, no digging) from every standable surface cell and returns the deep cells reached
    /// (feet at y &lt;= 15) and the fewest steps from the world's spawn to one of them (-1 when the spawn's region has none).
    /// </summary>
    internal static (int DeepCells, int StepsFromSpawn) WalkDown(VoxelWorld world)
    {
        var seen = new HashSet<BlockPos>();
        var queue = new Queue<BlockPos>();
        for (int x = world.MinX; x <= world.MaxX; x++)
            for (int z = world.MinZ; z <= world.MaxZ; z++)
                if (WorldGenerator.StandingPosition(world, x, z) is { } p && seen.Add(p)) queue.Enqueue(p);
        int deep = 0;
        while (queue.Count > 0)
        {
            var p = queue.Dequeue();
            if (p.Y <= DiamondTop) deep++;
            foreach (var (dx, dz) in WalkingRules.SideSteps)
                if (WalkingRules.Step(world, p, dx, dz) is { } n && seen.Add(n)) queue.Enqueue(n);
        }
        // From the spawn alone: the walk to the nearest deep cell.
        var dist = new Dictionary<BlockPos, int> { [world.Spawn] = 0 };
        var q = new Queue<BlockPos>([world.Spawn]);
        int steps = -1;
        while (q.Count > 0 && steps < 0)
        {
            var p = q.Dequeue();
            if (p.Y <= DiamondTop) { steps = dist[p]; break; }
            foreach (var (dx, dz) in WalkingRules.SideSteps)
                if (WalkingRules.Step(world, p, dx, dz) is { } n && dist.TryAdd(n, dist[p] + 1)) q.Enqueue(n);
        }
        return (deep, steps);
    }

    [Fact]
    public void A_walk_from_the_surface_reaches_the_diamond_layer_and_diamonds_touch_cave_air()
    {
        foreach (int seed in new[] { 0, 7, 1_000_003 })
        {
            var world = WorldGenerator.Generate(TaskSeedPolicy.WorldSeed("block-search", seed));
            var (deep, steps) = WalkDown(world);
            int diamonds = 0, exposed = 0;
            for (int x = world.MinX; x <= world.MaxX; x++)
                for (int z = world.MinZ; z <= world.MaxZ; z++)
                    for (int y = 1; y <= DiamondTop; y++)
                    {
                        if (world.Get(x, y, z) != Block.DiamondOre) continue;
                        diamonds++;
                        if (UndergroundCarver.TouchesAir(world, x, y, z)) exposed++;
                    }
            output.WriteLine($"seed {seed}: {deep} deep standable cells reached on foot, {steps} steps from the spawn; {diamonds} diamonds, {exposed} touching air");
            Assert.True(deep > 200, $"seed {seed}: only {deep} deep cells can be walked to from the surface");
            Assert.True(exposed >= 100, $"seed {seed}: only {exposed} diamonds touch cave air");
        }
    }
}
