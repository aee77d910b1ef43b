using Expert.VqVae.Composition;
using Expert.VqVae.Corpus;
using Expert.VqVae.Materials;
using Steve2.Pipeline.Environment;
using MaterialGrid = Expert.VqVae.Voxels.MaterialGrid;
using VoxelGrid = Expert.VqVae.Voxels.OccupancyGrid;

namespace Steve2.Pipeline.Tasks;

/// <summary>
/// Task 5, building creation: build what a text describes on a cleared flat site beside the agents. The
/// description and its ground-truth grid come from the project's building corpus (<see cref="CorpusGenerator"/>,
/// fully specified descriptions): evaluation seeds draw from the held-out test split, training seeds from the
/// train split. Seed s draws from family <c>BuildingCatalog.Families[s mod 13]</c>, so every family appears
/// among the evaluation targets (7 or 8 of the 100 seeds each), at the sizes the corpus has (68 to about 5,200
/// blocks, up to 28 wide and 30 tall). The cleared site grows to fit (<see cref="SiteSideFor"/>). The instruction
/// keeps the description's words; its material word picks the block to build with (<see cref="MaterialFor"/>),
/// and every agent starts with enough of it. The budget scales with the target (<see cref="BudgetFor"/>).
/// With <paramref name="materials"/> it is the task <c>creation-materials</c> (issue 17): the building is a composed one
/// of the v2 corpus (parts, each in its block: Composition/COMPOSITION.md), the goal names its blocks
/// (<see cref="TaskGoal.BuildMaterials"/>), every agent starts with enough of each, and the score adds a material-aware IoU.
/// </summary>
public sealed class CreationTask(int agentCount = 2, bool materials = false) : ITaskDefinition
{
    /// <summary>The name of the task with materials.</summary>
    public const string MaterialsName = "creation-materials";

    /// <summary>Whether a task name is a creation task (built by the teacher's build plan).</summary>
    public static bool IsCreation(string task) => task is "creation" or MaterialsName;

    /// <summary>The block built with when the description names no material.</summary>
    public const string Material = Items.OakPlanks;

    /// <summary>The cleared site's side is the smallest of these that holds the target's footprint.</summary>
    public static IReadOnlyList<int> SiteSides { get; } = [8, 12, 16, 20, 24, 28, 32];

    public string Name => materials ? MaterialsName : "creation";

    /// <summary>Whether this is the task with materials (composed buildings).</summary>
    public bool WithMaterials => materials;
    public TaskSeeds Seeds => TaskSeedPolicy.Default;

    /// <summary>The family a seed draws from: every family in turn.</summary>
    public static BuildingFamily FamilyFor(int seed) => BuildingCatalog.Families[(int)((uint)seed % (uint)BuildingCatalog.Families.Count)];

    /// <summary>The description and cropped target grid of a seed.</summary>
    public static (string Description, VoxelGrid Target) BuildingFor(int seed)
    {
        CorpusSplit split = TaskSeedPolicy.Default.IsEvaluationSeed(seed) ? CorpusSplit.Test : CorpusSplit.Train;
        var options = new CorpusOptions { Seed = seed + 1, Count = 1, Split = split, FullySpecifiedFraction = 1.0, Families = [FamilyFor(seed)] };
        CorpusRecord record = CorpusGenerator.Generate(options).First();
        return (record.Description, BuildingGrids.Crop(record.Grid));
    }

    /// <summary>
    /// The composed building of a seed (<c>creation-materials</c>): the first record of the v2 corpus
    /// (<see cref="CompositionCorpusGenerator"/>, composed buildings only, fully specified) of the seed's split with
    /// corpus seed <c>seed + 1</c>, cropped to its occupied box with its blocks.
    /// </summary>
    public static (string Description, VoxelGrid Target, MaterialGrid Blocks) ComposedBuildingFor(int seed)
    {
        CorpusSplit split = TaskSeedPolicy.Default.IsEvaluationSeed(seed) ? CorpusSplit.Test : CorpusSplit.Train;
        var options = new CompositionCorpusOptions { Seed = seed + 1, Count = 1, Split = split, FullySpecifiedFraction = 1.0, FamilyFraction = 0 };
        CorpusRecord record = CompositionCorpusGenerator.Generate(options).First();
        MaterialGrid blocks = record.Blocks ?? throw new InvalidOperationException($"Composed record {record.Id} has no blocks.");
        return (record.Description, BuildingGrids.Crop(record.Grid), BuildingGrids.Crop(blocks));
    }

    /// <summary>The blocks a target holds, most used first (ties by the palette's order), as item names.</summary>
    public static IReadOnlyList<string> MaterialsOf(MaterialGrid blocks)
    {
        int[] counts = blocks.Histogram();
        return Enumerable.Range(1, counts.Length - 1).Where(v => counts[v] > 0).OrderByDescending(v => counts[v]).ThenBy(v => v)
            .Select(v => BlockMaterials.Name((BlockMaterial)v)).ToArray();
    }

