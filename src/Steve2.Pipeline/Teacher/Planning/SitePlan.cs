using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Experts;
using Steve2.Pipeline.Teacher.Decisions;
using VoxelGrid = Expert.VqVae.Voxels.OccupancyGrid;

namespace Steve2.Pipeline.Teacher.Planning;

/// <summary>
/// The building the teacher builds at the site, in what order, and how far it has come: which steps are done
/// or given up and which step each agent is working on. Made from the creation expert's imagined grid and
/// build order, or (without experts) from a shape guessed from the words. (Not to be confused with
/// <c>Expert.VqVae.BuildOrder.BuildPlan</c>, a grid's build order in grid coordinates.) Conductors see its
/// <see cref="WindowFor"/>; the teacher's apply step claims the step a directive names
/// (<see cref="Claim"/>), whichever backend chose it; the critic marks it done or failed.
/// </summary>
public sealed class SitePlan
{
    public const int MaxFailures = 3;

    /// <summary>How many pending steps a conductor chooses among.</summary>
    public const int Window = 6;

    private readonly List<PlanStep> _steps;
    private readonly bool[] _done;
    private readonly int[] _failures;
    private readonly HashSet<(int, int)> _footprint;
    private readonly Dictionary<int, int> _claims = [];

    public SitePlan(IReadOnlyList<PlanStep> steps, BlockPos origin, string source, int siteSide = 0, string item = Tasks.CreationTask.Material)
    {
        _steps = [.. steps];
        _done = new bool[steps.Count];
        _failures = new int[steps.Count];
        Origin = origin;
        Source = source;
        SiteSide = siteSide;
        Item = item;
        _footprint = steps.SelectMany(s => s.Cells()).Select(c => (c.X, c.Z)).ToHashSet();
    }

    /// <summary>The side of the cleared square site from the origin (0 when the goal does not say).</summary>
    public int SiteSide { get; }

    /// <summary>The block the plan is built with (the goal's material).</summary>
    public string Item { get; }

    /// <summary>
    /// The plan of boxes for a grid (<see cref="BoxPlanner"/>): one building action a step, clipped to the cleared
    /// site (a site side of 0 clips to the largest site, 32).
    /// </summary>
    public static SitePlan FromGridBoxes(VoxelGrid grid, BlockPos origin, int siteSide, string item, string source) =>
        FromGridBoxes(grid, null, origin, siteSide, item, source);

    /// <summary>
    /// The plan of boxes for a grid with its blocks (<see cref="BoxPlanner"/>): each box one block, its step naming it;
    /// <paramref name="item"/> (the goal's material) builds the steps that name none. Null blocks: an occupancy plan.
    /// </summary>
    public static SitePlan FromGridBoxes(VoxelGrid grid, global::Expert.VqVae.Voxels.MaterialGrid? blocks, BlockPos origin, int siteSide, string item, string source) =>
        new(BoxPlanner.Plan(grid, origin, siteSide > 0 ? siteSide : 32, blocks), origin, source, siteSide, item);

    /// <summary>The blocks the plan's steps name, each once, in plan order (empty for a plan built with the goal's one material).</summary>
    public IReadOnlyList<string> Blocks => _steps.Select(s => s.Block).OfType<string>().Distinct().ToArray();

    /// <summary>Where the plan came from: "expert" or "guess".</summary>
    public string Source { get; }
    public bool FromExpert => Source == "expert";
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
    public static SitePlan FromGrid(VoxelGrid grid, IReadOnlyList<PlannedBlock> order, BlockPos origin, string source)
    {
        int minX = int.MaxValue, minY = int.MaxValue, minZ = int.MaxValue;
        foreach (PlannedBlock b in order)
        {
            minX = Math.Min(minX, b.X); minY = Math.Min(minY, b.Y); minZ = Math.Min(minZ, b.Z);
        }
        var steps = order.Select((b, i) => new PlanStep(i, origin.Offset(b.X - minX, b.Y - minY, b.Z - minZ), b.Action)).ToArray();
        return new SitePlan(steps, origin, source);
    }

    /// <summary>The next <see cref="Window"/> pending steps in order, and those claimed by agents other than <paramref name="agent"/>.</summary>
    public BuildWindow WindowFor(int agent)
    {
        var pending = new List<PlanStep>(Window);
        for (int i = 0; i < _steps.Count && pending.Count < Window; i++)
            if (!_done[i]) pending.Add(_steps[i]);
        int[] claimed = _claims.Where(c => c.Key != agent).Select(c => c.Value).Order().ToArray();
        return new BuildWindow(pending, claimed, Remaining, _steps.Count, Item);
    }

    /// <summary>
    /// Claims for <paramref name="agent"/> the pending step that <paramref name="action"/> at
    /// <paramref name="position"/> carries out (placing a block or scaffold, or removing one) and that no other agent
    /// works on; any earlier claim of the agent is released. Returns the step, or null when the directive is
    /// not a step of the plan.
    /// </summary>
    public PlanStep? Claim(int agent, BlockPos position, PlannedBlockAction action)
    {
        _claims.Remove(agent);
        bool removing = action == PlannedBlockAction.Remove;
        for (int i = 0; i < _steps.Count; i++)
        {
            PlanStep step = _steps[i];
            if (_done[i] || step.Position != position || (step.Action == PlannedBlockAction.Remove) != removing) continue;
            if (_claims.Any(c => c.Value == i)) continue;
            _claims[agent] = i;
            return step;
        }
        return null;
    }

    /// <summary>The step <paramref name="agent"/> works on, or null.</summary>
    public int? ClaimOf(int agent) => _claims.TryGetValue(agent, out int step) ? step : null;

    /// <summary>Ends the agent's claim; returns the step it held, or null.</summary>
    public int? Release(int agent) => _claims.Remove(agent, out int step) ? step : null;

    public void MarkDone(int index) => _done[index] = true;

    /// <summary>Counts a failure; returns true when the step is given up (marked done).</summary>
    public bool MarkFailed(int index)
    {
        if (++_failures[index] < MaxFailures) return false;
        _done[index] = true;
        return true;
    }
}
