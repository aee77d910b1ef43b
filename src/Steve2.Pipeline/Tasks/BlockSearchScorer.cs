using Steve2.Pipeline.Environment;

namespace Steve2.Pipeline.Tasks;

/// <summary>
/// Scores block search. Metrics: diamonds (distinct target blocks found: in any agent's view, or mined),
/// diamonds_mined (target drops gained), success (at least one found), iterations (to the target count,
/// else the iterations used), iterations_per_diamond (iterations / found; the budget + 1 when none).
/// </summary>
public sealed class BlockSearchScorer(string task, int seed, Block target, int targetCount) : ITaskScorer
{
    private readonly HashSet<BlockPos> _found = [];
    private readonly string _drop = target == Block.DiamondOre ? Items.Diamond : Items.OfBlock(target);
    private int _mined, _steps;
    private int? _completeAt;

    public IReadOnlySet<BlockPos> Found => _found;
    public bool IsComplete => _completeAt is not null;

    public void Record(int agentId, CodeAction action, ActionOutcome outcome, IWorldQuery world)
    {
        _steps++;
        foreach (SeenBlock b in outcome.Observation.VisibleBlocks)
            if (b.Block == target) _found.Add(b.Position);
        if (outcome.Gained.TryGetValue(_drop, out int n) && n > 0)
        {
            // A mined target was found (digging skills report their drops; mine names its block).
            if (action is Mine mine && outcome.Success) _found.Add(mine.Target);
            _mined += n;
        }
        if (_found.Count >= targetCount) _completeAt ??= _steps;
    }

    public TaskResult Finish(int iterationsUsed, IWorldQuery world)
    {
        int found = _found.Count;
        int iterations = _completeAt ?? iterationsUsed;
        return new TaskResult(task, seed, found > 0, iterations, new Dictionary<string, double>
        {
            ["success"] = found > 0 ? 1 : 0,
            ["diamonds"] = found,
            ["diamonds_mined"] = _mined,
            ["iterations"] = iterations,
            ["iterations_per_diamond"] = found > 0 ? Math.Round((double)iterations / found, 2) : iterationsUsed + 1,
        });
    }
}
