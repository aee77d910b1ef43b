using Steve2.Pipeline.Environment;
using Steve2.Pipeline.World;
using static Steve2.Pipeline.Tests.Environment.TestWorlds;

namespace Steve2.Pipeline.Tests.Environment;

public sealed class ActionTests
{
    // The agent starts at (0, 10, 0) facing south (+z); its eye is at (0.5, 11.62, 0.5).

    [Fact]
    public void Explore_walks_the_blocks_asked_and_faces_that_way()
    {
        using var env = Episode(Flat());
        var outcome = env.Step(0, new Explore(Direction.East, 20));
        Assert.True(outcome.Success, outcome.Message);
        Assert.Equal(20, outcome.BlocksMoved);
        Assert.Equal(new BlockPos(20, Feet, 0), outcome.Observation.Pose.Block);
        Assert.Equal(-90, outcome.Observation.Pose.Yaw, 6);
        var diagonal = env.Step(0, new Explore(Direction.NorthWest, 10));
        Assert.True(diagonal.Success, diagonal.Message);
        Assert.Equal(new BlockPos(15, Feet, -5), diagonal.Observation.Pose.Block);
    }

    [Fact]
    public void Explore_goes_around_a_tree_and_counts_as_done()
    {
        var world = Flat();
        for (int y = Feet; y < Feet + 5; y++) world.Set(5, y, 0, Block.OakLog);
        using var env = Episode(world);
        var outcome = env.Step(0, new Explore(Direction.East, 20));
        Assert.True(outcome.Success, outcome.Message);
        Assert.Equal(20, outcome.BlocksMoved);
        Assert.Contains("2 short", outcome.Message);
        Assert.InRange(outcome.Observation.Pose.Block.X, 18, 19);
    }

    [Fact]
    public void Explore_stops_at_a_wall_and_refuses_more_than_fifty()
    {
        var world = Flat();
        for (int z = world.MinZ; z <= world.MaxZ; z++)
        for (int y = Feet; y <= Feet + 2; y++)
            world.Set(8, y, z, Block.Stone);
        using var env = Episode(world);
        var blocked = env.Step(0, new Explore(Direction.East, 20));
        Assert.False(blocked.Success);
        Assert.Equal(7, blocked.BlocksMoved);
        Assert.Contains("blocked", blocked.Message);
        var tooFar = env.Step(0, new Explore(Direction.West, 51));
        Assert.False(tooFar.Success);
        Assert.Contains("1..50", tooFar.Message);
        Assert.Contains("at least 2", env.Step(0, new Explore(Direction.SouthWest, 1)).Message);
    }

    [Fact]
    public void Explore_at_the_world_edge_says_so()
    {
        using var env = Episode(Flat(64));
        var first = env.Step(0, new Explore(Direction.East, 40));
        Assert.False(first.Success);
        Assert.Contains("edge", first.Message);
        Assert.Equal(31, first.Observation.Pose.Block.X);
    }

    [Fact]
    public void LookAt_sets_the_view_and_rejects_bad_pitch()
    {
        using var env = Episode(Flat());
        var ok = env.Step(0, new LookAt(270, 30));
        Assert.True(ok.Success);
        Assert.Equal(-90, ok.Observation.Pose.Yaw, 6);
        Assert.Equal(30, ok.Observation.Pose.Pitch, 6);
        Assert.False(env.Step(0, new LookAt(0, 95)).Success);
        Assert.False(env.Step(0, new LookAt(double.NaN, 0)).Success);
    }

    [Fact]
    public void Mine_needs_the_right_tool_tier()
    {
        var world = Flat();
        world.Set(0, Feet, 2, Block.Stone);
        world.Set(1, Feet, 2, Block.IronOre);
        world.Set(-1, Feet, 2, Block.DiamondOre);
        using var bare = Episode(world.Clone());
        var noTool = bare.Step(0, new Mine(new BlockPos(0, Feet, 2)));
        Assert.False(noTool.Success);
        Assert.Contains("wooden_pickaxe", noTool.Message);
        Assert.Equal(Block.Stone, bare.World.GetBlock(new BlockPos(0, Feet, 2)));

        using var wooden = Episode(world.Clone(), inventory: Holding((Items.WoodenPickaxe, 1)));
        var stone = wooden.Step(0, new Mine(new BlockPos(0, Feet, 2)));
        Assert.True(stone.Success, stone.Message);
        Assert.Equal(1, stone.Gained[Items.Cobblestone]);
        Assert.Equal(Block.Air, wooden.World.GetBlock(new BlockPos(0, Feet, 2)));
        var iron = wooden.Step(0, new Mine(new BlockPos(1, Feet, 2)));
        Assert.False(iron.Success);
        Assert.Contains("stone_pickaxe", iron.Message);

        using var stonePick = Episode(world.Clone(), inventory: Holding((Items.StonePickaxe, 1)));
        Assert.True(stonePick.Step(0, new Mine(new BlockPos(1, Feet, 2))).Success);
        var diamond = stonePick.Step(0, new Mine(new BlockPos(-1, Feet, 2)));
        Assert.False(diamond.Success);
        Assert.Contains("iron_pickaxe", diamond.Message);

        using var ironPick = Episode(world.Clone(), inventory: Holding((Items.IronPickaxe, 1)));
        var gem = ironPick.Step(0, new Mine(new BlockPos(-1, Feet, 2)));
        Assert.True(gem.Success, gem.Message);
        Assert.Equal(1, gem.Observation.Inventory[Items.Diamond]);
    }

