using Steve2.Pipeline.World;
using Steve2.Pipeline.Environment;
using static Steve2.Pipeline.Tests.Environment.TestWorlds;

namespace Steve2.Pipeline.Tests.Environment;

public sealed class PathFindingTests
{
    [Fact]
    public void Walks_straight_on_flat_ground()
    {
        using var env = Episode(Flat());
        var outcome = env.Step(0, new MoveTo(new BlockPos(10, Feet, 0)));
        Assert.True(outcome.Success, outcome.Message);
        Assert.Equal(10, outcome.BlocksMoved);
        Assert.Equal(new BlockPos(10, Feet, 0), outcome.Observation.Pose.Block);
    }

    [Fact]
    public void Goes_around_a_wall_through_its_gap()
    {
        var world = Flat();
        // A wall two blocks high across x = 5 from z = -10 to 10, with the gap at z = 8.
        for (int z = -10; z <= 10; z++)
        {
            if (z == 8) continue;
            world.Set(5, Feet, z, Block.Cobblestone);
            world.Set(5, Feet + 1, z, Block.Cobblestone);
        }
        using var env = Episode(world);
        var outcome = env.Step(0, new MoveTo(new BlockPos(10, Feet, 0)));
        Assert.True(outcome.Success, outcome.Message);
        Assert.Equal(10 + 2 * 8, outcome.BlocksMoved);
    }

    [Fact]
    public void Steps_up_one_block_but_not_two()
    {
        var world = Flat();
        for (int x = world.MinX; x <= world.MaxX; x++)
        {
            world.Set(x, Feet, 5, Block.Dirt);               // a one-block step at z = 5
            for (int z = 10; z <= 12; z++)
            {
                world.Set(x, Feet + 1, z, Block.Dirt);       // a two-block wall at z = 10..12 (on top of the step's level)
                world.Set(x, Feet + 2, z, Block.Dirt);
            }
        }
        for (int x = world.MinX; x <= world.MaxX; x++)
        for (int z = 6; z <= 12; z++)
            world.Set(x, Feet, z, Block.Dirt);
        using var env = Episode(world);
        var up = env.Step(0, new MoveTo(new BlockPos(0, Feet + 1, 7)));
        Assert.True(up.Success, up.Message);
        var wall = env.Step(0, new MoveTo(new BlockPos(0, Feet + 3, 11)));
        Assert.False(wall.Success);
        Assert.Contains("no path", wall.Message);
    }

    [Theory]
    [InlineData(3, true)]
    [InlineData(4, false)]
    public void Drops_at_most_three_blocks(int cliff, bool reachable)
    {
        var world = Flat();
        // The agent starts on a plateau `cliff` blocks high that covers x <= 3 along the whole world.
        for (int x = world.MinX; x <= 3; x++)
        for (int z = world.MinZ; z <= world.MaxZ; z++)
        for (int y = Feet; y < Feet + cliff; y++)
            world.Set(x, y, z, Block.Stone);
        using var env = Episode(world);
        Assert.Equal(Feet + cliff, env.Observe(0).Pose.Block.Y);
        var outcome = env.Step(0, new MoveTo(new BlockPos(6, Feet, 0)));
        Assert.Equal(reachable, outcome.Success);
        Assert.Equal(reachable ? 6 : 3, outcome.Observation.Pose.Block.X);
    }

    [Fact]
    public void Wades_through_water_one_deep_and_swims_across_deeper_water()
    {
        var world = Flat();
        for (int x = world.MinX; x <= world.MaxX; x++)
        {
            world.Set(x, Feet - 1, 4, Block.Water);                      // one deep: the feet cell at Feet - 1 is water, head in air
            world.Set(x, Feet - 1, 8, Block.Water);
            world.Set(x, Feet - 2, 8, Block.Water);                      // two deep at z = 8: swum, not waded
        }
        Assert.True(WalkingRules.CanStand(world, 0, Feet - 1, 4));
        Assert.False(WalkingRules.CanSwim(world, 0, Feet - 1, 4));
        Assert.False(WalkingRules.CanStand(world, 0, Feet - 1, 8));
        Assert.True(WalkingRules.CanSwim(world, 0, Feet - 1, 8));
        using var env = Episode(world);
        var shallow = env.Step(0, new MoveTo(new BlockPos(0, Feet, 6)));
        Assert.True(shallow.Success, shallow.Message);
        var deep = env.Step(0, new MoveTo(new BlockPos(0, Feet, 10)));
        Assert.True(deep.Success, deep.Message);
        Assert.Equal(4, deep.BlocksMoved);
    }

    /// <summary>A lake across the whole world at z = 4..12, three deep (water at Feet - 3 .. Feet - 1, so a swimmer's feet are at Feet - 1).</summary>
    private static VoxelWorld Lake(int bankHeight = 0)
    {
        var world = Flat();
        for (int x = world.MinX; x <= world.MaxX; x++)
        {
            for (int z = 4; z <= 12; z++)
            for (int y = Feet - 3; y <= Feet - 1; y++)
                world.Set(x, y, z, Block.Water);
            for (int y = Feet; y < Feet + bankHeight; y++) world.Set(x, y, 13, Block.Stone);   // the far bank raised
        }
        return world;
    }

