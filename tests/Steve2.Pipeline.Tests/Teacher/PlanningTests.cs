using Steve2.Pipeline.Environment;
using Steve2.Pipeline.World;
using Steve2.Pipeline.Experts;
using Steve2.Pipeline.Teacher.Planning;
using Steve2.Pipeline.Teacher.Rules;
using Steve2.Pipeline.Teacher.Roles;

namespace Steve2.Pipeline.Tests.Teacher;

public sealed class PlanningTests
{
    [Fact]
    public void The_guessed_shape_follows_the_words_only()
    {
        var small = ShapeGuesser.Guess("a squat hut with a 4 by four footprint and a door");
        Assert.Equal((4, 3, 4), (small.SizeX, small.SizeY, small.SizeZ)); // 2 walls + roof
        Assert.False(small[2, 0, 3]); // the doorway in the front wall
        Assert.True(small[0, 0, 0]);
        var tall = ShapeGuesser.Guess("a tall open-topped well");
        Assert.Equal(5, tall.SizeY);
        Assert.False(tall[3, 4, 3]);
        Assert.NotEqual(small, ShapeGuesser.Guess("a large hall"));
    }

    [Fact]
    public void The_own_build_order_places_every_block_once_against_a_placed_one()
    {
        var grid = ShapeGuesser.Guess("a 5 by 4 hut with a flat roof");
        var order = OwnBuildOrder.Plan(grid);
        Assert.Equal(grid.Count(), order.Count);
        Assert.Equal(order.Count, order.Select(o => (o.X, o.Y, o.Z)).Distinct().Count());
        var placed = new HashSet<(int, int, int)>();
        foreach (PlannedBlock b in order)
        {
            bool supported = b.Y == 0 || new[] { (b.X, b.Y - 1, b.Z), (b.X + 1, b.Y, b.Z), (b.X - 1, b.Y, b.Z), (b.X, b.Y, b.Z + 1), (b.X, b.Y, b.Z - 1) }.Any(placed.Contains);
            Assert.True(supported, $"{b} has nothing to be placed against");
            placed.Add((b.X, b.Y, b.Z));
        }
    }

    [Fact]
    public void A_site_plan_starts_at_the_site_and_teammates_are_handed_different_near_steps()
    {
        var grid = new global::Expert.VqVae.Voxels.OccupancyGrid(8, 8, 8);
        grid.FillBox(2, 1, 3, 4, 1, 3);
        var plan = SitePlan.FromGrid(grid, OwnBuildOrder.Plan(grid), new BlockPos(10, 5, 10), "guess");
        Assert.Equal([new BlockPos(10, 5, 10), new BlockPos(11, 5, 10), new BlockPos(12, 5, 10)], plan.Steps.Select(s => s.Position).OrderBy(p => p.X).ToArray());
        var build = new SubTask(SubTaskKind.Build);
        var far = new BlockPos(20, 5, 10);

        Directive first = ConductorRules.Direct(0, build, DecisionFacts.Conductor(far, build: plan.WindowFor(0)), null);
        Assert.Equal(new Directive(DirectiveKind.Place, new BlockPos(12, 5, 10), Steve2.Pipeline.Tasks.CreationTask.Material), first);
        PlanStep claimed = plan.Claim(0, first.Target, PlannedBlockAction.Place)!;
        Assert.Equal(claimed.Index, plan.ClaimOf(0));
        Assert.Equal([claimed.Index], plan.WindowFor(1).ClaimedByTeammates);
        Assert.Empty(plan.WindowFor(0).ClaimedByTeammates);

        Directive second = ConductorRules.Direct(1, build, DecisionFacts.Conductor(far, build: plan.WindowFor(1)), null);
        Assert.NotEqual(first.Target, second.Target);
        Assert.Null(plan.Claim(1, first.Target, PlannedBlockAction.Place));  // agent 0 holds it
        Assert.Null(plan.Claim(1, new BlockPos(0, 0, 0), PlannedBlockAction.Place));  // not a step of the plan
        Assert.Null(plan.Claim(1, second.Target, PlannedBlockAction.Remove));  // a step to place, not to remove

        plan.MarkDone(claimed.Index);
        Assert.Equal(claimed.Index, plan.Release(0));
        Assert.Null(plan.Release(0));
        int other = plan.Steps.First(s => s.Index != claimed.Index).Index;
        Assert.False(plan.MarkFailed(other));
        Assert.False(plan.MarkFailed(other));
        Assert.True(plan.MarkFailed(other));
        Assert.Equal(1, plan.Remaining);
        Assert.Single(plan.WindowFor(0).Pending);
        Assert.True(plan.InFootprint(11, 10));
    }

