using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Teacher.Decisions;
using Steve2.Pipeline.Teacher.Roles;

namespace Steve2.Pipeline.Teacher.Rules;

/// <summary>
/// The manager's rules: split the task into one part per agent. Navigation tasks spread the agents over
/// the compass (agent i starts toward direction 8i/n); collection hands out the items still missing
/// round-robin; creation gives every agent the shared build plan (its conductor hands out the blocks).
/// A function of <see cref="ManagerFacts"/> alone.
/// </summary>
public static class ManagerRules
{
    public static string Plan(ManagerFacts f)
    {
        var lines = new List<string>();
        IReadOnlyList<KeyValuePair<string, int>> missing = MissingMaterials(f.Materials, f.TeamInventory);
        for (int a = 0; a < f.AgentCount; a++)
        {
            Direction spread = (Direction)(a * 8 / Math.Max(1, f.AgentCount) % 8);
            SubTask part = f.Task switch
            {
                "object-search" => new SubTask(SubTaskKind.Search, f.TargetKind ?? "animal", Direction: spread),
                "block-search" => new SubTask(SubTaskKind.Find, f.TargetName ?? Items.OfBlock(Block.DiamondOre), Direction: spread),
                "collection" when missing.Count > 0 => new SubTask(SubTaskKind.Collect, missing[a % missing.Count].Key, missing[a % missing.Count].Value),
                "collection" => new SubTask(SubTaskKind.Idle),
                "creation" => new SubTask(SubTaskKind.Build),
                _ => new SubTask(SubTaskKind.Explore, Direction: spread),
            };
            lines.Add($"agent {a}: {part.ToText()}");
        }
        return string.Join("\n", lines);
    }

    /// <summary>Materials the team still lacks (need minus the team's total), in the goal's order; none without materials.</summary>
    public static IReadOnlyList<KeyValuePair<string, int>> MissingMaterials(IReadOnlyDictionary<string, int>? materials, IReadOnlyDictionary<string, int> team) =>
        materials is null ? [] : materials
            .Select(m => new KeyValuePair<string, int>(m.Key, m.Value - team.GetValueOrDefault(m.Key)))
            .Where(m => m.Value > 0).ToArray();
}
