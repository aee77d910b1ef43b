using Expert.VqVae.Rendering;
using SkiaSharp;
using VoxelGrid = Expert.VqVae.Voxels.OccupancyGrid;

namespace Steve2.Pipeline.Tasks;

/// <summary>Grid helpers of the creation task: cropping to the occupied box, IoU and the image distance (TASKS.md).</summary>
public static class BuildingGrids
{
    /// <summary>Views and size of the image distance.</summary>
    public static IReadOnlyList<RenderView> DistanceViews { get; } = [RenderView.Front, RenderView.Side, RenderView.Top, RenderView.Isometric];
    public const int DistanceRenderSize = 64;

    /// <summary>The occupied box of a grid (from the first to the last occupied slab on each axis), or an empty 1^3 grid.</summary>
    public static VoxelGrid Crop(VoxelGrid grid)
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
        if (maxY < 0) return new VoxelGrid(1, 1, 1);
        int minY = 0;
        for (; minY < maxY; minY++)
        {
            bool any = false;
            for (int z = minZ; z <= maxZ && !any; z++)
                for (int x = minX; x <= maxX && !any; x++) any = grid[x, minY, z];
            if (any) break;
        }
        var cropped = new VoxelGrid(maxX - minX + 1, maxY - minY + 1, maxZ - minZ + 1);
        for (int y = minY; y <= maxY; y++)
            for (int z = minZ; z <= maxZ; z++)
                for (int x = minX; x <= maxX; x++)
                    if (grid[x, y, z]) cropped[x - minX, y - minY, z - minZ] = true;
        return cropped;
    }

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
