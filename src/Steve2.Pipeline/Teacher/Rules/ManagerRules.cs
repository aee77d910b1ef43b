using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Teacher.Decisions;
using Steve2.Pipeline.Teacher.Planning;
using Steve2.Pipeline.Teacher.Roles;

namespace Steve2.Pipeline.Teacher.Rules;

/// <summary>
/// The manager's rules: split the task into one part per agent. Navigation tasks spread the agents over
/// the compass (agent i starts toward direction 8i/n); collection splits the items still missing between
/// the agents by the recipe planner (<see cref="RecipePlanner.Split"/>: whole recipe trees to one agent, the
/// split that finishes soonest), and an agent left without items explores, so the team sees sources (trees,
/// stone) the others may go to; creation gives every agent the shared build plan (its conductor hands out the blocks).
/// A function of <see cref="ManagerFacts"/> alone.
/// </summary>
public static class ManagerRules
{
    public static string Plan(ManagerFacts f)
    {
        var lines = new List<string>();
        IReadOnlyList<IReadOnlyList<KeyValuePair<string, int>>>? split = CollectionSplit(f);
        for (int a = 0; a < f.AgentCount; a++)
        {
            Direction spread = (Direction)(a * 8 / Math.Max(1, f.AgentCount) % 8);
            SubTask part = f.Task switch
            {
                "object-search" => new SubTask(SubTaskKind.Search, f.TargetKind ?? "animal", Direction: spread),
                "block-search" => new SubTask(SubTaskKind.Find, f.TargetName ?? Items.OfBlock(Block.DiamondOre), Direction: spread),
                "collection" when split is not null && a < split.Count && split[a].Count > 0 => SubTask.Collect(split[a]),
                "collection" when split is not null => new SubTask(SubTaskKind.Explore, Direction: spread),
                "collection" => new SubTask(SubTaskKind.Idle),
                "creation" or "creation-materials" => new SubTask(SubTaskKind.Build),
                _ => new SubTask(SubTaskKind.Explore, Direction: spread),
            };
            lines.Add($"agent {a}: {part.ToText()}");
        }
        return string.Join("\n", lines);
    }

    /// <summary>
    /// Collection: the items still missing split between the agents (<see cref="RecipePlanner.Split"/>, one list per
    /// agent, possibly empty); null for other tasks or when nothing is missing.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<KeyValuePair<string, int>>>? CollectionSplit(ManagerFacts f)
    {
        IReadOnlyList<KeyValuePair<string, int>> missing = MissingMaterials(f.Materials, f.TeamInventory);
        return f.Task == "collection" && missing.Count > 0
            ? RecipePlanner.Split(missing, f.AgentInventories ?? Enumerable.Repeat<IReadOnlyDictionary<string, int>>(new Dictionary<string, int>(), f.AgentCount).ToArray())
            : null;
    }

    /// <summary>Materials the team still lacks (need minus the team's total), in the goal's order; none without materials.</summary>
    public static IReadOnlyList<KeyValuePair<string, int>> MissingMaterials(IReadOnlyDictionary<string, int>? materials, IReadOnlyDictionary<string, int> team) =>
        materials is null ? [] : materials
            .Select(m => new KeyValuePair<string, int>(m.Key, m.Value - team.GetValueOrDefault(m.Key)))
            .Where(m => m.Value > 0).ToArray();
}
