using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Tasks;
using Steve2.Pipeline.Tests.Teacher;
using static Steve2.Pipeline.Tests.Tasks.TaskTestSupport;
using VoxelGrid = Expert.VqVae.Voxels.OccupancyGrid;

namespace Steve2.Pipeline.Tests.Tasks;

public sealed class ScorerTests
{
    private static readonly IWorldQuery NoWorld = new FakeWorld([]);

    [Fact]
    public void Object_search_succeeds_only_within_three_blocks_of_the_target_kind_in_view()
    {
        var scorer = new ObjectSearchScorer("object-search", 0, "pig", ObjectSearchTask.SuccessDistance);
        var at = new Vec3(0, 10, 0);
        scorer.Record(0, new Wait(), Outcome(Observation(0, at, entities: [new SeenEntity(1, "pig", new Vec3(5, 10, 0))])), NoWorld);
        scorer.Record(0, new Wait(), Outcome(Observation(0, at, entities: [new SeenEntity(2, "cow", new Vec3(1, 10, 0))])), NoWorld);
        Assert.False(scorer.IsComplete);
        scorer.Record(0, new Wait(), Outcome(Observation(0, at, entities: [new SeenEntity(1, "pig", new Vec3(2.5, 10, 0))])), NoWorld);
        Assert.True(scorer.IsComplete);

        TaskResult r = scorer.Finish(10, NoWorld);
        Assert.True(r.Success);
        Assert.Equal(3, r.Iterations); // iterations to success, not the budget used
        Assert.Equal(2.5, r.Metrics["closest_distance"]);
    }

    [Fact]
    public void Object_search_failure_reports_the_iterations_used_and_no_distance_when_never_seen()
    {
        var scorer = new ObjectSearchScorer("object-search", 0, "pig", 3);
        scorer.Record(0, new Wait(), Outcome(Observation(0, new Vec3(0, 10, 0))), NoWorld);
        TaskResult r = scorer.Finish(7, NoWorld);
        Assert.Equal((false, 7, 0.0), (r.Success, r.Iterations, r.Metrics["success"]));
        Assert.True(double.IsNaN(r.Metrics["closest_distance"]), "never seen is undefined, not a distance");
    }

    [Fact]
    public void Block_search_counts_distinct_diamond_ore_seen_or_mined()
    {
        var scorer = new BlockSearchScorer("block-search", 0, Block.DiamondOre, 3);
        SeenBlock d1 = new(new BlockPos(1, 5, 1), Block.DiamondOre), d2 = new(new BlockPos(2, 5, 1), Block.DiamondOre), stone = new(new BlockPos(3, 5, 1), Block.Stone);
        scorer.Record(0, new Wait(), Outcome(Observation(0, new Vec3(0, 6, 0), blocks: [d1, stone])), NoWorld);
        scorer.Record(1, new Wait(), Outcome(Observation(1, new Vec3(0, 6, 0), blocks: [d1, d2])), NoWorld); // d1 again: counted once
        Assert.False(scorer.IsComplete);
        scorer.Record(0, new Mine(new BlockPos(9, 4, 9)), Outcome(Observation(0, new Vec3(9, 5, 9)), gained: new Dictionary<string, int> { [Items.Diamond] = 1 }), NoWorld);
        Assert.True(scorer.IsComplete);

        TaskResult r = scorer.Finish(20, NoWorld);
        Assert.Equal(3, r.Metrics["diamonds"]);
        Assert.Equal(1, r.Metrics["diamonds_mined"]);
        Assert.Equal(3, r.Iterations);
        Assert.Equal(1, r.Metrics["iterations_per_diamond"]);
    }

    [Fact]
    public void Exploration_area_is_the_union_of_every_agents_columns_and_big_moves_are_counted()
    {
        var world = new FakeWorld([]);
        world.Reveal(0, 0, 0);
        world.Reveal(0, 1, 0);
        world.Reveal(1, 1, 0); // shared column counts once
        world.Reveal(1, 2, 0);
        var scorer = new ExplorationScorer("exploration", 0, 2, targetArea: 3);
        scorer.Record(0, new Wait(), Outcome(Observation(0, default), moved: 50), world);
        scorer.Record(0, new Wait(), Outcome(Observation(0, default), moved: 51), world);

        TaskResult r = scorer.Finish(2, world);
        Assert.Equal(3, r.Metrics["area_revealed"]);
        Assert.Equal(1.5, r.Metrics["area_per_iteration"]);
        Assert.Equal(1, r.Metrics["move_violations"]);
        Assert.True(r.Success);
    }