    [Fact]
    public void Mine_fails_out_of_reach_on_air_on_bedrock_and_on_enclosed_blocks()
    {
        var world = Flat();
        world.Set(0, Feet, 8, Block.Dirt);
        world.Set(0, 0, 1, Block.Bedrock);
        using var env = Episode(world, inventory: Holding((Items.IronPickaxe, 1)));
        Assert.Contains("out of reach", env.Step(0, new Mine(new BlockPos(0, Feet, 8))).Message);
        Assert.Contains("nothing to mine", env.Step(0, new Mine(new BlockPos(0, Feet, 1))).Message);
        Assert.Contains("enclosed", env.Step(0, new Mine(new BlockPos(1, Feet - 3, 1))).Message);
        Assert.Contains("outside the world", env.Step(0, new Mine(new BlockPos(1000, 5, 0))).Message);
        // Dig down to bedrock below the agent: each mined floor block drops the agent one down.
        for (int y = Feet - 1; y >= 1; y--) Assert.True(env.Step(0, new Mine(new BlockPos(0, y, 0))).Success);
        Assert.Equal(1, env.Observe(0).Pose.Block.Y);
        var bedrock = env.Step(0, new Mine(new BlockPos(0, 0, 0)));
        Assert.False(bedrock.Success);
        Assert.Contains("cannot be broken", bedrock.Message);
    }

    private static void Tree(VoxelWorld world, int x, int z, int height)
    {
        for (int y = Feet; y < Feet + height; y++) world.Set(x, y, z, Block.OakLog);
    }

    [Fact]
    public void Collect_walks_to_seen_logs_and_mines_several()
    {
        var world = Flat();
        Tree(world, 0, 12, 3);
        Tree(world, 3, 15, 3);
        using var env = Episode(world);
        env.Observe(0); // the trees are in view, 12 to 15 blocks ahead
        var outcome = env.Step(0, new Collect(Items.OakLog, 5));
        Assert.True(outcome.Success, outcome.Message);
        Assert.Equal(5, outcome.Gained[Items.OakLog]);
        Assert.InRange(outcome.BlocksMoved, 1, CodeAction.MaxMoveBlocks);
        Assert.Equal(5, outcome.Observation.Inventory[Items.OakLog]);
    }

    [Fact]
    public void Collect_fails_when_nothing_is_known_unknown_or_the_tool_is_missing()
    {
        var world = Flat();
        Tree(world, 0, -12, 3); // behind the agent: never seen
        using var env = Episode(world);
        env.Observe(0);
        var unseen = env.Step(0, new Collect(Items.OakLog, 1));
        Assert.False(unseen.Success);
        Assert.Contains("explore", unseen.Message);
        Assert.Contains("no block or animal yields", env.Step(0, new Collect("unobtainium", 1)).Message);
        Assert.Contains("wooden_pickaxe", env.Step(0, new Collect(Items.Cobblestone, 1)).Message);
        Assert.Contains("1..64", env.Step(0, new Collect(Items.OakLog, 0)).Message);
    }

    [Fact]
    public void Collect_from_an_animal_gives_its_drop_and_removes_it()
    {
        var world = Flat();
        world.InitialAnimals = [("pig", new BlockPos(0, Feet, 6))];
        using var env = Episode(world);
        env.Observe(0);
        var outcome = env.Step(0, new Collect(Items.Porkchop, 1));
        Assert.True(outcome.Success, outcome.Message);
        Assert.True(outcome.Gained[Items.Porkchop] >= 1);
        Assert.DoesNotContain(env.World.Entities, e => e.Kind == "pig");
    }

    [Fact]
    public void Craft_makes_items_and_names_what_is_missing()
    {
        using var env = Episode(Flat(), inventory: Holding((Items.OakLog, 2)));
        var planks = env.Step(0, new Craft(Items.OakPlanks, 2));
        Assert.True(planks.Success, planks.Message);
        Assert.Equal(8, planks.Gained[Items.OakPlanks]);
        Assert.Equal(8, planks.Observation.Inventory[Items.OakPlanks]);
        Assert.False(planks.Observation.Inventory.ContainsKey(Items.OakLog));
        var pickaxe = env.Step(0, new Craft(Items.WoodenPickaxe, 1));
        Assert.False(pickaxe.Success);
        Assert.Contains("crafting_table", pickaxe.Message);
        Assert.Contains("2 stick", pickaxe.Message);
        Assert.True(env.Step(0, new Craft(Items.Stick, 1)).Success);
        Assert.True(env.Step(0, new Craft(Items.CraftingTable, 1)).Success);
        // 8 planks - 2 for sticks - 4 for the table = 2 left: one short of a pickaxe.
        var short1 = env.Step(0, new Craft(Items.WoodenPickaxe, 1));
        Assert.False(short1.Success);
        Assert.Contains("1 oak_planks (have 2 of 3)", short1.Message);
    }

