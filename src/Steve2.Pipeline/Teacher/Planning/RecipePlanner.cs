using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Teacher.Roles;
using Steve2.Pipeline.World;

namespace Steve2.Pipeline.Teacher.Planning;

/// <summary>
/// Plans material collection from the recipe table and the harvest rules (what a Minecraft player knows).
/// <list type="bullet">
/// <item><see cref="Plan"/>: the whole dependency tree of an agent's goals, simulated on its inventory: every
/// station and pickaxe made once and kept (tools are never consumed), every intermediate made in one craft
/// of the total the tree needs, every raw item gathered in one go of the total, and the goal items already
/// made set aside so that later recipes do not eat them.</item>
/// <item><see cref="Next"/>: the first step of that plan the agent can do now (its station, tool and inputs at
/// hand, its source not waiting for the critic's retry), or why none can.</item>
/// <item><see cref="Split"/>: the team's split of a list: every item to one agent (items cannot change hands),
/// chosen to finish soonest by the estimated <see cref="Cost"/> of each agent's plan from its own inventory,
/// so items that share tools go to the same agent and an agent that already holds the tools keeps its items.</item>
/// </list>
/// Pure functions of their arguments (TEACHER.md, "Collection").
/// </summary>
public static class RecipePlanner
{
    private const int MaxDepth = 12;
    private const int MaxBatch = 64;

    /// <summary>Most assignments <see cref="Split"/> compares exhaustively; larger teams and lists are split greedily.</summary>
    private const int MaxAssignments = 20_000;

    /// <summary>The next directive toward <paramref name="need"/> of <paramref name="item"/>, or null when the inventory already has them.</summary>
    public static Directive? Next(string item, int need, IReadOnlyDictionary<string, int> inventory) =>
        Next([new KeyValuePair<string, int>(item, need)], inventory, []).Step;

    /// <summary>
    /// The steps (gather and craft directives, in dependency order) that give the inventory every goal at its count:
    /// the goals are made deepest first, and each gathering and crafting is one step of the plan's total.
    /// Empty when the inventory has everything.
    /// </summary>
    public static IReadOnlyList<Directive> Plan(IReadOnlyList<KeyValuePair<string, int>> goals, IReadOnlyDictionary<string, int> inventory) =>
        Simulate(goals, inventory).Steps();

    /// <summary>
    /// The first step of <see cref="Plan"/> the agent can do now, and when there is none although the plan is not
    /// done, the item whose gathering blocks it (waiting for the critic's retry, in <paramref name="waiting"/>).
    /// A craft is cut to what the inventory allows without eating goal items already made.
    /// </summary>
    public static (Directive? Step, string? BlockedOn) Next(IReadOnlyList<KeyValuePair<string, int>> goals, IReadOnlyDictionary<string, int> inventory, IReadOnlyCollection<string> waiting)
    {
        Simulation sim = Simulate(goals, inventory);
        var reserved = new Dictionary<string, int>();
        foreach (var (item, count) in goals) reserved[item] = reserved.GetValueOrDefault(item) + count;
        string? blocked = null;
        foreach (Directive step in sim.Steps())
        {
            if (step.Kind == DirectiveKind.Gather)
            {
                if (RequiredTool(step.Item) > BlockTable.BestTool(inventory)) continue;
                if (waiting.Contains(step.Item))
                {
                    blocked ??= step.Item;
                    continue;
                }
                return (step, null);
            }
            Recipe recipe = Recipes.For(step.Item)!;
            if (recipe.Station is string station && inventory.GetValueOrDefault(station) == 0) continue;
            int limit = step.Count;
            foreach (var (input, count) in recipe.Inputs)
            {
                int free = inventory.GetValueOrDefault(input) - (input == step.Item ? 0 : reserved.GetValueOrDefault(input));
                limit = Math.Min(limit, free / count);
            }
            if (limit < 1)
            {
                // The set-aside goal items may be what this craft needs now; craft the least that works, when it works.
                limit = recipe.Inputs.All(i => inventory.GetValueOrDefault(i.Key) >= i.Value) ? 1 : 0;
                if (limit < 1) continue;
            }
            return (step with { Count = limit }, null);
        }
        return (null, blocked);
    }

    /// <summary>
    /// An estimate of the iterations a plan takes: one per craft; a gathering one plus one per 16 items, and for
    /// blocks that need a pickaxe (stone, ores: usually out of sight) three plus one per 8.
    /// </summary>
    public static int Cost(IReadOnlyList<KeyValuePair<string, int>> goals, IReadOnlyDictionary<string, int> inventory) =>
        Simulate(goals, inventory).Steps().Sum(s => s.Kind == DirectiveKind.Craft ? 1
            : RequiredTool(s.Item) > ToolTier.None ? 3 + (s.Count + 7) / 8 : 1 + (s.Count + 15) / 16);

