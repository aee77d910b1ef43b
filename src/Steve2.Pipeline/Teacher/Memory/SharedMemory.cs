namespace Steve2.Pipeline.Teacher.Memory;

/// <summary>
/// The memory the teacher's roles share within an episode: describers' texts, the trajectory of sub-goals
/// and actions, and the critic's corrections (failures and what was changed). Planners read the recent
/// corrections for an agent; the chat backend puts them in its prompts. Bounded: the oldest entries go
/// first beyond <see cref="Capacity"/>.
/// </summary>
public sealed class SharedMemory(int capacity = 2048)
{
    private readonly LinkedList<MemoryEntry> _entries = new();

    public int Capacity => capacity;
    public int Count => _entries.Count;

    public void Add(MemoryEntry entry)
    {
        _entries.AddLast(entry);
        while (_entries.Count > capacity) _entries.RemoveFirst();
    }

    /// <summary>The latest entries of a kind (for one agent, or all when null), oldest first.</summary>
    public IReadOnlyList<MemoryEntry> Recent(MemoryKind kind, int? agentId, int count) =>
        _entries.Reverse().Where(e => e.Kind == kind && (agentId is null || e.AgentId == agentId)).Take(count).Reverse().ToArray();
}