    [Fact]
    public void Swims_across_a_lake_at_its_surface_and_climbs_out_onto_the_bank()
    {
        var world = Lake();
        using var env = Episode(world);
        // Into the lake: the agent floats at the surface (feet in the top water cell), never on the bottom.
        var into = env.Step(0, new MoveTo(new BlockPos(0, Feet - 1, 8)));
        Assert.True(into.Success, into.Message);
        Assert.Equal(new BlockPos(0, Feet - 1, 8), into.Observation.Pose.Block);
        Assert.Equal(8, into.BlocksMoved);
        // Out onto the far bank, one block up from the water; every swum cell counts as a moved block.
        var across = env.Step(0, new MoveTo(new BlockPos(0, Feet, 15)));
        Assert.True(across.Success, across.Message);
        Assert.Equal(7, across.BlocksMoved);
        Assert.Equal(new BlockPos(0, Feet, 15), across.Observation.Pose.Block);
    }

    [Fact]
    public void Does_not_dive_nor_climb_out_two_blocks_up()
    {
        var world = Lake(bankHeight: 1);   // the far bank's standing cell is two above the swimmer's feet
        // No standing or swimming below the surface: the bottom of deep water is no place to be.
        Assert.False(WalkingRules.CanOccupy(world, 0, Feet - 2, 8));
        Assert.False(WalkingRules.CanOccupy(world, 0, Feet - 3, 8));
        var surface = new BlockPos(0, Feet - 1, 8);
        foreach (var (dx, dz) in WalkingRules.SideSteps)
            Assert.Equal(Feet - 1, WalkingRules.Step(world, surface, dx, dz, swim: true)?.Y);   // level across the surface
        // Without swimming (animals) deep water stays a wall.
        Assert.Null(WalkingRules.Step(world, new BlockPos(0, Feet, 3), 0, 1));
        using var env = Episode(world);
        var bottom = env.Step(0, new MoveTo(new BlockPos(0, Feet - 3, 8)));
        Assert.False(bottom.Success, bottom.Message);
        Assert.Equal(0, bottom.BlocksMoved);
        var far = env.Step(0, new MoveTo(new BlockPos(0, Feet + 1, 15)));
        Assert.False(far.Success, far.Message);
        Assert.Contains("no path", far.Message);
        Assert.Equal(Feet - 1, far.Observation.Pose.Block.Y);   // it swam as far as it could, at the surface
        Assert.Equal(12, far.Observation.Pose.Block.Z);
    }

    [Theory]
    [InlineData(0, false)]   // going around the pond by x = 1 costs 2 more steps (12): walked
    [InlineData(2, true)]    // around by x = 3 costs 6 more (16): swum straight across (10 steps, 5 swum)
    public void The_path_finder_prefers_land_when_the_ways_are_similar(int pondEast, bool swims)
    {
        var world = Flat();
        for (int x = world.MinX; x <= pondEast; x++)
        for (int z = 3; z <= 7; z++)
        for (int y = Feet - 3; y <= Feet - 1; y++)
            world.Set(x, y, z, Block.Water);
        var start = new BlockPos(0, Feet, 0);
        var goal = new BlockPos(0, Feet, 10);
        var result = PathFinder.Find(world, start, (goal.X, goal.Z), p => p == goal, 0, 200, 50, 20000);
        Assert.True(result.ReachedGoal);
        Assert.Equal(swims ? 10 : 12, result.Path.Count);
        Assert.Equal(swims ? 5 : 0, result.Path.Count(p => WalkingRules.CanSwim(world, p)));
    }

    [Fact]
    public void Goes_at_most_fifty_blocks_and_says_so()
    {
        using var env = Episode(Flat());
        var outcome = env.Step(0, new MoveTo(new BlockPos(60, Feet, 0)));
        Assert.False(outcome.Success);
        Assert.Equal(CodeAction.MaxMoveBlocks, outcome.BlocksMoved);
        Assert.Contains("longer than 50", outcome.Message);
        Assert.Equal(new BlockPos(50, Feet, 0), outcome.Observation.Pose.Block);
        var rest = env.Step(0, new MoveTo(new BlockPos(60, Feet, 0)));
        Assert.True(rest.Success, rest.Message);
    }

    [Fact]
    public void Unreachable_target_inside_a_closed_box_fails_with_partial_progress()
    {
        var world = Flat();
        for (int x = 8; x <= 12; x++)
        for (int z = -2; z <= 2; z++)
        for (int y = Feet; y <= Feet + 2; y++)
            if (x is 8 or 12 || z is -2 or 2 || y == Feet + 2) world.Set(x, y, z, Block.Cobblestone);
        using var env = Episode(world, options: new(world.Options, SoundChance: 0, PathNodeBudget: 4000));
        var outcome = env.Step(0, new MoveTo(new BlockPos(10, Feet, 0)));
        Assert.False(outcome.Success);
        Assert.Contains("no path", outcome.Message);
        Assert.Equal(7, outcome.Observation.Pose.Block.X);
    }
}
