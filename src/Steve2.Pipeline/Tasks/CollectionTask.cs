using Steve2.Pipeline.Environment;

namespace Steve2.Pipeline.Tasks;

/// <summary>
/// Task 4, material collection: gather a list of materials and quantities (the team's inventories
/// together). The list has two different items from <see cref="Pool"/> with quantities drawn in their
/// ranges, chosen by the seed. Raw items are mined or collected; the others need crafting (and
/// cobblestone a wooden pickaxe), so the teacher must plan a recipe chain.
/// </summary>
public sealed class CollectionTask(int agentCount = 2, int iterationBudget = 40) : ITaskDefinition
{
    /// <summary>The items a list may hold, with the inclusive range of quantities.</summary>
    public static IReadOnlyList<(string Item, int Min, int Max)> Pool { get; } =
    [
        (Items.OakLog, 2, 5),
        (Items.Dirt, 3, 8),
        (Items.OakPlanks, 4, 12),
        (Items.Stick, 4, 8),
        (Items.CraftingTable, 1, 1),
        (Items.WoodenPickaxe, 1, 1),
        (Items.Cobblestone, 2, 4),
    ];

    public string Name => "collection";
    public TaskSeeds Seeds => TaskSeedPolicy.Default;

    public EpisodeSpec Episode(int seed) => TaskSeedPolicy.Episode(Name, seed, agentCount);

    /// <summary>The material list of a seed.</summary>
    public static IReadOnlyDictionary<string, int> MaterialsFor(string task, int seed)
    {
        Random rng = TaskSeedPolicy.Random(task, seed);
        int first = rng.Next(Pool.Count), second = (first + 1 + rng.Next(Pool.Count - 1)) % Pool.Count;
        var list = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (int i in new[] { first, second })
            list[Pool[i].Item] = rng.Next(Pool[i].Min, Pool[i].Max + 1);
        return list;
    }

    public TaskSetup Setup(int seed, IEnvironment environment)
    {
        TaskSeedPolicy.Check(Name, seed);
        IReadOnlyDictionary<string, int> materials = MaterialsFor(Name, seed);
        string list = string.Join(", ", materials.Select(m => $"{m.Value} {m.Key}"));
        var goal = new TaskGoal(Name, seed, $"Collect these materials as a team: {list}.", iterationBudget, agentCount, Materials: materials);
        return new TaskSetup(goal, new CollectionScorer(Name, seed, materials, new TeamInventory(environment)));
    }
}
