using Steve2.Pipeline.Environment;

namespace Steve2.Pipeline.Tasks;

/// <summary>The latest inventory of each agent, from observations, and their team total.</summary>
internal sealed class TeamInventory
{
    private readonly Dictionary<int, IReadOnlyDictionary<string, int>> _byAgent = [];

    public TeamInventory(IEnvironment environment)
    {
        for (int a = 0; a < environment.AgentCount; a++) _byAgent[a] = environment.Observe(a).Inventory;
    }

    public void Update(Observation observation) => _byAgent[observation.AgentId] = observation.Inventory;

    public int Total(string item) => _byAgent.Values.Sum(inv => inv.GetValueOrDefault(item));
}
