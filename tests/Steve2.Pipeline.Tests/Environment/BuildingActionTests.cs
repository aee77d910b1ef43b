using Steve2.Pipeline.Environment;
using Steve2.Pipeline.World;
using static Steve2.Pipeline.Tests.Environment.TestWorlds;

namespace Steve2.Pipeline.Tests.Environment;

/// <summary>The building actions placeBox and removeBox (ACTIONS.md, "Building actions").</summary>
public sealed class BuildingActionTests
{
    // The agent starts at (0, 10, 0) facing south (+z).
    private static readonly string Stone = Items.OfBlock(Block.Stone);

    [Fact]
    public void PlaceBox_places_a_wall_in_one_action_using_one_item_a_block()
    {
        using var env = Episode(Flat(), inventory: Holding((Items.Cobblestone, 40)));
        var outcome = env.Step(0, new PlaceBox(Items.Cobblestone, new BlockPos(-3, Feet, 2), new BlockPos(4, Feet + 2, 2)));
        Assert.True(outcome.Success, outcome.Message);
        Assert.Contains("placed 24 cobblestone", outcome.Message);
        for (int x = -3; x <= 4; x++)
            for (int y = Feet; y <= Feet + 2; y++)
                Assert.Equal(Block.Cobblestone, env.World.GetBlock(new BlockPos(x, y, 2)));
        Assert.Equal(16, outcome.Observation.Inventory[Items.Cobblestone]);
        // Placing the same box again finds every cell done: nothing used, still a success.
        var again = env.Step(0, new PlaceBox(Items.Cobblestone, new BlockPos(-3, Feet, 2), new BlockPos(4, Feet + 2, 2)));
        Assert.True(again.Success, again.Message);
        Assert.Contains("24 already", again.Message);
        Assert.Equal(16, again.Observation.Inventory[Items.Cobblestone]);
    }

    [Fact]
    public void PlaceBox_fails_in_part_when_the_items_run_out_and_counts_what_it_placed()
    {
        using var env = Episode(Flat(), inventory: Holding((Items.OakPlanks, 5)));
        var outcome = env.Step(0, new PlaceBox(Items.OakPlanks, new BlockPos(1, Feet, 3), new BlockPos(8, Feet, 3)));
        Assert.False(outcome.Success);
        Assert.Contains("placed 5 oak_planks", outcome.Message);
        Assert.Contains("3 failed", outcome.Message);
        Assert.Contains("no oak_planks left", outcome.Message);
        Assert.False(outcome.Observation.Inventory.ContainsKey(Items.OakPlanks));
        Assert.Equal(5, Enumerable.Range(1, 8).Count(x => env.World.GetBlock(new BlockPos(x, Feet, 3)) == Block.OakPlanks));
    }

    [Fact]
    public void PlaceBox_checks_support_occupants_and_size()
    {
        using var env = Episode(Flat(), agents: 2, inventory: Holding((Items.Cobblestone, 200)));
        // A floating row: no neighbour to place against (the row itself never touches a solid block).
        var floating = env.Step(0, new PlaceBox(Items.Cobblestone, new BlockPos(0, Feet + 3, 3), new BlockPos(2, Feet + 3, 3)));
        Assert.False(floating.Success);
        Assert.Contains("no solid neighbour", floating.Message);
        // Agent 1 stands at (2, 10, 0): its cells are skipped and named.
        var around = env.Step(0, new PlaceBox(Items.Cobblestone, new BlockPos(1, Feet, 0), new BlockPos(3, Feet, 0)));
        Assert.False(around.Success);
        Assert.Contains("inside agent 1", around.Message);
        Assert.Equal(Block.Cobblestone, env.World.GetBlock(new BlockPos(3, Feet, 0)));
        var big = env.Step(0, new PlaceBox(Items.Cobblestone, new BlockPos(0, Feet, 5), new BlockPos(8, Feet + 7, 5)));
        Assert.False(big.Success);
        Assert.Contains("at most 64", big.Message);
        Assert.Contains("not a block", env.Step(0, new PlaceBox(Items.Stick, new BlockPos(0, Feet, 5), new BlockPos(1, Feet, 5))).Message);
    }