    /// <summary>
    /// The team's split of the items still missing (<paramref name="missing"/>: item and how many the team lacks, in
    /// order) among agents with the given inventories: for each agent, the items it makes, in the order of
    /// <paramref name="missing"/>. The split with the smallest largest cost, then the smallest total, then the first in
    /// order (agent 0 before agent 1 for the first item, ...). An agent with nothing to make gets an empty list.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<KeyValuePair<string, int>>> Split(
        IReadOnlyList<KeyValuePair<string, int>> missing, IReadOnlyList<IReadOnlyDictionary<string, int>> inventories)
    {
        int agents = inventories.Count, items = missing.Count;
        if (agents == 0) throw new ArgumentException("a split needs at least one agent", nameof(inventories));
        int[] best = new int[items];
        if (Math.Pow(agents, items) <= MaxAssignments)
        {
            var choice = new int[items];
            (int Max, int Total) bestScore = (int.MaxValue, int.MaxValue);
            while (true)
            {
                (int, int) score = Score(missing, inventories, choice);
                if (score.CompareTo(bestScore) < 0)
                {
                    bestScore = score;
                    choice.CopyTo(best, 0);
                }
                int k = items - 1;
                while (k >= 0 && ++choice[k] == agents) choice[k--] = 0;
                if (k < 0) break;
            }
        }
        else
        {
            // Greedy: each item in turn to the agent that keeps the largest cost smallest.
            for (int i = 0; i < items; i++)
            {
                var prefix = missing.Take(i + 1).ToArray();
                (int, int) bestScore = (int.MaxValue, int.MaxValue);
                int bestAgent = 0;
                for (int a = 0; a < agents; a++)
                {
                    best[i] = a;
                    (int, int) score = Score(prefix, inventories, best);
                    if (score.CompareTo(bestScore) < 0) (bestScore, bestAgent) = (score, a);
                }
                best[i] = bestAgent;
            }
        }
        return Enumerable.Range(0, agents)
            .Select(a => (IReadOnlyList<KeyValuePair<string, int>>)Enumerable.Range(0, items).Where(i => best[i] == a).Select(i => missing[i]).ToArray())
            .ToArray();
    }

    /// <summary>An agent's goals for the items it is given: what it holds of each plus what the team still lacks.</summary>
    public static IReadOnlyList<KeyValuePair<string, int>> OwnGoals(IEnumerable<KeyValuePair<string, int>> lacking, IReadOnlyDictionary<string, int> inventory) =>
        lacking.Select(m => new KeyValuePair<string, int>(m.Key, inventory.GetValueOrDefault(m.Key) + m.Value)).ToArray();

    private static (int Max, int Total) Score(IReadOnlyList<KeyValuePair<string, int>> missing, IReadOnlyList<IReadOnlyDictionary<string, int>> inventories, int[] choice)
    {
        int max = 0, total = 0;
        for (int a = 0; a < inventories.Count; a++)
        {
            var mine = Enumerable.Range(0, missing.Count).Where(i => choice[i] == a).Select(i => missing[i]);
            int cost = Cost(OwnGoals(mine, inventories[a]), inventories[a]);
            max = Math.Max(max, cost);
            total += cost;
        }
        return (max, total);
    }

    /// <summary>The pickaxe tier the easiest source of a raw item needs (None for items no block yields: animals, unknown names).</summary>
    public static ToolTier RequiredTool(string item)
    {
        var sources = BlockTable.All.Where(i => i.Drop == item).ToArray();
        return sources.Length == 0 ? ToolTier.None : sources.Min(i => i.Tool);
    }

    private static Simulation Simulate(IReadOnlyList<KeyValuePair<string, int>> goals, IReadOnlyDictionary<string, int> inventory)
    {
        var sim = new Simulation(inventory);
        foreach (var (item, count) in goals.OrderByDescending(g => Recipes.Depth(g.Key) ?? 0).ThenBy(g => g.Key, StringComparer.Ordinal))
        {
            sim.Ensure(item, count, 0);
            sim.Reserve(item, count);
        }
        return sim;
    }

    /// <summary>The inventory as the plan goes: what is made, consumed and set aside, and each step's total.</summary>
    private sealed class Simulation(IReadOnlyDictionary<string, int> inventory)
    {
        private readonly Dictionary<string, int> _have = new(inventory);
        private readonly Dictionary<string, int> _reserved = [];
        private readonly List<(DirectiveKind Kind, string Item)> _order = [];
        private readonly Dictionary<(DirectiveKind, string), int> _totals = [];

        public void Reserve(string item, int count) => _reserved[item] = _reserved.GetValueOrDefault(item) + count;

        private int Free(string item) => _have.GetValueOrDefault(item) - _reserved.GetValueOrDefault(item);

        public void Ensure(string item, int need, int depth)
        {
            int missing = need - Free(item);
            if (missing <= 0 || depth > MaxDepth) return;
            if (Recipes.For(item) is not Recipe recipe)
            {
                ToolTier tier = RequiredTool(item);
                if (tier is > ToolTier.None and < ToolTier.Unbreakable && tier > BlockTable.BestTool(_have))
                    EnsureTool(BlockTable.PickaxeOf(tier), depth + 1);
                Record(DirectiveKind.Gather, item, missing);
                _have[item] = _have.GetValueOrDefault(item) + missing;
                return;
            }
            int times = (missing + recipe.Count - 1) / recipe.Count;
            if (recipe.Station is string station) EnsureTool(station, depth + 1);
            // Making one input may eat another (sticks eat planks): ensure them all until every one is there at once.
            for (int pass = 0; pass < 4 && recipe.Inputs.Any(i => Free(i.Key) < i.Value * times); pass++)
                foreach (var (input, count) in recipe.Inputs) Ensure(input, count * times, depth + 1);
            foreach (var (input, count) in recipe.Inputs) _have[input] -= count * times;
            _have[item] = _have.GetValueOrDefault(item) + recipe.Count * times;
            Record(DirectiveKind.Craft, item, times);
        }

        /// <summary>A station or pickaxe: one is enough, and one set aside as a goal still serves.</summary>
        private void EnsureTool(string tool, int depth)
        {
            if (_have.GetValueOrDefault(tool) == 0) Ensure(tool, 1, depth);
        }

        private void Record(DirectiveKind kind, string item, int count)
        {
            if (!_totals.ContainsKey((kind, item))) _order.Add((kind, item));
            _totals[(kind, item)] = _totals.GetValueOrDefault((kind, item)) + count;
        }

        public IReadOnlyList<Directive> Steps() =>
            _order.Select(s => new Directive(s.Kind, Item: s.Item, Count: Math.Min(MaxBatch, _totals[s]))).ToArray();
    }
}