    [Fact]
    public void Craft_with_a_placed_crafting_table_within_reach()
    {
        using var env = Episode(Flat(), inventory: Holding((Items.CraftingTable, 1), (Items.OakPlanks, 3), (Items.Stick, 2)));
        Assert.True(env.Step(0, new Place(Items.CraftingTable, new BlockPos(0, Feet, 2))).Success);
        var pickaxe = env.Step(0, new Craft(Items.WoodenPickaxe, 1));
        Assert.True(pickaxe.Success, pickaxe.Message);
    }

    [Fact]
    public void Place_needs_the_item_reach_support_and_a_free_cell()
    {
        using var env = Episode(Flat(), agents: 2, inventory: Holding((Items.Cobblestone, 3)));
        var ok = env.Step(0, new Place(Items.Cobblestone, new BlockPos(0, Feet, 2)));
        Assert.True(ok.Success, ok.Message);
        Assert.Equal(Block.Cobblestone, env.World.GetBlock(new BlockPos(0, Feet, 2)));
        Assert.Equal(2, ok.Observation.Inventory[Items.Cobblestone]);
        Assert.Contains("taken by", env.Step(0, new Place(Items.Cobblestone, new BlockPos(0, Feet, 2))).Message);
        Assert.Contains("no solid neighbour", env.Step(0, new Place(Items.Cobblestone, new BlockPos(0, Feet + 3, 2))).Message);
        Assert.Contains("out of reach", env.Step(0, new Place(Items.Cobblestone, new BlockPos(0, Feet, 9))).Message);
        Assert.Contains("inside agent 1", env.Step(0, new Place(Items.Cobblestone, new BlockPos(2, Feet, 0))).Message);
        Assert.Contains("no oak_planks", env.Step(0, new Place(Items.OakPlanks, new BlockPos(1, Feet, 2))).Message);
        Assert.Contains("not a placeable block", env.Step(0, new Place(Items.Stick, new BlockPos(1, Feet, 2))).Message);
    }

    [Fact]
    public void OpenChest_takes_everything_once()
    {
        var world = Flat();
        world.PlaceChest(new BlockPos(0, Feet, 2), new Dictionary<string, int> { [Items.Diamond] = 2, [Items.GoldIngot] = 3 });
        world.PlaceChest(new BlockPos(0, Feet, 20), new Dictionary<string, int> { [Items.Coal] = 1 });
        using var env = Episode(world);
        var open = env.Step(0, new OpenChest(new BlockPos(0, Feet, 2)));
        Assert.True(open.Success, open.Message);
        Assert.Equal(2, open.Gained[Items.Diamond]);
        Assert.Equal(3, open.Observation.Inventory[Items.GoldIngot]);
        Assert.Empty(env.World.ChestContents(new BlockPos(0, Feet, 2))!);
        var again = env.Step(0, new OpenChest(new BlockPos(0, Feet, 2)));
        Assert.Contains("empty", again.Message);
        Assert.Empty(again.Gained);
        Assert.Contains("out of reach", env.Step(0, new OpenChest(new BlockPos(0, Feet, 20))).Message);
        Assert.Contains("no chest", env.Step(0, new OpenChest(new BlockPos(3, Feet, 3))).Message);
    }

    [Fact]
    public void Agents_have_their_own_pose_inventory_and_iterations()
    {
        using var env = Episode(Flat(), agents: 3, inventory: Holding((Items.OakLog, 1)));
        Assert.Equal(3, env.AgentCount);
        env.Step(1, new Craft(Items.OakPlanks, 1));
        env.Step(2, new Explore(Direction.South, 5));
        var o0 = env.Observe(0);
        var o1 = env.Observe(1);
        var o2 = env.Observe(2);
        Assert.Equal(1, o0.Inventory[Items.OakLog]);
        Assert.Equal(4, o1.Inventory[Items.OakPlanks]);
        Assert.Equal((0, 1, 1), (o0.Iteration, o1.Iteration, o2.Iteration));
        Assert.NotEqual(o0.Pose.Block, o1.Pose.Block);
        Assert.Equal(5, o2.Pose.Block.Z);
        Assert.Equal(3, env.World.Entities.Count(e => e.Kind == "agent"));
        Assert.Throws<ArgumentOutOfRangeException>(() => env.Step(3, new Wait()));
    }

    [Fact]
    public void Wait_passes_one_iteration_and_animals_move()
    {
        var world = Flat();
        world.InitialAnimals = [("cow", new BlockPos(5, Feet, 5)), ("sheep", new BlockPos(-5, Feet, 5)), ("chicken", new BlockPos(5, Feet, -5))];
        using var env = Episode(world);
        var start = env.World.Entities.Where(e => e.Kind != "agent").ToList();
        for (int i = 0; i < 10; i++) Assert.True(env.Step(0, new Wait()).Success);
        Assert.Equal(10, env.Observe(0).Iteration);
        Assert.NotEqual(start, env.World.Entities.Where(e => e.Kind != "agent").ToList());
    }
}