    [Fact]
    public void Collection_accuracy_is_the_mean_of_capped_fractions_over_the_team()
    {
        using var env = new FakeEnvironment(agents: 2);
        var scorer = new CollectionScorer("collection", 0, new Dictionary<string, int> { [Items.OakLog] = 4, [Items.Dirt] = 2 }, new TeamInventory(env));
        Assert.Equal(0, scorer.Accuracy());
        scorer.Record(0, new Wait(), Outcome(Observation(0, default, inventory: new Dictionary<string, int> { [Items.OakLog] = 2 })), env.World);
        scorer.Record(1, new Wait(), Outcome(Observation(1, default, inventory: new Dictionary<string, int> { [Items.OakLog] = 1, [Items.Dirt] = 5 })), env.World);
        Assert.Equal((3.0 / 4 + 1) / 2, scorer.Accuracy(), 6);
        Assert.False(scorer.IsComplete);
        scorer.Record(0, new Wait(), Outcome(Observation(0, default, inventory: new Dictionary<string, int> { [Items.OakLog] = 3 })), env.World);
        Assert.True(scorer.IsComplete);

        TaskResult r = scorer.Finish(9, env.World);
        Assert.Equal((true, 3, 1.0), (r.Success, r.Iterations, r.Metrics["accuracy"]));
    }

    [Fact]
    public void Creation_iou_and_image_distance_compare_the_site_region_with_the_target()
    {
        var world = new FakeWorld([]);
        var target = new VoxelGrid(2, 1, 2);
        target.FillBox(0, 0, 0, 1, 0, 1); // a 2 x 2 slab
        var site = new BuildSite(new BlockPos(10, FakeEnvironment.Ground + 1, 10), 2, 1, 2);
        var scorer = new CreationScorer("creation", 0, site, target);

        TaskResult empty = scorer.Finish(0, world);
        Assert.Equal(0, empty.Metrics["iou"]);
        Assert.True(empty.Metrics["image_distance"] > 0);

        world.SetBlock(new BlockPos(10, 10, 10), Block.OakPlanks);
        world.SetBlock(new BlockPos(11, 10, 10), Block.OakPlanks);
        world.SetBlock(new BlockPos(8, 10, 8), Block.OakPlanks); // inside the margin: counts against
        world.SetBlock(new BlockPos(30, 10, 30), Block.OakPlanks); // far away: ignored
        TaskResult half = scorer.Finish(3, world);
        Assert.Equal(2.0 / 5, half.Metrics["iou"], 4);
        Assert.Equal(3, half.Metrics["blocks_placed"]);
        Assert.True(half.Metrics["image_distance"] < empty.Metrics["image_distance"]);

        world.SetBlock(new BlockPos(8, 10, 8), Block.Air);
        world.SetBlock(new BlockPos(10, 10, 11), Block.OakPlanks);
        world.SetBlock(new BlockPos(11, 10, 11), Block.OakPlanks);
        scorer.Record(0, new Place(Items.OakPlanks, new BlockPos(11, 10, 11)), Outcome(Observation(0, default)), world);
        Assert.True(scorer.IsComplete);
        TaskResult full = scorer.Finish(5, world);
        Assert.Equal((1.0, 0.0, true), (full.Metrics["iou"], full.Metrics["image_distance"], full.Success));
    }

    [Fact]
    public void Building_site_clearing_makes_a_flat_empty_region()
    {
        var world = new FakeWorld([]);
        world.SetBlock(new BlockPos(5, 12, 5), Block.OakLog);
        world.SetBlock(new BlockPos(6, 9, 6), Block.Water);
        var site = new BuildSite(new BlockPos(5, 10, 5), 3, 3, 3);
        site.Clear(world, 5, []);
        Assert.Equal(Block.Air, world.GetBlock(new BlockPos(5, 12, 5)));
        Assert.Equal(Block.Grass, world.GetBlock(new BlockPos(6, 9, 6)));
        Assert.Equal(0, site.BuiltInRegion(world).Count());
    }
}
