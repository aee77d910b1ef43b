using Steve2.Pipeline.Environment;

namespace Steve2.Pipeline.Tasks;

/// <summary>
/// Scores object search. An animal target: success once an agent has an entity of the target kind in view within the
/// success distance (feet to the entity's position). A chest target (<paramref name="targetChests"/> given: the chests of
/// the structure kind asked for): success once an agent opens one of them and takes its items (a successful
/// <c>openChest</c> on it). Metrics: success, iterations (to success, else the iterations used), closest_distance
/// (nearest any agent came to a visible target: the animal's feet, or the chest block; NaN when never seen, so summaries
/// leave it out rather than average a sentinel in). The target positions stay here, out of the agents' reach.
/// </summary>
public sealed class ObjectSearchScorer(string task, int seed, string targetKind, double successDistance, IReadOnlyCollection<BlockPos>? targetChests = null) : ITaskScorer
{
    private readonly HashSet<BlockPos>? _chests = targetChests is null ? null : [.. targetChests];
    private int _steps;
    private int? _successAt;
    private double _closest = double.PositiveInfinity;

    public string TargetKind => targetKind;
    public bool IsComplete => _successAt is not null;

    public void Record(int agentId, CodeAction action, ActionOutcome outcome, IWorldQuery world)
    {
        _steps++;
        Observation o = outcome.Observation;
        if (_chests is not null)
        {
            foreach (SeenBlock b in o.VisibleBlocks)
                if (_chests.Contains(b.Position))
                    _closest = Math.Min(_closest, new Vec3(b.Position.X + 0.5, b.Position.Y, b.Position.Z + 0.5).DistanceTo(o.Pose.Position));
            if (action is OpenChest open && outcome.Success && _chests.Contains(open.Target)) _successAt ??= _steps;
            return;
        }
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
