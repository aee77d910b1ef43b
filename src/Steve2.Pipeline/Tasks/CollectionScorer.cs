using Steve2.Pipeline.Environment;

namespace Steve2.Pipeline.Tasks;

/// <summary>
/// Scores collection on the team's inventories (all agents' counts added). Metrics: success (every item
/// at its quantity), accuracy (mean over the items of min(have, need) / need), iterations (to success,
/// else the iterations used).
/// </summary>
public sealed class CollectionScorer : ITaskScorer
{
    private readonly string _task;
    private readonly int _seed;
    private readonly IReadOnlyDictionary<string, int> _needed;
    private readonly TeamInventory _inventory;
    private int _steps;
    private int? _successAt;

    internal CollectionScorer(string task, int seed, IReadOnlyDictionary<string, int> needed, TeamInventory inventory)
    {
        if (needed.Count == 0 || needed.Values.Any(n => n <= 0))
            throw new ArgumentException("A material list needs at least one item, each with a positive quantity.", nameof(needed));
        _task = task;
        _seed = seed;
        _needed = needed;
        _inventory = inventory;
        if (Accuracy() >= 1) _successAt = 0;
    }

    public bool IsComplete => _successAt is not null;

    /// <summary>Mean over the items of min(have, need) / need, in [0, 1].</summary>
    public double Accuracy() => _needed.Average(n => Math.Min(_inventory.Total(n.Key), n.Value) / (double)n.Value);

    public void Record(int agentId, CodeAction action, ActionOutcome outcome, IWorldQuery world)
    {
        _steps++;
        _inventory.Update(outcome.Observation);
        if (Accuracy() >= 1) _successAt ??= _steps;
    }

    public TaskResult Finish(int iterationsUsed, IWorldQuery world)
    {
        bool success = _successAt is not null;
        return new TaskResult(_task, _seed, success, _successAt ?? iterationsUsed, new Dictionary<string, double>
        {
            ["success"] = success ? 1 : 0,
            ["accuracy"] = Math.Round(Accuracy(), 4),
            ["iterations"] = _successAt ?? iterationsUsed,
        });
    }
}
