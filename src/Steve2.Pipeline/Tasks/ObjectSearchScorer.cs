using Steve2.Pipeline.Environment;

namespace Steve2.Pipeline.Tasks;

/// <summary>
/// Scores object search: success once an agent has an entity of the target kind in view within the success
/// distance (feet to the entity's position). Metrics: success, iterations (to success, else the iterations
/// used), closest_distance (nearest any agent came to a visible target; NaN when never seen, so summaries leave it out rather than average a sentinel in).
/// </summary>
public sealed class ObjectSearchScorer(string task, int seed, string targetKind, double successDistance) : ITaskScorer
{
    private int _steps;
    private int? _successAt;
    private double _closest = double.PositiveInfinity;

    public string TargetKind => targetKind;
    public bool IsComplete => _successAt is not null;

    public void Record(int agentId, CodeAction action, ActionOutcome outcome, IWorldQuery world)
    {
        _steps++;
        Observation o = outcome.Observation;
        foreach (SeenEntity e in o.VisibleEntities)
        {
            if (e.Kind != targetKind) continue;
            double d = e.Position.DistanceTo(o.Pose.Position);
            _closest = Math.Min(_closest, d);
            if (d <= successDistance) _successAt ??= _steps;
        }
    }

    public TaskResult Finish(int iterationsUsed, IWorldQuery world)
    {
        bool success = _successAt is not null;
        int iterations = _successAt ?? iterationsUsed;
        return new TaskResult(task, seed, success, iterations, new Dictionary<string, double>
        {
            ["success"] = success ? 1 : 0,
            ["iterations"] = iterations,
            ["closest_distance"] = double.IsInfinity(_closest) ? double.NaN : Math.Round(_closest, 2),
        });
    }
}
