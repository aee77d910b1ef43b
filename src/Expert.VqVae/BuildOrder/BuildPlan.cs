using System.Text;
using Expert.VqVae.Voxels;

namespace Expert.VqVae.BuildOrder;

/// <summary>The outcome of <see cref="BuildPlan.Validate"/>: valid when <see cref="Errors"/> is empty.</summary>
public sealed record BuildPlanValidation(IReadOnlyList<string> Errors)
{
    /// <summary>At most this many errors are listed; the last line then says how many more there were.</summary>
    public const int MaxListed = 50;

    public bool IsValid => Errors.Count == 0;

    public override string ToString() => IsValid ? "valid" : string.Join(Environment.NewLine, Errors);
}

/// <summary>
/// The ordered actions that build a grid, from <see cref="BuildOrderPlanner.Plan"/>. The rule is in
/// BuildOrder/BUILD_ORDER.md; <see cref="Validate"/> checks every part of it against a grid.
/// </summary>
public sealed class BuildPlan
{
    public BuildPlan(int sizeX, int sizeY, int sizeZ, IReadOnlyList<BuildStep> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        SizeX = sizeX;
        SizeY = sizeY;
        SizeZ = sizeZ;
        Steps = steps;
        var scaffolds = new List<BlockPosition>();
        foreach (BuildStep s in steps)
        {
            switch (s.Kind)
            {
                case BuildStepKind.Place:
                    PlaceCount++;
                    if (s.IsDeferred) DeferredCount++;
                    break;
                case BuildStepKind.Scaffold:
                    scaffolds.Add(s.Position);
                    break;
                case BuildStepKind.Remove:
                    RemoveCount++;
                    break;
            }
        }
        Scaffolds = scaffolds;
    }

    public int SizeX { get; }
    public int SizeY { get; }
    public int SizeZ { get; }

    /// <summary>Every action in order: placements and scaffolds interleaved, removals last.</summary>
    public IReadOnlyList<BuildStep> Steps { get; }

    /// <summary>The temporary blocks, in the order they are placed (each is removed at the end).</summary>
    public IReadOnlyList<BlockPosition> Scaffolds { get; }

    /// <summary>Number of steps of every kind.</summary>
    public int Count => Steps.Count;

    /// <summary>Blocks of the building placed (equals the grid's occupied count).</summary>
    public int PlaceCount { get; }

    /// <summary>Scaffold blocks placed (each one is also removed).</summary>
    public int ScaffoldCount => Scaffolds.Count;

    public int RemoveCount { get; }

    /// <summary>Building blocks placed after their own layer's pass (hung from a block above).</summary>
    public int DeferredCount { get; }

    /// <summary>One step a line: "place x y z", "scaffold x y z", "remove x y z".</summary>
    public string ToText()
    {
        var sb = new StringBuilder(Steps.Count * 16);
        foreach (BuildStep s in Steps) sb.Append(s.ToString()).Append('\n');
        return sb.ToString();
    }

