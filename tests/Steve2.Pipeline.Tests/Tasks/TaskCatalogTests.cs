using Steve2.Pipeline.Teacher.Roles;
using Steve2.Pipeline.Teacher.Planning;
using Steve2.Pipeline.World;
using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Tasks;
using VoxelGrid = Expert.VqVae.Voxels.OccupancyGrid;

namespace Steve2.Pipeline.Tests.Tasks;

public sealed class TaskCatalogTests
{
    [Fact]
    public void Every_name_resolves_to_its_task()
    {
        foreach (string name in TaskCatalog.Names) Assert.Equal(name, TaskCatalog.Get(name).Name);
        Assert.Equal(5, TaskCatalog.Names.Count);
    }

    [Fact]
    public void An_unknown_name_lists_the_valid_ones()
    {
        var e = Assert.Throws<ArgumentException>(() => TaskCatalog.Get("swimming"));
        Assert.Contains("swimming", e.Message);
        foreach (string name in TaskCatalog.Names) Assert.Contains(name, e.Message);
    }

    [Fact]
    public void Evaluation_and_training_seeds_are_disjoint_and_others_are_refused()
    {
        TaskSeeds seeds = TaskCatalog.Get("exploration").Seeds;
        Assert.Equal(Enumerable.Range(0, TaskSeedPolicy.EvaluationCount), seeds.Evaluation);
        Assert.True(seeds.Evaluation.Count >= 100, "at least 100 evaluation seeds a task");
        Assert.All(seeds.Evaluation, s => Assert.False(seeds.IsTrainingSeed(s)));
        Assert.True(seeds.IsTrainingSeed(1_000_000));
        foreach (string name in TaskCatalog.Names)
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => TaskCatalog.Get(name).Episode(500));
            Assert.Contains("1000000", e.Message);
            Assert.Throws<ArgumentOutOfRangeException>(() => TaskCatalog.Get(name).Episode(-1));
        }
    }

    [Fact]
    public void World_seeds_are_stable_and_differ_between_tasks()
    {
        Assert.Equal(TaskSeedPolicy.WorldSeed("exploration", 3), TaskSeedPolicy.WorldSeed("exploration", 3));
        Assert.NotEqual(TaskSeedPolicy.WorldSeed("exploration", 3), TaskSeedPolicy.WorldSeed("collection", 3));
        Assert.NotEqual(TaskSeedPolicy.WorldSeed("exploration", 3), TaskSeedPolicy.WorldSeed("exploration", 4));
        Assert.Equal(TaskCatalog.Get("exploration").Episode(3), TaskCatalog.Get("exploration").Episode(3));
    }

    [Fact]
    public void Collection_lists_hold_two_to_five_craftable_items_within_their_ranges_deterministically()
    {
        var sizes = new HashSet<int>();
        var depths = new HashSet<int>();
        foreach (int seed in Enumerable.Range(0, TaskSeedPolicy.EvaluationCount).Concat(Enumerable.Range(TaskSeedPolicy.TrainingFirst, 50)))
        {
            var list = CollectionTask.MaterialsFor("collection", seed);
            Assert.InRange(list.Count, CollectionTask.MinItems, CollectionTask.MaxItems);
            sizes.Add(list.Count);
            foreach (var (item, n) in list)
            {
                var (_, min, max) = CollectionTask.Pool.Single(p => p.Item == item);
                Assert.InRange(n, min, max);
                Assert.NotNull(Recipes.Depth(item)); // made from what the world yields
            }
            Assert.Equal(list, CollectionTask.MaterialsFor("collection", seed));
            int depth = CollectionTask.DepthOf(list);
            depths.Add(depth);
            Assert.Equal(20 + 6 * depth + 6 * list.Count, CollectionTask.BudgetFor(list));
        }
        Assert.Equal([2, 3, 4, 5], sizes.Order());
        Assert.Contains(5, depths); // stone tools and furnaces are drawn
        Assert.NotEqual(CollectionTask.MaterialsFor("collection", 0), CollectionTask.MaterialsFor("collection", 1));
    }

    [Fact]
    public void Every_pool_item_is_made_from_the_world_through_its_recipes()
    {
        foreach (var (item, min, max) in CollectionTask.Pool)
        {
            Assert.InRange(min, 1, max);
            Assert.True(Recipes.Depth(item) is int d && d <= 5, item);
            // The planner reaches it from an empty inventory by gathering raw items the world's blocks yield.
            var steps = RecipePlanner.Plan([new(item, max)], new Dictionary<string, int>());
            Assert.All(steps.Where(s => s.Kind == DirectiveKind.Gather), s => Assert.Contains(BlockTable.All, b => b.Drop == s.Item));
        }
    }

    [Fact]
    public void Creation_draws_every_family_of_the_held_out_split_for_evaluation_seeds()
    {
        var seen = new HashSet<string>();
        var families = new HashSet<global::Expert.VqVae.Corpus.BuildingFamily>();
        for (int seed = 0; seed < TaskSeedPolicy.EvaluationCount; seed++)
        {
            var (description, target) = CreationTask.BuildingFor(seed);
            Assert.False(string.IsNullOrWhiteSpace(description));
            Assert.True(target.Count() > 0);
            // The target is a held-out combination of its family, at the corpus's own size.
            var spec = Assert.Single(global::Expert.VqVae.Corpus.DescriptionParser.Candidates(description));
            Assert.True(global::Expert.VqVae.Corpus.CorpusSplits.IsTestCombination(spec), description);
            Assert.Equal(CreationTask.FamilyFor(seed), spec.Family);
            Assert.Equal(target.Count(), BuildingGrids.Crop(spec.Build()).Count());
            families.Add(spec.Family);
            seen.Add(description);
        }
        Assert.Equal(global::Expert.VqVae.Corpus.BuildingCatalog.Families.Count, families.Count);
        Assert.True(seen.Count > 50, "evaluation seeds give varied descriptions");
        Assert.Equal(CreationTask.BuildingFor(1_000_007).Description, CreationTask.BuildingFor(1_000_007).Description);
        Assert.False(global::Expert.VqVae.Corpus.CorpusSplits.IsTestCombination(
            Assert.Single(global::Expert.VqVae.Corpus.DescriptionParser.Candidates(CreationTask.BuildingFor(1_000_007).Description))));
    }

    [Fact]
    public void Creation_starts_with_enough_of_the_material_the_words_name()
    {
        Assert.Equal(Items.Sandstone, CreationTask.MaterialFor("a low sandstone shrine"));
        Assert.Equal(Items.Cobblestone, CreationTask.MaterialFor("an obelisk built from cobblestone"));
        Assert.Equal("stone", CreationTask.MaterialFor("a quartz footbridge"));
        Assert.Equal(Items.OakPlanks, CreationTask.MaterialFor("a spruce hut"));
        Assert.Equal(Items.OakPlanks, CreationTask.MaterialFor("a hut"));
        for (int seed = 0; seed < 13; seed++)
        {
            var (description, target) = CreationTask.BuildingFor(seed);
            var spec = TaskCatalog.Get("creation").Episode(seed);
            Assert.True(spec.StartingInventory![CreationTask.MaterialFor(description)] >= target.Count());
            Assert.True(CreationTask.BudgetFor(target) >= target.Count() / 4, "the budget scales with the building");
        }
    }

    [Fact]
    public void Image_distance_is_zero_for_equal_grids_and_grows_with_difference()
    {
        var a = new VoxelGrid(6, 4, 6);
        a.FillBox(0, 0, 0, 5, 2, 5);
        var b = a.Clone();
        b.FillBox(0, 2, 0, 5, 2, 5, false);
        var c = new VoxelGrid(6, 4, 6);
        Assert.Equal(0, BuildingGrids.ImageDistance(a, a.Clone()));
        double small = BuildingGrids.ImageDistance(a, b), large = BuildingGrids.ImageDistance(a, c);
        Assert.InRange(small, 1e-4, 1);
        Assert.True(large > small);
        Assert.Equal(3, BuildingGrids.Crop(Shifted()).SizeX);
    }

    private static VoxelGrid Shifted()
    {
        var g = new VoxelGrid(10, 10, 10);
        g.FillBox(4, 2, 4, 6, 3, 5);
        return g;
    }
}
