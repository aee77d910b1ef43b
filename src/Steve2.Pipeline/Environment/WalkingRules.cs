using Steve2.Pipeline.Environment;
using Steve2.Pipeline.World;

namespace Steve2.Pipeline.Environment;

/// <summary>
/// Where a walker (agent or animal, two blocks tall) can stand and how it may step (ACTIONS.md, "Moving").
/// A cell is standable when the block below is solid, the feet cell is air, a torch or water (water one
/// deep), and the head cell is air or a torch. A step goes to one of the four side neighbours: up one
/// (with room to jump above the head), level, or down at most <see cref="MaxDrop"/>.
/// Agents also swim (<c>swim: true</c>): a swimming cell is water at the surface of deep water (feet in
/// water, water below the feet, head in air or a torch); a swimmer moves level across the surface, climbs
/// out onto a bank one block up, and never dives or walks on the bottom of deep water.
/// </summary>
public static class WalkingRules
{
    public const int MaxDrop = 3;

    private static readonly (int Dx, int Dz)[] Sides = [(1, 0), (-1, 0), (0, 1), (0, -1)];

    /// <summary>The four horizontal unit steps, in a fixed order.</summary>
    public static ReadOnlySpan<(int Dx, int Dz)> SideSteps => Sides;

    private static bool HeadFree(Block b) => b is Block.Air or Block.Torch;

    private static bool FeetFree(Block b) => b is Block.Air or Block.Torch or Block.Water;

    public static bool CanStand(VoxelWorld world, int x, int y, int z)
    {
        if (y < 1 || y >= world.SizeY - 1 || !world.InBoundsColumn(x, z)) return false;
        return BlockTable.IsSolid(world.Get(x, y - 1, z)) && FeetFree(world.Get(x, y, z)) && HeadFree(world.Get(x, y + 1, z));
    }

    public static bool CanStand(VoxelWorld world, BlockPos p) => CanStand(world, p.X, p.Y, p.Z);

    /// <summary>A swimming cell: feet in water over water (deeper than a wade), head in air or a torch (the surface).</summary>
    public static bool CanSwim(VoxelWorld world, int x, int y, int z)
    {
        if (y < 1 || y >= world.SizeY - 1 || !world.InBoundsColumn(x, z)) return false;
        return world.Get(x, y, z) == Block.Water && world.Get(x, y - 1, z) == Block.Water && HeadFree(world.Get(x, y + 1, z));
    }

    public static bool CanSwim(VoxelWorld world, BlockPos p) => CanSwim(world, p.X, p.Y, p.Z);

    /// <summary>Where an agent may be: standing, or swimming at the surface of deep water.</summary>
    public static bool CanOccupy(VoxelWorld world, int x, int y, int z) => CanStand(world, x, y, z) || CanSwim(world, x, y, z);

    public static bool CanOccupy(VoxelWorld world, BlockPos p) => CanOccupy(world, p.X, p.Y, p.Z);

    /// <summary>The cell reached by stepping from <paramref name="from"/> by (dx, dz), or null when the step is not allowed.
    /// With <paramref name="swim"/> the step may also end swimming (<see cref="CanSwim(VoxelWorld, int, int, int)"/>):
    /// into deep water from its bank or from a wade, across the surface, or out onto a bank one block up.</summary>
    public static BlockPos? Step(VoxelWorld world, BlockPos from, int dx, int dz, int maxDrop = MaxDrop, bool swim = false)
    {
        int x = from.X + dx, z = from.Z + dz, y = from.Y;
        if (!world.InBoundsColumn(x, z)) return null;
        bool Fits(int fy) => CanStand(world, x, fy, z) || swim && CanSwim(world, x, fy, z);
        if (Fits(y + 1))
            return HeadFree(world.Get(from.X, y + 2, from.Z)) ? new BlockPos(x, y + 1, z) : null;
        // Level or down: every cell swept from the head height down to the new feet must be free.
        for (int drop = 0; drop <= maxDrop; drop++)
        {
            int ny = y - drop;
            if (ny < 1) return null;
            if (drop > 0 && !FeetFree(world.Get(x, ny + 1, z))) return null;
            if (Fits(ny)) return new BlockPos(x, ny, z);
            // A swimmer stays at the surface: it does not sink through water it cannot swim in.
            if (swim && world.Get(x, ny, z) == Block.Water) return null;
            if (!FeetFree(world.Get(x, ny, z)) || !HeadFree(world.Get(x, ny + 1, z)) && drop == 0) return null;
        }
        return null;
    }

    /// <summary>The standable feet cell of a column nearest to height <paramref name="nearY"/> (searching the whole column), or null.</summary>
    public static BlockPos? StandableInColumn(VoxelWorld world, int x, int z, int nearY)
    {
        for (int d = 0; d < world.SizeY; d++)
        {
            if (CanStand(world, x, nearY + d, z)) return new BlockPos(x, nearY + d, z);
            if (d > 0 && CanStand(world, x, nearY - d, z)) return new BlockPos(x, nearY - d, z);
        }
        return null;
    }
}
