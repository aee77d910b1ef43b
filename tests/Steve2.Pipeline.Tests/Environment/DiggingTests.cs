using Steve2.Pipeline.Environment;
using Steve2.Pipeline.World;
using static Steve2.Pipeline.Tests.Environment.TestWorlds;

namespace Steve2.Pipeline.Tests.Environment;

/// <summary>The digging skills (ACTIONS.md, "Digging"): several blocks an action, each with its tool tier, counted, and safe stops.</summary>
public sealed class DiggingTests
{
    // The agent starts at (0, 10, 0) on a stone floor whose top is y = 9, facing south (+z).

    /// <summary>The flat world with a stone wall 2 high (y 10..11) east of the agent, x 1..40, z -2..2.</summary>
    private static VoxelWorld WithRock()
    {
        var world = Flat();
        for (int x = 1; x <= 40; x++)
            for (int z = -2; z <= 2; z++)
                for (int y = Feet; y <= Feet + 2; y++) world.Set(x, y, z, Block.Stone);
        return world;
    }

    [Fact]
    public void Tunnel_mines_two_blocks_a_step_walks_along_and_counts_the_drops()
    {
        using var env = Episode(WithRock(), inventory: Holding((Items.WoodenPickaxe, 1)));
        var outcome = env.Step(0, new Tunnel(Direction.East, 10));
        Assert.True(outcome.Success, outcome.Message);
        Assert.Equal(10, outcome.BlocksMoved);
        Assert.Equal(new BlockPos(10, Feet, 0), outcome.Observation.Pose.Block);
        Assert.Equal(20, outcome.Gained[Items.Cobblestone]);
        Assert.Equal(20, outcome.Observation.Inventory[Items.Cobblestone]);
        Assert.Contains("mined 20 blocks", outcome.Message);
        var world = ((VoxelEnvironment)env).Blocks;
        for (int x = 1; x <= 10; x++)
        {
            Assert.Equal(Block.Air, world.Get(x, Feet, 0));
            Assert.Equal(Block.Air, world.Get(x, Feet + 1, 0));
            Assert.Equal(Block.Stone, world.Get(x, Feet + 2, 0));
        }
        Assert.Equal(Block.Stone, world.Get(11, Feet, 0));
    }

    [Fact]
    public void Without_the_tool_a_tunnel_stops_before_stone_and_an_ore_stops_a_weaker_pickaxe()
    {
        using (var bare = Episode(WithRock()))
        {
            var outcome = bare.Step(0, new Tunnel(Direction.East, 5));
            Assert.False(outcome.Success);
            Assert.Equal(0, outcome.BlocksMoved);
            Assert.Contains("needs a wooden_pickaxe", outcome.Message);
            Assert.Empty(outcome.Gained);
        }
        var world = WithRock();
        world.Set(5, Feet, 0, Block.IronOre);
        using var env = Episode(world, inventory: Holding((Items.WoodenPickaxe, 1)));
        var stopped = env.Step(0, new Tunnel(Direction.East, 10));
        Assert.False(stopped.Success);
        Assert.Equal(new BlockPos(4, Feet, 0), stopped.Observation.Pose.Block);
        Assert.Contains("iron_ore needs a stone_pickaxe", stopped.Message);
        // The head block of that step was mined before the feet block stopped it; the ore stays.
        Assert.Equal(9, stopped.Gained[Items.Cobblestone]);
        Assert.Equal(Block.IronOre, world.Get(5, Feet, 0));
        // The agent looks at the ore it exposed: it is in view.
        Assert.Contains("exposed 1 iron_ore", stopped.Message);
        Assert.Contains(stopped.Observation.VisibleBlocks, b => b.Position == new BlockPos(5, Feet, 0) && b.Block == Block.IronOre);
        // A stone pickaxe digs on through it.
        using var better = Episode(WithRock(), inventory: Holding((Items.StonePickaxe, 1)));
        Assert.True(better.Step(0, new Tunnel(Direction.East, 10)).Success);
    }