    [Fact]
    public void The_recipe_planner_walks_the_chain_to_a_pickaxe()
    {
        var empty = new Dictionary<string, int>();
        Assert.Equal(new Directive(DirectiveKind.Gather, Item: Items.OakLog, Count: 1), RecipePlanner.Next(Items.OakPlanks, 4, empty));
        Assert.Equal(DirectiveKind.Craft, RecipePlanner.Next(Items.OakPlanks, 4, new Dictionary<string, int> { [Items.OakLog] = 1 })!.Kind);
        // Cobblestone needs a wooden pickaxe, which needs a crafting table, planks and sticks: logs first.
        Assert.Equal(Items.OakLog, RecipePlanner.Next(Items.Cobblestone, 3, empty)!.Item);
        var ready = new Dictionary<string, int> { [Items.WoodenPickaxe] = 1 };
        Assert.Equal(new Directive(DirectiveKind.Gather, Item: Items.Cobblestone, Count: 3), RecipePlanner.Next(Items.Cobblestone, 3, ready));
        Assert.Null(RecipePlanner.Next(Items.Dirt, 2, new Dictionary<string, int> { [Items.Dirt] = 2 }));
        var table = RecipePlanner.Next(Items.WoodenPickaxe, 1, new Dictionary<string, int> { [Items.OakPlanks] = 20 })!;
        Assert.Equal((DirectiveKind.Craft, Items.CraftingTable), (table.Kind, table.Item));
    }

    private static KeyValuePair<string, int> Need(string item, int n) => new(item, n);

    [Fact]
    public void A_deep_list_is_planned_as_one_tree_with_each_tool_made_once_and_raw_items_gathered_in_one_go()
    {
        var goals = new[] { Need(Items.StonePickaxe, 1), Need(Items.Furnace, 1), Need(Items.WoodenPickaxe, 1), Need(Items.Chest, 1), Need(Items.OakPlanks, 4) };
        var steps = RecipePlanner.Plan(goals, new Dictionary<string, int>());
        Assert.Equal(steps.Count, steps.Select(s => (s.Kind, s.Item)).Distinct().Count()); // each gathering and craft once
        Assert.Equal(new Directive(DirectiveKind.Gather, Item: Items.OakLog, Count: 6), steps[0]);
        Assert.Equal(1, steps.Single(s => s.Item == Items.CraftingTable).Count);
        Assert.Equal(1, steps.Single(s => s.Item == Items.WoodenPickaxe).Count); // the goal's pickaxe also mines the stone
        Assert.Equal(11, steps.Single(s => s is { Kind: DirectiveKind.Gather, Item: Items.Cobblestone }).Count); // 3 + 8
        Assert.True(steps.ToList().FindIndex(s => s.Item == Items.WoodenPickaxe) < steps.ToList().FindIndex(s => s.Item == Items.Cobblestone));

        // Carried out step by step, the plan ends with every goal at its count.
        var inv = new Inventory(new Dictionary<string, int>());
        for (int i = 0; i < 20; i++)
        {
            var (step, blocked) = RecipePlanner.Next(goals, inv.View, []);
            Assert.Null(blocked);
            if (step is null) break;
            if (step.Kind == DirectiveKind.Gather) inv.Add(step.Item, step.Count);
            else Assert.True(Recipes.TryCraft(step.Item, step.Count, inv, s => inv.Has(s), out _, out string message), message);
        }
        Assert.All(goals, g => Assert.True(inv.Count(g.Key) >= g.Value, g.Key));
        Assert.Equal(1, inv.Count(Items.CraftingTable));
    }

    [Fact]
    public void The_next_step_keeps_goal_items_and_skips_gathering_that_waits()
    {
        // 8 planks are a goal: the table is crafted from the 4 spare ones, not from the goal's.
        var goals = new[] { Need(Items.OakPlanks, 8), Need(Items.CraftingTable, 1) };
        var (step, _) = RecipePlanner.Next(goals, new Dictionary<string, int> { [Items.OakPlanks] = 12 }, []);
        Assert.Equal(new Directive(DirectiveKind.Craft, Item: Items.CraftingTable, Count: 1), step);
        // Cobblestone has no known source: the wood part goes on; with nothing else left, the plan says what blocks it.
        var stone = new[] { Need(Items.Cobblestone, 3), Need(Items.Stick, 4) };
        var tools = new Dictionary<string, int> { [Items.WoodenPickaxe] = 1, [Items.OakPlanks] = 2 };
        Assert.Equal(new Directive(DirectiveKind.Craft, Item: Items.Stick, Count: 1), RecipePlanner.Next(stone, tools, [Items.Cobblestone]).Step);
        var (none, blocked) = RecipePlanner.Next(stone, new Dictionary<string, int> { [Items.WoodenPickaxe] = 1, [Items.Stick] = 4 }, [Items.Cobblestone]);
        Assert.Equal((null, Items.Cobblestone), (none, blocked));
    }

