using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Experts;
using Steve2.Pipeline.Teacher.Planning;
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
    public void A_build_plan_starts_at_the_site_and_hands_out_near_unclaimed_steps()
    {
        var grid = new global::Expert.VqVae.Voxels.OccupancyGrid(8, 8, 8);
        grid.FillBox(2, 1, 3, 4, 1, 3);
        var plan = BuildPlan.FromGrid(grid, OwnBuildOrder.Plan(grid), new BlockPos(10, 5, 10), "guess");
        Assert.Equal([new BlockPos(10, 5, 10), new BlockPos(11, 5, 10), new BlockPos(12, 5, 10)], plan.Steps.Select(s => s.Position).OrderBy(p => p.X).ToArray());
        PlanStep first = plan.Next(new BlockPos(20, 5, 10), new HashSet<int>())!;
        Assert.Equal(new BlockPos(12, 5, 10), first.Position);
        PlanStep second = plan.Next(new BlockPos(20, 5, 10), new HashSet<int> { first.Index })!;
        Assert.NotEqual(first.Index, second.Index);
        plan.MarkDone(first.Index);
        Assert.False(plan.MarkFailed(second.Index));
        Assert.False(plan.MarkFailed(second.Index));
        Assert.True(plan.MarkFailed(second.Index));
        Assert.Equal(1, plan.Remaining);
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