    [Fact]
    public void PlaceBox_walks_along_within_the_movement_limit_and_reaches_high_layers_from_scaffolding()
    {
        using var env = Episode(Flat(), inventory: Holding((Stone, 64)));
        // A column 8 high, 3 blocks away: the top is beyond reach from the ground, the agent climbs to it.
        var tall = env.Step(0, new PlaceBox(Stone, new BlockPos(3, Feet, 0), new BlockPos(3, Feet + 7, 0)));
        Assert.True(tall.Success, tall.Message);
        Assert.Equal(Block.Stone, env.World.GetBlock(new BlockPos(3, Feet + 7, 0)));
        // A row 40 blocks away: walking to it passes the 50-block limit of one action before the far end.
        var far = env.Step(0, new PlaceBox(Stone, new BlockPos(40, Feet, 0), new BlockPos(55, Feet, 0)));
        Assert.False(far.Success);
        Assert.Contains("50-block walk", far.Message);
        Assert.True(far.BlocksMoved <= CodeAction.MaxMoveBlocks);
    }

    [Fact]
    public void PlaceBox_fails_for_a_cell_with_no_free_place_to_stand_within_reach()
    {
        var world = Flat();
        // A pocket of air inside solid stone, far below the surface: no free cell to stand in reaches it.
        world.Set(0, 3, 20, Block.Air);
        using var env = Episode(world, inventory: Holding((Stone, 4)));
        var outcome = env.Step(0, new PlaceBox(Stone, new BlockPos(0, 3, 20), new BlockPos(0, 3, 20)));
        Assert.False(outcome.Success);
        Assert.Contains("no free place to stand within reach", outcome.Message);
        Assert.Equal(4, outcome.Observation.Inventory[Stone]);
    }

    [Fact]
    public void RemoveBox_breaks_every_block_it_can_and_needs_the_tool()
    {
        var world = Flat();
        for (int x = 1; x <= 3; x++) world.Set(x, Feet, 2, Block.OakPlanks);
        world.Set(4, Feet, 2, Block.Stone);
        using var env = Episode(world);
        var outcome = env.Step(0, new RemoveBox(new BlockPos(1, Feet, 2), new BlockPos(4, Feet, 2)));
        Assert.False(outcome.Success);
        Assert.Contains("removed 3 blocks", outcome.Message);
        Assert.Contains("pickaxe", outcome.Message);
        Assert.Equal(3, outcome.Observation.Inventory[Items.OakPlanks]);
        Assert.Equal(Block.Stone, env.World.GetBlock(new BlockPos(4, Feet, 2)));
    }

    [Fact]
    public void Building_actions_parse_and_format()
    {
        var place = CodeActionSyntax.Parse("place_box('oak planks', 1, 2, 3, 4, 5, 6);");
        Assert.Equal(new PlaceBox(Items.OakPlanks, new BlockPos(1, 2, 3), new BlockPos(4, 5, 6)), place);
        Assert.Equal(place, CodeActionSyntax.Parse(place.ToCode()));
        var remove = CodeActionSyntax.Parse("removeBox(1, 2, 3, 4, 5, 6)");
        Assert.Equal(new RemoveBox(new BlockPos(1, 2, 3), new BlockPos(4, 5, 6)), remove);
        Assert.False(CodeActionSyntax.TryParse("placeBox(\"stone\", 1, 2, 3)", out _, out string error));
        Assert.Contains("7 arguments", error);
    }

    [Fact]
    public void Build_reach_counts_the_free_height_of_the_standing_column()
    {
        var feet = new BlockPos(0, 10, 0);
        var high = new BlockPos(2, 20, 0);
        Assert.True(BuildReach.Distance(feet, 10, high) > 4.5);
        Assert.True(BuildReach.Distance(feet, 19, high) <= 4.5);
        Assert.Equal(1.5, BuildReach.Distance(feet, 19, high), 6);
    }
}
