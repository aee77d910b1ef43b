using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Experts;
using Expert.VqVae.Materials;
using MaterialGrid = Expert.VqVae.Voxels.MaterialGrid;
using VoxelGrid = Expert.VqVae.Voxels.OccupancyGrid;

namespace Steve2.Pipeline.Teacher.Planning;

/// <summary>
/// Splits a building into boxes that one building action places (placeBox; ACTIONS.md), shared by both teachers.
/// The grid is laid at the site with its occupied minimum corner at the origin and clipped to the cleared site
/// (<paramref name="siteSide"/> columns in x and z, <see cref="Tasks.BuildSite.ClearHeight"/> layers), so a plan
/// never spills past it. Layer by layer from the ground up, the first cell not yet covered (z, then x order) starts
/// a line along the axis where the layer runs longer from it (at most <see cref="MaxLength"/> cells), widened to
/// <see cref="MaxWidth"/> rows where the rows are full, then raised through the layers above while the same
/// rectangle is full and the box stays within <see cref="Environment.PlaceBox.MaxBlocks"/> cells and
/// <see cref="MaxHeight"/> layers (the action walks along the box). Boxes are then ordered so that every cell
/// lies on the ground or touches a block placed before it. With <c>blocks</c> (the grid's block per voxel, as an
/// imagined building with materials has them) a box holds one block only, and its step names it
/// (<see cref="PlanStep.Block"/>); without, steps name none and the plan is built with the goal's one material.
/// </summary>
public static class BoxPlanner
{
    public const int MaxLength = 16, MaxWidth = 4, MaxHeight = 4;

    public static IReadOnlyList<PlanStep> Plan(VoxelGrid grid, BlockPos origin, int siteSide, MaterialGrid? blocks = null)
    {
        if (blocks is not null && (blocks.SizeX != grid.SizeX || blocks.SizeY != grid.SizeY || blocks.SizeZ != grid.SizeZ))
            throw new ArgumentException("The blocks must have the grid's size.", nameof(blocks));
        int minX = int.MaxValue, minY = int.MaxValue, minZ = int.MaxValue;
        for (int y = 0; y < grid.SizeY; y++)
            for (int z = 0; z < grid.SizeZ; z++)
                for (int x = 0; x < grid.SizeX; x++)
                    if (grid[x, y, z]) { minX = Math.Min(minX, x); minY = Math.Min(minY, y); minZ = Math.Min(minZ, z); }
        if (minX == int.MaxValue) return [];
        int sx = Math.Min(grid.SizeX - minX, siteSide), sy = Math.Min(grid.SizeY - minY, Tasks.BuildSite.ClearHeight), sz = Math.Min(grid.SizeZ - minZ, siteSide);
        bool Filled(int x, int y, int z) => x >= 0 && y >= 0 && z >= 0 && x < sx && y < sy && z < sz && grid[x + minX, y + minY, z + minZ];
        var covered = new bool[sx, sy, sz];
        BlockMaterial current = BlockMaterial.Air;
        // With blocks, a box grows only over cells of the block it started on.
        bool Free(int x, int y, int z) => Filled(x, y, z) && !covered[x, y, z] && (blocks is null || blocks[x + minX, y + minY, z + minZ] == current);
        var steps = new List<PlanStep>();
        for (int y = 0; y < sy; y++)
            for (int z = 0; z < sz; z++)
                for (int x = 0; x < sx; x++)
                {
                    if (blocks is not null && Filled(x, y, z)) current = blocks[x + minX, y + minY, z + minZ];
                    if (!Free(x, y, z)) continue;
                    int runX = 1, runZ = 1;
                    while (runX < MaxLength && Free(x + runX, y, z)) runX++;
                    while (runZ < MaxLength && Free(x, y, z + runZ)) runZ++;
                    bool alongX = runX >= runZ;
                    int lx = alongX ? runX : 1, lz = alongX ? 1 : runZ;
                    // Widen across the line while the next row is full and free.
                    while ((alongX ? lz : lx) < MaxWidth && Rect(alongX ? x : x + lx, y, alongX ? z + lz : z, alongX ? lx : 1, alongX ? 1 : lz, Free))
                        if (alongX) lz++; else lx++;
                    int ly = 1;
                    while (ly < MaxHeight && (ly + 1) * lx * lz <= PlaceBox.MaxBlocks && Rect(x, y + ly, z, lx, lz, Free)) ly++;
                    for (int yy = y; yy < y + ly; yy++)
                        for (int zz = z; zz < z + lz; zz++)
                            for (int xx = x; xx < x + lx; xx++)
                                covered[xx, yy, zz] = true;
                    string? block = blocks is null || current == BlockMaterial.Air ? null : BlockMaterials.Name(current);
                    steps.Add(new PlanStep(0, origin.Offset(x, y, z), PlannedBlockAction.Place, origin.Offset(x + lx - 1, y + ly - 1, z + lz - 1), block));
                }
        return SupportedOrder(steps, origin.Y).Select((s, i) => s with { Index = i }).ToArray();
    }

    /// <summary>
    /// Reorders boxes so that each is placed when every one of its cells, in the action's order (layer, z, x), touches
    /// the ground or a block placed before (an eave hanging from a roof waits for the roof); a box that never gets
    /// support keeps its turn after the others of its pass.
    /// </summary>
    private static IEnumerable<PlanStep> SupportedOrder(List<PlanStep> steps, int groundY)
    {
        var placed = new HashSet<BlockPos>();
        var pending = new List<PlanStep>(steps);
        while (pending.Count > 0)
        {
            int pick = -1;
            for (int i = 0; i < pending.Count; i++)
                if (Supported(pending[i], placed, groundY)) { pick = i; break; }
            if (pick < 0) pick = 0;
            PlanStep step = pending[pick];
            pending.RemoveAt(pick);
            foreach (BlockPos c in step.Cells()) placed.Add(c);
            yield return step;
        }
    }

    private static bool Supported(PlanStep step, HashSet<BlockPos> placed, int groundY)
    {
        var inBox = new HashSet<BlockPos>();
        foreach (BlockPos c in step.Cells())
        {
            bool ok = c.Y == groundY;
            foreach (BlockPos n in (ReadOnlySpan<BlockPos>)[c.Below, c.Above, c.Offset(1, 0, 0), c.Offset(-1, 0, 0), c.Offset(0, 0, 1), c.Offset(0, 0, -1)])
                if (placed.Contains(n) || inBox.Contains(n)) ok = true;
            if (!ok) return false;
            inBox.Add(c);
        }
        return true;
    }

    private static bool Rect(int x, int y, int z, int lx, int lz, Func<int, int, int, bool> free)
    {
        for (int zz = z; zz < z + lz; zz++)
            for (int xx = x; xx < x + lx; xx++)
                if (!free(xx, y, zz)) return false;
        return true;
    }
}
