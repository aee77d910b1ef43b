using Steve2.Pipeline.Environment;
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

    [Fact]
    public void The_describer_reads_the_target_image_as_the_animal_it_shows()
    {
        foreach (string kind in new[] { "pig", "cow", "sheep", "chicken" })
            Assert.Equal(kind, Steve2.Pipeline.Teacher.Describer.AnimalInImage(Steve2.Pipeline.Tasks.TargetImages.Render(kind)));
    }
}