    /// <summary>
    /// Checks the plan against <paramref name="grid"/>, replaying it: sizes match; every step is inside
    /// the grid; a Place targets an occupied cell, a Scaffold an empty one, neither a cell already
    /// holding a block; every placement stands on the ground (y = 0) or touches a block already present
    /// across a face, and its <see cref="BuildStep.Support"/> names such a block; a Remove takes away a
    /// scaffold block that is present; layers never decrease, a placement never comes before its own
    /// layer (Layer ≥ Y) and removals belong to the clean-up pass (Layer = SizeY) after every
    /// placement; at the end exactly the grid's occupied cells hold blocks (each placed exactly once,
    /// every scaffold removed).
    /// </summary>
    public BuildPlanValidation Validate(OccupancyGrid grid)
    {
        ArgumentNullException.ThrowIfNull(grid);
        var errors = new List<string>();
        int extra = 0;
        void Error(string message)
        {
            if (errors.Count < BuildPlanValidation.MaxListed) errors.Add(message);
            else extra++;
        }

        if (grid.SizeX != SizeX || grid.SizeY != SizeY || grid.SizeZ != SizeZ)
        {
            Error($"The plan is for a {SizeX}x{SizeY}x{SizeZ} grid, the grid is {grid.SizeX}x{grid.SizeY}x{grid.SizeZ}.");
            return new BuildPlanValidation(errors);
        }

        // 0 empty, 1 building block present, 2 scaffold present
        var world = new byte[grid.Volume];
        var placedOnce = new bool[grid.Volume];
        int lastLayer = 0;
        bool removing = false;
        for (int n = 0; n < Steps.Count; n++)
        {
            BuildStep s = Steps[n];
            string at = $"step {n} ({s.Kind} at {s.Position})";
            if (!grid.InBounds(s.X, s.Y, s.Z))
            {
                Error($"{at}: outside the grid.");
                continue;
            }
            int i = grid.Index(s.X, s.Y, s.Z);
            if (s.Layer < lastLayer) Error($"{at}: layer {s.Layer} comes after layer {lastLayer}; layers must not decrease.");
            lastLayer = Math.Max(lastLayer, s.Layer);

            if (s.Kind == BuildStepKind.Remove)
            {
                removing = true;
                if (s.Layer != SizeY) Error($"{at}: a removal belongs to the clean-up pass, layer {SizeY}, not {s.Layer}.");
                if (s.Support != BuildSupport.None) Error($"{at}: a removal has no support, got {s.Support}.");
                if (world[i] != 2) Error($"{at}: no scaffold block is there to remove.");
                else world[i] = 0;
                continue;
            }

            if (removing) Error($"{at}: a placement after the removals began.");
            if (s.Layer < s.Y) Error($"{at}: placed in pass {s.Layer}, before its own layer {s.Y}.");
            if (s.Layer >= SizeY) Error($"{at}: placement in pass {s.Layer}, past the last layer {SizeY - 1}.");
            if (world[i] != 0) Error($"{at}: the cell already holds a block.");
            bool occupied = grid[s.X, s.Y, s.Z];
            if (s.Kind == BuildStepKind.Place)
            {
                if (!occupied) Error($"{at}: the grid cell is empty; only scaffold may go there.");
                else if (placedOnce[i]) Error($"{at}: this building block was already placed once.");
            }
            else if (occupied)
            {
                Error($"{at}: scaffold in an occupied grid cell.");
            }

            if (!IsSupportPresent(grid, world, s.X, s.Y, s.Z, s.Support))
                Error($"{at}: claimed support {s.Support} is not there.");
            if (!HasAnySupport(grid, world, s.X, s.Y, s.Z))
                Error($"{at}: floats: not on the ground and no block on any face.");

            if (world[i] == 0) world[i] = s.Kind == BuildStepKind.Place ? (byte)1 : (byte)2;
            if (s.Kind == BuildStepKind.Place && occupied) placedOnce[i] = true;
        }

        ReadOnlySpan<bool> cells = grid.Cells;
        int missing = 0, leftover = 0;
        for (int i = 0; i < cells.Length; i++)
        {
            if (cells[i] && world[i] != 1) missing++;
            if (world[i] == 2) leftover++;
        }
        if (missing > 0) Error($"{missing} occupied grid cells are never placed.");
        if (leftover > 0) Error($"{leftover} scaffold blocks are never removed.");

        if (extra > 0) errors.Add($"... and {extra} more errors.");
        return new BuildPlanValidation(errors);
    }

    private static bool Present(OccupancyGrid grid, byte[] world, int x, int y, int z) =>
        grid.InBounds(x, y, z) && world[grid.Index(x, y, z)] != 0;

    private static bool IsSupportPresent(OccupancyGrid grid, byte[] world, int x, int y, int z, BuildSupport support) => support switch
    {
        BuildSupport.Ground => y == 0,
        BuildSupport.Below => Present(grid, world, x, y - 1, z),
        BuildSupport.Above => Present(grid, world, x, y + 1, z),
        BuildSupport.Side => Present(grid, world, x - 1, y, z) || Present(grid, world, x + 1, y, z)
            || Present(grid, world, x, y, z - 1) || Present(grid, world, x, y, z + 1),
        _ => false,
    };

    private static bool HasAnySupport(OccupancyGrid grid, byte[] world, int x, int y, int z) =>
        y == 0 || IsSupportPresent(grid, world, x, y, z, BuildSupport.Below) || IsSupportPresent(grid, world, x, y, z, BuildSupport.Side)
        || IsSupportPresent(grid, world, x, y, z, BuildSupport.Above);
}