    [Fact]
    public void Tunnel_stops_at_an_open_drop_and_before_water()
    {
        var world = WithRock();
        for (int y = 5; y <= Feet - 1; y++) world.Set(6, y, 0, Block.Air);
        using (var env = Episode(world, inventory: Holding((Items.WoodenPickaxe, 1))))
        {
            var outcome = env.Step(0, new Tunnel(Direction.East, 10));
            Assert.False(outcome.Success);
            Assert.Equal(new BlockPos(5, Feet, 0), outcome.Observation.Pose.Block);
            Assert.Contains("open drop of 5 blocks", outcome.Message);
        }
        var wet = WithRock();
        wet.Set(4, Feet + 2, 0, Block.Water);
        using var flood = Episode(wet, inventory: Holding((Items.WoodenPickaxe, 1)));
        var stopped = flood.Step(0, new Tunnel(Direction.East, 10));
        Assert.Equal(new BlockPos(3, Feet, 0), stopped.Observation.Pose.Block);
        Assert.Contains("water behind stone at (4, 11, 0)", stopped.Message);
        Assert.Equal(Block.Stone, wet.Get(4, Feet + 1, 0));
    }

    [Fact]
    public void Staircase_goes_one_down_a_step_mining_up_to_three_blocks()
    {
        using var env = Episode(Flat(), inventory: Holding((Items.WoodenPickaxe, 1)));
        var outcome = env.Step(0, new Staircase(Direction.South, 5));
        Assert.True(outcome.Success, outcome.Message);
        Assert.Equal(new BlockPos(0, Feet - 5, 5), outcome.Observation.Pose.Block);
        // Steps 1 and 2 start in the open (1 and 2 stone blocks), steps 3..5 take 3 each.
        Assert.Equal(12, outcome.Gained[Items.Cobblestone]);
        Assert.Equal(5, outcome.BlocksMoved);
        // The stairs can be walked back up.
        var back = env.Step(0, new MoveTo(new BlockPos(0, Feet, 0)));
        Assert.True(back.Success, back.Message);
    }

    [Fact]
    public void DigDown_stops_above_bedrock_and_above_an_open_drop()
    {
        using (var env = Episode(Flat(), inventory: Holding((Items.WoodenPickaxe, 1))))
        {
            var outcome = env.Step(0, new DigDown(20));
            Assert.False(outcome.Success);
            Assert.Equal(new BlockPos(0, 1, 0), outcome.Observation.Pose.Block);
            Assert.Equal(Feet - 1, outcome.Gained[Items.Cobblestone]);
            Assert.Contains("bedrock", outcome.Message);
        }
        var world = Flat();
        for (int y = 2; y <= 5; y++) world.Set(0, y, 0, Block.Air);
        using var cave = Episode(world, inventory: Holding((Items.WoodenPickaxe, 1)));
        var stopped = cave.Step(0, new DigDown(8));
        Assert.False(stopped.Success);
        // Feet at 7: mining the block at 6 would drop the agent 5 blocks, so it stays.
        Assert.Equal(new BlockPos(0, 7, 0), stopped.Observation.Pose.Block);
        Assert.Contains("open drop of 5 blocks below", stopped.Message);
        Assert.Equal(Block.Stone, world.Get(0, 6, 0));
    }

    [Fact]
    public void Digging_refuses_diagonals_and_more_than_the_cap()
    {
        using var env = Episode(Flat(), inventory: Holding((Items.WoodenPickaxe, 1)));
        Assert.Contains("north, east, south or west", env.Step(0, new Tunnel(Direction.NorthEast, 5)).Message);
        Assert.Contains("1..20", env.Step(0, new Staircase(Direction.North, CodeAction.MaxDigSteps + 1)).Message);
        Assert.Contains("1..20", env.Step(0, new DigDown(0)).Message);
        Assert.Equal(new BlockPos(0, Feet, 0), env.Observe(0).Pose.Block);
    }

    [Theory]
    [InlineData("digDown(8)", "digDown(8)")]
    [InlineData("dig_down( 3 );", "digDown(3)")]
    [InlineData("staircase(N, 20)", "staircase(north, 20)")]
    [InlineData("TUNNEL('east', 3)", "tunnel(east, 3)")]
    public void Digging_code_text_parses_to_its_canonical_form(string text, string canonical)
    {
        var action = CodeActionSyntax.Parse(text);
        Assert.Equal(canonical, action.ToCode());
        Assert.Equal(action, CodeActionSyntax.Parse(canonical));
    }
}
