using Steve2.Pipeline.Cli;
using Steve2.Pipeline.Environment;
using Steve2.Pipeline.World;

namespace Steve2.Pipeline.Tests.Environment;

/// <summary>Episodes on a generated world (seed 1, default size): the factory, navigation and structures work together.</summary>
public sealed class RealWorldTests
{
    private static readonly VoxelEnvironmentFactory Factory = new();

    [Fact]
    public void Factory_makes_voxel_episodes_on_the_surface()
    {
        Assert.Equal("voxel", Factory.Backend);
        using var env = Factory.Create(new EpisodeSpec(1, 2));
        Assert.Equal(2, env.AgentCount);
        var world = Factory.WorldFor(1);
        for (int a = 0; a < 2; a++)
        {
            var feet = env.Observe(a).Pose.Block;
            Assert.True(WalkingRules.CanStand(world, feet));
            Assert.Equal(world.SurfaceHeight(feet.X, feet.Z) + 1, feet.Y);
        }
        Assert.Equal(new BlockPos(-128, 0, -128), env.World.Min);
        Assert.Equal(new BlockPos(127, 95, 127), env.World.Max);
        Assert.Contains(env.World.BiomeAt(0, 0), new[] { "plains", "forest", "desert", "mountains", "water" });
        Assert.Throws<ArgumentOutOfRangeException>(() => Factory.Create(new EpisodeSpec(1, 9)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new VoxelEnvironmentFactory(new VoxelEnvironmentOptions(ImageWidth: 4)));
    }

    [Fact]
    public void A_spawn_given_in_the_spec_puts_agents_on_the_surface_near_it()
    {
        var world = Factory.WorldFor(1);
        var chest = world.ChestPositions.First(c => world.BiomeAt(c.X, c.Z) == Biome.Desert);
        using var env = Factory.Create(new EpisodeSpec(1, 1, new BlockPos(chest.X, 0, chest.Z + 12)));
        var feet = env.Observe(0).Pose.Block;
        Assert.True(Math.Abs(feet.X - chest.X) + Math.Abs(feet.Z - chest.Z - 12) <= 4, $"{feet}");
    }

    [Fact]
    public void An_agent_walks_into_a_pyramid_and_takes_its_treasure()
    {
        var world = Factory.WorldFor(1);
        var chest = world.ChestPositions.First(c => world.BiomeAt(c.X, c.Z) == Biome.Desert && world.Get(c.Below) == Block.Sandstone);
        using var env = Factory.Create(new EpisodeSpec(1, 1, new BlockPos(chest.X, 0, chest.Z + 12)));
        ActionOutcome? move = null;
        for (int i = 0; i < 4 && move is not { Success: true }; i++) move = env.Step(0, new MoveTo(chest.Offset(0, 0, 1)));
        Assert.True(move!.Success, move.Message);
        var open = env.Step(0, new OpenChest(chest));
        Assert.True(open.Success, open.Message);
        Assert.True(open.Gained[Items.Diamond] >= 1);
    }

    [Fact]
    public void Exploring_reveals_the_map_and_collecting_wood_works_in_a_forest()
    {
        using var env = Factory.CreateVoxel(new EpisodeSpec(1));
        int moved = 0;
        foreach (var d in new[] { Direction.North, Direction.East, Direction.South, Direction.South, Direction.West, Direction.West })
            moved += env.Step(0, new Explore(d, 30)).BlocksMoved;
        Assert.True(moved >= 60, $"moved {moved}");
        Assert.True(env.World.RevealedColumns(0).Count > 1000, $"revealed {env.World.RevealedColumns(0).Count}");

        var world = Factory.WorldFor(1);
        var forest = Enumerable.Range(0, 2000).Select(i => (X: -120 + i % 240, Z: -120 + i / 240 * 24))
            .First(c => world.BiomeAt(c.X, c.Z) == Biome.Forest && world.Get(c.X, world.SurfaceHeight(c.X, c.Z), c.Z) == Block.OakLog);
        using var woods = Factory.CreateVoxel(new EpisodeSpec(1, 1, new BlockPos(forest.X, 0, forest.Z)));
        ActionOutcome? collect = null;
        for (int turn = 0; turn < 4 && collect is not { Success: true }; turn++)
        {
            woods.Step(0, new LookAt(turn * 90, 10));
            collect = woods.Step(0, new Collect(Items.OakLog, 3));
        }
        Assert.True(collect!.Success, collect.Message);
    }

    [Fact]
    public void World_bench_command_refuses_bad_counts()
    {
        Assert.Equal(2, WorldBenchCommand.Create().Parse("--worlds 0").Invoke());
        Assert.Equal(2, WorldBenchCommand.Create().Parse("--steps 0").Invoke());
    }
}
