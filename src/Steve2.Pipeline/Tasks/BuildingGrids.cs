using Expert.VqVae.Rendering;
using Expert.VqVae.Materials;
using SkiaSharp;
using MaterialGrid = Expert.VqVae.Voxels.MaterialGrid;
using VoxelGrid = Expert.VqVae.Voxels.OccupancyGrid;

namespace Steve2.Pipeline.Tasks;

/// <summary>Grid helpers of the creation task: cropping to the occupied box, IoU, material IoU and the image distance (TASKS.md).</summary>
public static class BuildingGrids
{
    /// <summary>Views and size of the image distance.</summary>
    public static IReadOnlyList<RenderView> DistanceViews { get; } = [RenderView.Front, RenderView.Side, RenderView.Top, RenderView.Isometric];
    public const int DistanceRenderSize = 64;

    /// <summary>The occupied box of a grid (from the first to the last occupied slab on each axis), or an empty 1^3 grid.</summary>
    public static VoxelGrid Crop(VoxelGrid grid)
    {
        if (Bounds(grid) is not var (minX, minY, minZ, sx, sy, sz)) return new VoxelGrid(1, 1, 1);
        var cropped = new VoxelGrid(sx, sy, sz);
        for (int y = 0; y < sy; y++)
            for (int z = 0; z < sz; z++)
                for (int x = 0; x < sx; x++)
                    if (grid[x + minX, y + minY, z + minZ]) cropped[x, y, z] = true;
        return cropped;
    }

    /// <summary>A grid of blocks cropped to the box <see cref="Crop(VoxelGrid)"/> gives its occupancy (so the two stay aligned).</summary>
    public static MaterialGrid Crop(MaterialGrid blocks)
    {
        if (Bounds(blocks.ToOccupancy()) is not var (minX, minY, minZ, sx, sy, sz)) return new MaterialGrid(1, 1, 1);
        var cropped = new MaterialGrid(sx, sy, sz);
        for (int y = 0; y < sy; y++)
            for (int z = 0; z < sz; z++)
                for (int x = 0; x < sx; x++)
                    cropped[x, y, z] = blocks[x + minX, y + minY, z + minZ];
        return cropped;
    }

    /// <summary>The occupied box's minimum corner and size (x and z tight, y from the lowest occupied layer), or null for an empty grid.</summary>
    private static (int MinX, int MinY, int MinZ, int SizeX, int SizeY, int SizeZ)? Bounds(VoxelGrid grid)
    {
        int minX = int.MaxValue, maxX = -1, maxY = -1, minZ = int.MaxValue, maxZ = -1;
        for (int y = 0; y < grid.SizeY; y++)
            for (int z = 0; z < grid.SizeZ; z++)
                for (int x = 0; x < grid.SizeX; x++)
                    if (grid[x, y, z])
                    {
                        minX = Math.Min(minX, x); maxX = Math.Max(maxX, x);
                        minZ = Math.Min(minZ, z); maxZ = Math.Max(maxZ, z);
                        maxY = y;
                    }
        if (maxY < 0) return null;
        int minY = 0;
        for (; minY < maxY; minY++)
        {
            bool any = false;
            for (int z = minZ; z <= maxZ && !any; z++)
                for (int x = minX; x <= maxX && !any; x++) any = grid[x, minY, z];
            if (any) break;
        }
        return (minX, minY, minZ, maxX - minX + 1, maxY - minY + 1, maxZ - minZ + 1);
    }

    /// <summary>
    /// Material-aware intersection over union of a built grid and a target of one size: a voxel is in the intersection
    /// when it is occupied in both with the same block, in the union when it is occupied in either.
    /// <paramref name="built"/> is what stands (every non-air block); <paramref name="builtBlocks"/> its blocks, with
    /// air where the block is none of the palette's (dirt, grass: occupied, matching no target block). 1 when both are
    /// empty. On a target of one block built with that block only, it equals <see cref="IoU"/>.
    /// </summary>
    public static double MaterialIoU(VoxelGrid built, MaterialGrid builtBlocks, MaterialGrid target)
    {
        if (built.SizeX != target.SizeX || built.SizeY != target.SizeY || built.SizeZ != target.SizeZ
            || builtBlocks.SizeX != target.SizeX || builtBlocks.SizeY != target.SizeY || builtBlocks.SizeZ != target.SizeZ)
            throw new ArgumentException("The material IoU compares grids of one size (lay both into the site's region first).");
        long inter = 0, union = 0;
        for (int i = 0; i < target.Volume; i++)
        {
            bool b = built.Cells[i], t = target.At(i) != BlockMaterial.Air;
            if (b || t) union++;
            if (b && t && builtBlocks.At(i) == target.At(i)) inter++;
        }
        return union == 0 ? 1 : (double)inter / union;
    }

    /// <summary>The material IoU of two grids of blocks (each occupied exactly where it holds a block).</summary>
    public static double MaterialIoU(MaterialGrid built, MaterialGrid target) => MaterialIoU(built.ToOccupancy(), built, target);

    /// <summary>Intersection over union of two grids of one size (1 when both are empty).</summary>
    public static double IoU(VoxelGrid a, VoxelGrid b) => VoxelGrid.IoU(a, b);

    /// <summary>
    /// Mean absolute pixel difference, in [0, 1], between renders of two grids of one size: the front, side,
    /// top and isometric views of <see cref="OccupancyRenderer"/> at 64 x 64 with the ground drawn; the mean
    /// over views, pixels and the R, G, B channels of |a - b| / 255. 0 means identical pictures.
    /// </summary>
    public static double ImageDistance(VoxelGrid a, VoxelGrid b)
    {
        if (a.SizeX != b.SizeX || a.SizeY != b.SizeY || a.SizeZ != b.SizeZ)
            throw new ArgumentException("The image distance compares grids of one size (lay both into the site's region first).");
        var options = RenderOptions.Default with { Width = DistanceRenderSize, Height = DistanceRenderSize, Label = false };
        double sum = 0;
        long count = 0;
        foreach (RenderView view in DistanceViews)
        {
            using SKImage ia = OccupancyRenderer.Render(a, view, options), ib = OccupancyRenderer.Render(b, view, options);
            using SKBitmap ba = SKBitmap.FromImage(ia), bb = SKBitmap.FromImage(ib);
            for (int y = 0; y < ba.Height; y++)
                for (int x = 0; x < ba.Width; x++)
                {
                    SKColor ca = ba.GetPixel(x, y), cb = bb.GetPixel(x, y);
                    sum += Math.Abs(ca.Red - cb.Red) + Math.Abs(ca.Green - cb.Green) + Math.Abs(ca.Blue - cb.Blue);
                    count += 3;
                }
        }
        return sum / (255.0 * count);
    }
}
