using Steve2.Pipeline.Environment;

namespace Steve2.Pipeline.Teacher.Decisions;

/// <summary>
/// An area the critic set aside as unreachable: every place within <see cref="Radius"/> columns (horizontally) of
/// <see cref="Center"/> and within <see cref="Radius"/> + 2 blocks of its height. A failed walk shows more than one
/// cell: the path finder found no way into the region around the goal (a frontier group across water, a ledge up
/// a cliff), so goals near it are set aside with it, not only the exact cell (DECISIONS.md, "unreachable_areas").
/// </summary>
public sealed record SetAsideArea(BlockPos Center, int Radius)
{
    public bool Covers(BlockPos p)
    {
        long dx = p.X - Center.X, dz = p.Z - Center.Z;
        return dx * dx + dz * dz <= (long)Radius * Radius && Math.Abs(p.Y - Center.Y) <= Radius + 2;
    }
}

/// <summary>Queries of the critic's set-aside areas.</summary>
public static class SetAsideAreas
{
    /// <summary>The radius of the area a failed walk to a goal sets aside (columns): about a frontier group's reach.</summary>
    public const int FailedGoalRadius = 5;

    /// <summary>Whether any area covers the place (null or empty: none).</summary>
    public static bool Covers(IReadOnlyList<SetAsideArea>? areas, BlockPos p)
    {
        if (areas is null) return false;
        foreach (SetAsideArea a in areas)
            if (a.Covers(p)) return true;
        return false;
    }

    /// <summary>Whether a place is set aside: listed exactly, or inside an area.</summary>
    public static bool IsSetAside(IReadOnlyCollection<BlockPos> places, IReadOnlyList<SetAsideArea>? areas, BlockPos p) =>
        places.Contains(p) || Covers(areas, p);
}
