namespace Expert.VqVae.BuildOrder;

/// <summary>What a step does to the world.</summary>
public enum BuildStepKind
{
    /// <summary>Places a block of the building (an occupied cell of the grid).</summary>
    Place,

    /// <summary>Places a temporary block in an empty cell, to hold up a part that floats.</summary>
    Scaffold,

    /// <summary>Takes a scaffold block away again (all removals come last, top-down).</summary>
    Remove,
}

/// <summary>The already-present block a placed block is put against (the agent clicks that face).</summary>
public enum BuildSupport
{
    /// <summary>Not a placement (a <see cref="BuildStepKind.Remove"/> step).</summary>
    None,

    /// <summary>y = 0: stands on the ground under the grid.</summary>
    Ground,

    /// <summary>On top of the block at (x, y - 1, z).</summary>
    Below,

    /// <summary>Against a horizontal neighbour (x ± 1 or z ± 1, same y).</summary>
    Side,

    /// <summary>Hung under the block at (x, y + 1, z).</summary>
    Above,
}

/// <summary>A cell of the grid frame (y up, see Voxels/OccupancyGrid).</summary>
public readonly record struct BlockPosition(int X, int Y, int Z)
{
    public override string ToString() => $"({X}, {Y}, {Z})";
}

/// <summary>
/// One action of a <see cref="BuildPlan"/>, at cell (X, Y, Z) of the grid frame. <see cref="Layer"/> is
/// the pass that emitted it: Y for an ordinary placement, a later pass for a deferred one (a block that
/// could only be reached from above), and SizeY (the clean-up pass) for a removal. See BUILD_ORDER.md.
/// </summary>
public readonly record struct BuildStep(int X, int Y, int Z, BuildStepKind Kind, int Layer, BuildSupport Support)
{
    public BlockPosition Position => new(X, Y, Z);

    /// <summary>True for a placement that came after its own layer's pass.</summary>
    public bool IsDeferred => Kind != BuildStepKind.Remove && Layer > Y;

    /// <summary>"place 3 0 4", "scaffold 5 1 5", "remove 5 1 5".</summary>
    public override string ToString() => $"{Kind.ToString().ToLowerInvariant()} {X} {Y} {Z}";
}
