using Steve2.Pipeline.Environment;
using Steve2.Pipeline.World;

namespace Steve2.Pipeline.Tasks;

/// <summary>
/// Task 4, material collection: gather a list of materials and quantities (the team's inventories
/// together). A list holds 2 to 5 different items of <see cref="Pool"/>, each with a quantity drawn in its
/// range, chosen by the seed (TASKS.md). Raw items are mined or collected; the others follow the world's
/// recipe chains (World/Recipes.cs) up to stone tools, furnaces and torches, so the teacher must plan a
/// recipe tree as a team. The iteration budget grows with the list (<see cref="BudgetFor"/>).
/// </summary>
public sealed class CollectionTask(int agentCount = 2, int? iterationBudget = null) : ITaskDefinition
{
    /// <summary>Fewest and most items a list holds.</summary>
    public const int MinItems = 2, MaxItems = 5;

    /// <summary>
    /// The items a list may hold, with the inclusive range of quantities. Every one is made from what the
    /// world yields near the surface (wood, dirt, stone, coal); iron is left out because iron ore is almost
    /// never exposed where agents walk (TASKS.md, "Why no iron").
    /// </summary>
    public static IReadOnlyList<(string Item, int Min, int Max)> Pool { get; } =
    [
        (Items.OakLog, 2, 6),
        (Items.Dirt, 3, 8),
        (Items.OakPlanks, 4, 16),
        (Items.Stick, 4, 12),
        (Items.CraftingTable, 1, 1),
        (Items.Bowl, 4, 8),
        (Items.Chest, 1, 2),
        (Items.Ladder, 3, 6),
        (Items.WoodenPickaxe, 1, 1),
        (Items.WoodenAxe, 1, 1),
        (Items.WoodenShovel, 1, 1),
        (Items.WoodenSword, 1, 1),
        (Items.Cobblestone, 3, 8),
        (Items.StonePickaxe, 1, 1),
        (Items.StoneAxe, 1, 1),
        (Items.StoneShovel, 1, 1),
        (Items.StoneSword, 1, 1),
        (Items.Furnace, 1, 1),
    ];

    public string Name => "collection";
    public TaskSeeds Seeds => TaskSeedPolicy.Default;

    public EpisodeSpec Episode(int seed) => TaskSeedPolicy.Episode(Name, seed, agentCount);

    /// <summary>The material list of a seed: 2..5 distinct pool items (uniform count, then items without replacement), quantities uniform in their ranges.</summary>
    public static IReadOnlyDictionary<string, int> MaterialsFor(string task, int seed)
    {
        Random rng = TaskSeedPolicy.Random(task, seed);
        int count = rng.Next(MinItems, MaxItems + 1);
        var indices = Enumerable.Range(0, Pool.Count).ToList();
        var list = new SortedDictionary<string, int>(StringComparer.Ordinal);
        for (int k = 0; k < count; k++)
        {
            int pick = rng.Next(indices.Count);
            var (item, min, max) = Pool[indices[pick]];
            indices.RemoveAt(pick);
            list[item] = rng.Next(min, max + 1);
        }
        return list;
    }

    /// <summary>A list's depth: the deepest recipe depth of its items (<see cref="Recipes.Depth"/>).</summary>
    public static int DepthOf(IReadOnlyDictionary<string, int> materials) =>
        materials.Keys.Max(item => Recipes.Depth(item) ?? throw new ArgumentException($"nothing in the world makes '{item}'", nameof(materials)));

    /// <summary>
    /// The iteration budget of a list (all agents' iterations together): 20 + 6 x depth + 6 x items. Two items of depth 0
    /// get 32 (16 each for two agents); five items down to stone tools or a furnace (depth 5) get 80.
    /// </summary>
    public static int BudgetFor(IReadOnlyDictionary<string, int> materials) => 20 + 6 * DepthOf(materials) + 6 * materials.Count;

    public TaskSetup Setup(int seed, IEnvironment environment)
    {
        TaskSeedPolicy.Check(Name, seed);
        IReadOnlyDictionary<string, int> materials = MaterialsFor(Name, seed);
        string list = string.Join(", ", materials.Select(m => $"{m.Value} {m.Key}"));
        var goal = new TaskGoal(Name, seed, $"Collect these materials as a team: {list}.", iterationBudget ?? BudgetFor(materials), agentCount, Materials: materials);
        return new TaskSetup(goal, new CollectionScorer(Name, seed, materials, new TeamInventory(environment)));
    }
}
