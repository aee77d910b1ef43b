namespace Steve2.Pipeline.Experts;

/// <summary>What one step of a build order does.</summary>
public enum PlannedBlockAction
{
    /// <summary>Place a block of the building.</summary>
    Place,

    /// <summary>Place a temporary block holding up an overhang.</summary>
    Scaffold,

    /// <summary>Take a scaffold block away.</summary>
    Remove,
}

/// <summary>One step of a build order in the grid's coordinates (x, y up, z).</summary>
public readonly record struct PlannedBlock(int X, int Y, int Z, PlannedBlockAction Action);
