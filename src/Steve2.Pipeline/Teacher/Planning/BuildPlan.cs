using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Experts;
using VoxelGrid = Expert.VqVae.Voxels.OccupancyGrid;

namespace Steve2.Pipeline.Teacher.Planning;

/// <summary>
/// The building the teacher will build and in what order, in world coordinates at the site. Made from the
/// creation expert's imagined grid and build order, or (without experts) from a shape guessed from the
/// words. Conductors take steps from it; a step that fails <see cref="MaxFailures"/> times is given up.
/// </summary>
public sealed class BuildPlan
{
    public const int MaxFailures = 3;
    private readonly List<PlanStep> _steps;
    private readonly bool[] _done;
    private readonly int[] _failures;
    private readonly HashSet<(int, int)> _footprint;

    public BuildPlan(IReadOnlyList<PlanStep> steps, BlockPos origin, string source)
    {
        _steps = [.. steps];
        _done = new bool[steps.Count];
        _failures = new int[steps.Count];
        Origin = origin;
        Source = source;
        _footprint = steps.Select(s => (s.Position.X, s.Position.Z)).ToHashSet();
    }

    /// <summary>Where the plan came from: "expert" or "guess".</summary>
    public string Source { get; }
    public BlockPos Origin { get; }
    public IReadOnlyList<PlanStep> Steps => _steps;
    public int Remaining => _done.Count(d => !d);
    public bool IsFinished => Remaining == 0;

    /// <summary>Whether a column holds a block of the plan (agents should not stand there).</summary>
    public bool InFootprint(int x, int z) => _footprint.Contains((x, z));

    /// <summary>
    /// Lays a grid's build order out at the site: grid voxel (x, y, z) goes to origin + (x, y, z) - the grid's
    /// occupied minimum corner (so the building's box starts at the origin).
    /// </summary>
    public static BuildPlan FromGrid(VoxelGrid grid, IReadOnlyList<PlannedBlock> order, BlockPos origin, string source)
    {
        int minX = int.MaxValue, minY = int.MaxValue, minZ = int.MaxValue;
        foreach (PlannedBlock b in order)
        {
            minX = Math.Min(minX, b.X); minY = Math.Min(minY, b.Y); minZ = Math.Min(minZ, b.Z);
        }
        var steps = order.Select((b, i) => new PlanStep(i, origin.Offset(b.X - minX, b.Y - minY, b.Z - minZ), b.Action)).ToArray();
        return new BuildPlan(steps, origin, source);
    }

    /// <summary>
    /// The next step for an agent: among the first <paramref name="window"/> pending steps in order, not
    /// claimed by another agent, the one nearest to <paramref name="feet"/>; null when none is left.
    /// </summary>
    public PlanStep? Next(BlockPos feet, IReadOnlySet<int> claimed, int window = 6)
    {
        PlanStep? best = null;
        long bestD = long.MaxValue;
        int seen = 0;
        for (int i = 0; i < _steps.Count && seen < window; i++)
        {
            if (_done[i]) continue;
            seen++;
            if (claimed.Contains(i)) continue;
            long d = _steps[i].Position.DistanceSquared(feet);
            if (d < bestD) { bestD = d; best = _steps[i]; }
        }
        return best;
    }

    public void MarkDone(int index) => _done[index] = true;

    /// <summary>Counts a failure; returns true when the step is given up (marked done).</summary>
    public bool MarkFailed(int index)
    {
        if (++_failures[index] < MaxFailures) return false;
        _done[index] = true;
        return true;
    }
}
