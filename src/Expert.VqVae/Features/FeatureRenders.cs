using Expert.VqVae.Rendering;
using Expert.VqVae.Voxels;

namespace Expert.VqVae.Features;

/// <summary>
/// The feature net's input: a building framed as the creation task frames it, rendered from front,
/// side, top and isometric at 64 x 64 (ground drawn, no label: the pictures of the creation task's
/// image distance), stacked channel-first as bytes [3V, S, S] (R, G, B of each view in turn).
/// </summary>
public static class FeatureRenders
{
    public const int ImageSize = 64;

    /// <summary>The scored region's margin around a building: columns on each horizontal side and layers on top (the creation site's).</summary>
    public const int FrameMargin = 2;

    public static IReadOnlyList<RenderView> Views { get; } = [RenderView.Front, RenderView.Side, RenderView.Top, RenderView.Isometric];

    public static IReadOnlyList<string> ViewNames { get; } = Views.Select(v => v.ToName()).ToArray();

    private static readonly RenderOptions Options = RenderOptions.Default with { Width = ImageSize, Height = ImageSize, Label = false };

    /// <summary>Bytes of one example: 3 x views x size x size.</summary>
    public static int Length(int views = 4, int size = ImageSize) => 3 * views * size * size;

    /// <summary>
    /// A corpus grid as the creation task scores it: cropped to its occupied box (the lowest occupied layer
    /// on the ground), then laid into a region <see cref="FrameMargin"/> wider on every horizontal side and
    /// that much taller (Steve2's BuildSite.TargetInRegion of BuildingGrids.Crop). An empty grid gives an
    /// empty region around a 1^3 box.
    /// </summary>
    public static OccupancyGrid Frame(OccupancyGrid grid)
    {
        ArgumentNullException.ThrowIfNull(grid);
        int minX = int.MaxValue, maxX = -1, minY = int.MaxValue, maxY = -1, minZ = int.MaxValue, maxZ = -1;
        for (int y = 0; y < grid.SizeY; y++)
            for (int z = 0; z < grid.SizeZ; z++)
                for (int x = 0; x < grid.SizeX; x++)
                    if (grid[x, y, z])
                    {
                        minX = Math.Min(minX, x); maxX = Math.Max(maxX, x);
                        minY = Math.Min(minY, y); maxY = Math.Max(maxY, y);
                        minZ = Math.Min(minZ, z); maxZ = Math.Max(maxZ, z);
                    }
        if (maxY < 0) return new OccupancyGrid(1 + 2 * FrameMargin, 1 + FrameMargin, 1 + 2 * FrameMargin);
        var framed = new OccupancyGrid(maxX - minX + 1 + 2 * FrameMargin, maxY - minY + 1 + FrameMargin, maxZ - minZ + 1 + 2 * FrameMargin);
        for (int y = minY; y <= maxY; y++)
            for (int z = minZ; z <= maxZ; z++)
                for (int x = minX; x <= maxX; x++)
                    if (grid[x, y, z]) framed[x - minX + FrameMargin, y - minY, z - minZ + FrameMargin] = true;
        return framed;
    }

    /// <summary>The stacked renders of a grid as drawn (no framing: pass a framed grid or a scored region).</summary>
    public static byte[] Render(OccupancyGrid grid)
    {
        int plane = ImageSize * ImageSize;
        var result = new byte[Length(Views.Count)];
        for (int v = 0; v < Views.Count; v++)
        {
            uint[] pixels = OccupancyRenderer.RenderPixels(grid, Views[v], Options, out _);
            ReadOnlySpan<byte> rgba = Raster.AsBytes(pixels);   // R, G, B, A per pixel (opaque background)
            int r = 3 * v * plane, g = r + plane, b = g + plane;
            for (int p = 0; p < plane; p++)
            {
                result[r + p] = rgba[4 * p];
                result[g + p] = rgba[4 * p + 1];
                result[b + p] = rgba[4 * p + 2];
            }
        }
        return result;
    }
}