    [Fact]
    public void The_team_split_gives_each_item_to_one_agent_and_keeps_items_that_share_tools_with_the_agent_that_has_them()
    {
        var missing = new[] { Need(Items.StoneSword, 1), Need(Items.StoneAxe, 1), Need(Items.Dirt, 6), Need(Items.Bowl, 4) };
        var equipped = new Dictionary<string, int> { [Items.WoodenPickaxe] = 1, [Items.CraftingTable] = 1, [Items.Stick] = 3 };
        var split = RecipePlanner.Split(missing, [new Dictionary<string, int>(), equipped]);
        Assert.Equal(2, split.Count);
        Assert.Equal(missing.Select(m => m.Key).Order(), split.SelectMany(p => p.Select(i => i.Key)).Order()); // each item once
        Assert.Contains(Need(Items.StoneSword, 1), split[1]);
        Assert.Contains(Need(Items.StoneAxe, 1), split[1]); // both stone tools with the agent that holds the pickaxe
        Assert.NotEmpty(split[0]); // the other agent takes work too
        Assert.Equal(split, RecipePlanner.Split(missing, [new Dictionary<string, int>(), equipped])); // deterministic
        // Finishing soonest: from empty inventories two deep items go to different agents.
        var deep = RecipePlanner.Split([Need(Items.StonePickaxe, 1), Need(Items.Chest, 2)], [new Dictionary<string, int>(), new Dictionary<string, int>()]);
        Assert.All(deep, part => Assert.Single(part));
    }

    [Fact]
    public void The_manager_splits_a_collection_list_and_sends_an_agent_without_items_to_explore()
    {
        var empty = new Dictionary<string, int>();
        var facts = new Steve2.Pipeline.Teacher.Decisions.ManagerFacts("collection", 2, null, null,
            new Dictionary<string, int> { [Items.StonePickaxe] = 1 }, empty, [empty, empty]);
        var (plan, error) = Manager.Parse(ManagerRules.Plan(facts), 2);
        Assert.Null(error);
        Assert.Equal(SubTask.Collect([Need(Items.StonePickaxe, 1)]), plan![0]);
        Assert.Equal(SubTaskKind.Explore, plan[1].Kind);
        var several = SubTask.Collect([Need(Items.Furnace, 1), Need(Items.Chest, 2)]);
        Assert.Equal("collect furnace 1 chest 2", several.ToText());
        Assert.True(SubTask.TryParse(several.ToText(), out SubTask? back, out _));
        Assert.Equal(several, back);
    }

    [Fact]
    public void A_conductor_collecting_goes_to_a_source_the_team_saw_else_digs_down_for_stone_else_explores()
    {
        var feet = new BlockPos(0, 44, 0);
        var part = SubTask.Collect([Need(Items.StoneSword, 1)]);
        var tools = new Dictionary<string, int> { [Items.WoodenPickaxe] = 1, [Items.CraftingTable] = 1, [Items.Stick] = 1 };
        var facts = DecisionFacts.Conductor(feet, tools) with { GoalMaterials = new Dictionary<string, int> { [Items.StoneSword] = 1 } };
        // Not waiting yet: gather the stone the sword needs.
        Assert.Equal(new Directive(DirectiveKind.Gather, Item: Items.Cobblestone, Count: 2), ConductorRules.Direct(0, part, facts, null));
        // Waiting, a teammate saw stone 20 blocks away: go there.
        var waiting = facts with { GatherWaiting = [Items.Cobblestone], SeenSources = new Dictionary<string, BlockPos> { [Items.Cobblestone] = new(20, 40, 0) } };
        Assert.Equal(new Directive(DirectiveKind.GoTo, new BlockPos(20, 40, 0)), ConductorRules.Direct(0, part, waiting, null));
        // No source seen: dig down (mine the block under the feet).
        var unseen = waiting with { SeenSources = new Dictionary<string, BlockPos>() };
        Assert.Equal(new Directive(DirectiveKind.Mine, feet.Below), ConductorRules.Direct(0, part, unseen, null));
        // Logs are not dug for: without a seen tree the agent explores.
        var wood = facts with { Inventory = new Dictionary<string, int>(), GatherWaiting = [Items.OakLog], SeenSources = new Dictionary<string, BlockPos>() };
        Assert.Equal(DirectiveKind.Explore, ConductorRules.Direct(0, part, wood, null).Kind);
    }

    [Fact]
    public void The_describer_reads_the_target_image_as_the_animal_it_shows()
    {
        foreach (string kind in new[] { "pig", "cow", "sheep", "chicken" })
            Assert.Equal(kind, Steve2.Pipeline.Teacher.Describer.AnimalInImage(Steve2.Pipeline.Tasks.TargetImages.Render(kind)));
    }
}