    /// <summary>
    /// The seed's building in this task: description, cropped occupancy, its blocks (the goal's one material everywhere
    /// for <c>creation</c>) and the goal's blocks, the first being the goal's material (the fallback of a plan without
    /// blocks).
    /// </summary>
    public (string Description, VoxelGrid Target, MaterialGrid Blocks, IReadOnlyList<string> Materials) TargetFor(int seed)
    {
        if (materials)
        {
            var (d, t, b) = ComposedBuildingFor(seed);
            return (d, t, b, MaterialsOf(b));
        }
        var (description, target) = BuildingFor(seed);
        string material = MaterialFor(description);
        BlockMaterial block = BlockMaterials.TryParse(material, out var m) ? m : BlockMaterial.OakPlanks;
        return (description, target, MaterialGrid.Uniform(target, block), [material]);
    }

    /// <summary>Each block's starting count per agent: what the target holds of it and half again, at least 64.</summary>
    public static IReadOnlyDictionary<string, int> StartingInventoryFor(MaterialGrid blocks)
    {
        int[] counts = blocks.Histogram();
        return MaterialsOf(blocks).ToDictionary(n => n, n => Math.Max(64, counts[BlockMaterials.TryParse(n, out var m) ? (int)m : 0] * 3 / 2));
    }

    /// <summary>
    /// The block a description's material word asks for. The world has oak planks, stone, cobblestone and
    /// sandstone: wood words give oak planks; cobblestone and mossy stone give cobblestone; sandstone gives
    /// sandstone; the other masonry words (stone, brick, granite, quartz, deepslate, terracotta, prismarine) give
    /// stone; no material word gives oak planks.
    /// </summary>
    public static string MaterialFor(string description)
    {
        string t = description.ToLowerInvariant();
        if (t.Contains("sandstone")) return Items.Sandstone;
        if (t.Contains("cobblestone") || t.Contains("mossy stone")) return Items.Cobblestone;
        string[] wood = ["wooden", "oak", "spruce", "birch", "wood"];
        string[] masonry = ["stone", "brick", "granite", "quartz", "deepslate", "terracotta", "prismarine"];
        int Index(string[] words) => words.Select(w => t.IndexOf(w, StringComparison.Ordinal)).Where(i => i >= 0).DefaultIfEmpty(int.MaxValue).Min();
        int w = Index(wood), m = Index(masonry);
        return m < w ? Items.OfBlock(Block.Stone) : Material;
    }

    /// <summary>The side of the cleared square site for a target: the smallest of <see cref="SiteSides"/> that holds its footprint.</summary>
    public static int SiteSideFor(VoxelGrid target)
    {
        int edge = Math.Max(target.SizeX, target.SizeZ);
        return SiteSides.FirstOrDefault(s => s >= edge, edge);
    }

    /// <summary>The iteration budget of a target: 60 plus one iteration for every 3 blocks (a build action places up to 64, a walk comes between).</summary>
    public static int BudgetFor(VoxelGrid target) => 60 + (target.Count() + 2) / 3;

    /// <summary>Blocks of the material each agent starts with: the whole target and half again, at least 64.</summary>
    public static int StartingBlocksFor(VoxelGrid target) => Math.Max(64, target.Count() * 3 / 2);

    public EpisodeSpec Episode(int seed)
    {
        var episode = TaskSeedPolicy.Episode(Name, seed, agentCount);
        if (materials) return episode with { StartingInventory = StartingInventoryFor(TargetFor(seed).Blocks) };
        var (description, target) = BuildingFor(seed);
        return episode with { StartingInventory = new Dictionary<string, int> { [MaterialFor(description)] = StartingBlocksFor(target) } };
    }

    public TaskSetup Setup(int seed, IEnvironment environment)
    {
        TaskSeedPolicy.Check(Name, seed);
        var (description, target, blocks, names) = TargetFor(seed);
        BlockPos feet = environment.Observe(0).Pose.Block;
        IWorldQuery world = environment.World;
        int side = SiteSideFor(target);
        // The site starts four columns east of the first agent, centred on it in z, level with its feet;
        // the clearing reaches back to the agent, so it walks onto flat ground.
        int x0 = feet.X + BuildSite.Margin + 2, z0 = feet.Z - side / 2;
        x0 = Math.Clamp(x0, world.Min.X + BuildSite.Margin + 4, world.Max.X - side - BuildSite.Margin - 2);
        z0 = Math.Clamp(z0, world.Min.Z + BuildSite.Margin + 2, world.Max.Z - side - BuildSite.Margin - 2);
        var site = new BuildSite(new BlockPos(x0, feet.Y, z0), target.SizeX, target.SizeY, target.SizeZ, side);
        var agents = Enumerable.Range(0, environment.AgentCount).Select(a => environment.Observe(a).Pose.Block).ToArray();
        site.Clear(world, Math.Min(feet.X - 1, site.RegionMin.X - 1), agents);
        string material = names[0];
        string use = names.Count == 1 ? material : $"{string.Join(", ", names.Take(names.Count - 1))} and {names[^1]}";
        var goal = new TaskGoal(Name, seed,
            $"Build this on the cleared {side} by {side} site whose north-west ground corner is {site.Origin}: {description}. Use {use}.",
            BudgetFor(target), environment.AgentCount, BuildingDescription: description, BuildSite: site.Origin,
            BuildSiteSize: side, BuildMaterial: material, BuildMaterials: materials ? names : null);
        return new TaskSetup(goal, new CreationScorer(Name, seed, site, target, blocks));
    }
}
