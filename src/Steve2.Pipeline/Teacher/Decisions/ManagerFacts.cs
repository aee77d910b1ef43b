namespace Steve2.Pipeline.Teacher.Decisions;

/// <summary>The manager's facts: the task, the team and what it holds.</summary>
/// <param name="Task">The task's name (object-search, block-search, exploration, collection, creation).</param>
/// <param name="AgentCount">Agents to plan for.</param>
/// <param name="TargetKind">The search target the teacher settled on (from the name, the sound, or the describer's reading of the target image); null outside object search.</param>
/// <param name="TargetName">The goal's target name (block search: the block), or null.</param>
/// <param name="Materials">The goal's materials (collection), item to count, or null.</param>
/// <param name="TeamInventory">Items the whole team holds now, item to count.</param>
/// <param name="AgentInventories">Collection: each agent's items (agent 0 first), for the team's split of the list; null for other tasks.</param>
public sealed record ManagerFacts(
    string Task,
    int AgentCount,
    string? TargetKind,
    string? TargetName,
    IReadOnlyDictionary<string, int>? Materials,
    IReadOnlyDictionary<string, int> TeamInventory,
    IReadOnlyList<IReadOnlyDictionary<string, int>>? AgentInventories = null) : RoleFacts;
