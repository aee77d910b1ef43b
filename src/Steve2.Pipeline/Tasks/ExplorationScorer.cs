using Steve2.Pipeline.Environment;

namespace Steve2.Pipeline.Tasks;

/// <summary>
/// Scores exploration. Metrics: area_revealed (distinct (x, z) columns any agent has had in view,
/// <see cref="IWorldQuery.RevealedColumns"/>), area_per_iteration, success (area >= target), iterations,
/// move_violations (steps that moved more than <see cref="CodeAction.MaxMoveBlocks"/> blocks).
/// </summary>
public sealed class ExplorationScorer(string task, int seed, int agentCount, int targetArea) : ITaskScorer
{
    private int _violations;

    public bool IsComplete => false;

    public void Record(int agentId, CodeAction action, ActionOutcome outcome, IWorldQuery world)
    {
        if (outcome.BlocksMoved > CodeAction.MaxMoveBlocks) _violations++;
    }

    /// <summary>Columns revealed by all agents together.</summary>
    public static int AreaRevealed(IWorldQuery world, int agentCount)
    {
        var all = new HashSet<(int, int)>();
        for (int a = 0; a < agentCount; a++) all.UnionWith(world.RevealedColumns(a));
        return all.Count;
    }

    public TaskResult Finish(int iterationsUsed, IWorldQuery world)
    {
        int area = AreaRevealed(world, agentCount);
        return new TaskResult(task, seed, area >= targetArea, iterationsUsed, new Dictionary<string, double>
        {
            ["success"] = area >= targetArea ? 1 : 0,
            ["area_revealed"] = area,
            ["area_per_iteration"] = iterationsUsed > 0 ? Math.Round((double)area / iterationsUsed, 2) : 0,
            ["iterations"] = iterationsUsed,
            ["move_violations"] = _violations,
        });
    }
}
