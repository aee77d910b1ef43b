using Expert.VqVae.Corpus;
using Steve2.Pipeline.Environment;
using VoxelGrid = Expert.VqVae.Voxels.OccupancyGrid;

namespace Steve2.Pipeline.Tasks;

/// <summary>
/// Task 5, building creation: build what a text describes on a cleared flat site beside the agents. The
/// description and its ground-truth grid come from the project's building corpus
/// (<see cref="CorpusGenerator"/>, fully specified descriptions of small families): evaluation seeds draw
/// from the held-out test split, training seeds from the train split. Only buildings of at most
/// <see cref="MaxBlocks"/> blocks and <see cref="MaxEdge"/> per horizontal edge are used, so they are
/// buildable within the budget. Every agent starts with enough oak planks.
/// </summary>
public sealed class CreationTask(int agentCount = 2) : ITaskDefinition
{
    public const int MaxBlocks = 110, MaxEdge = 8, MaxHeight = 6;
    public const string Material = Items.OakPlanks;
    private static readonly BuildingFamily[] SmallFamilies = [BuildingFamily.Hut, BuildingFamily.Well];

    public string Name => "creation";
    public TaskSeeds Seeds => TaskSeedPolicy.Default;

    /// <summary>The description and cropped target grid of a seed.</summary>
    public static (string Description, VoxelGrid Target) BuildingFor(int seed)
    {
        CorpusSplit split = TaskSeedPolicy.Default.IsEvaluationSeed(seed) ? CorpusSplit.Test : CorpusSplit.Train;
        var options = new CorpusOptions { Seed = seed + 1, Count = 256, Split = split, FullySpecifiedFraction = 1.0, Families = SmallFamilies };
        foreach (CorpusRecord record in CorpusGenerator.Generate(options))
        {
            VoxelGrid target = BuildingGrids.Crop(record.Grid);
            if (target.Count() <= MaxBlocks && target.SizeX <= MaxEdge && target.SizeZ <= MaxEdge && target.SizeY <= MaxHeight)
                return (record.Description, target);
        }
        throw new InvalidOperationException($"The corpus gave no building of at most {MaxBlocks} blocks for seed {seed}.");
    }

    /// <summary>The iteration budget of a target: two iterations per block (walk and place) plus 20.</summary>
    public static int BudgetFor(VoxelGrid target) => 2 * target.Count() + 20;

    public EpisodeSpec Episode(int seed)
    {
        var episode = TaskSeedPolicy.Episode(Name, seed, agentCount);
        var (_, target) = BuildingFor(seed);
        // Enough for the target and for a larger imagined building, per agent.
        int planks = Math.Max(64, 3 * target.Count());
        return episode with { StartingInventory = new Dictionary<string, int> { [Material] = planks } };
    }

    public TaskSetup Setup(int seed, IEnvironment environment)
    {
        TaskSeedPolicy.Check(Name, seed);
        var (description, target) = BuildingFor(seed);
        BlockPos feet = environment.Observe(0).Pose.Block;
        IWorldQuery world = environment.World;
        // The site starts four columns east of the first agent, centred on it in z, level with its feet;
        // the clearing reaches back to the agent, so it walks onto flat ground.
        int x0 = feet.X + BuildSite.Margin + 2, z0 = feet.Z - target.SizeZ / 2;
        x0 = Math.Clamp(x0, world.Min.X + BuildSite.Margin + 4, world.Max.X - target.SizeX - BuildSite.Margin - 2);
        z0 = Math.Clamp(z0, world.Min.Z + BuildSite.Margin + 2, world.Max.Z - target.SizeZ - BuildSite.Margin - 2);
        var site = new BuildSite(new BlockPos(x0, feet.Y, z0), target.SizeX, target.SizeY, target.SizeZ);
        var agents = Enumerable.Range(0, environment.AgentCount).Select(a => environment.Observe(a).Pose.Block).ToArray();
        site.Clear(world, Math.Min(feet.X - 1, site.RegionMin.X - 1), agents);
        var goal = new TaskGoal(Name, seed,
            $"Build this on the cleared site whose north-west ground corner is {site.Origin}: {description}. Use {Material}.",
            BudgetFor(target), environment.AgentCount, BuildingDescription: description, BuildSite: site.Origin);
        return new TaskSetup(goal, new CreationScorer(Name, seed, site, target));
    }
}
