using Steve2.Pipeline.Environment;
using Steve2.Pipeline.World;
using VoxelGrid = Expert.VqVae.Voxels.OccupancyGrid;

namespace Steve2.Pipeline.Play;

/// <summary>The pictures of `steve2 play`: a replay frame (the acting agent's view beside a top-down map around the agents) and a building's three projections.</summary>
public static class PlayPictures
{
    /// <summary>Blocks each side of the agents' centre in the top-down map of a frame.</summary>
    public const int MapRadius = 32;

    /// <summary>Pixels per view pixel and per map block.</summary>
    public const int Scale = 3;

    /// <summary>
    /// One frame: the acting agent's view (scaled) on the left; on the right the top-down map (<see cref="WorldPictures.TopDown"/>)
    /// of the <c>2 * MapRadius</c> blocks around the acting agent, agents as 3x3 marks (the acting agent white, the others magenta), animals as orange dots.
    /// </summary>
    public static RgbImage Frame(RgbImage? view, RgbImage topDown, VoxelWorld world, IReadOnlyList<Vec3> agents, int actingAgent, IReadOnlyList<Vec3>? animals = null)
    {
        int side = 2 * MapRadius;
        int viewSide = view?.Width ?? side;
        int height = Math.Max(viewSide, side) * Scale, width = (viewSide + side) * Scale;
        var pixels = new byte[width * height * 3];
        if (view is not null)
            for (int y = 0; y < view.Height * Scale; y++)
            for (int x = 0; x < view.Width * Scale; x++)
                Copy(view.Pixels, ((y / Scale) * view.Width + x / Scale) * 3, pixels, (y * width + x) * 3);

        // Centred on the acting agent (the others may be far away); without one, on the agents' mean.
        bool acting = actingAgent >= 0 && actingAgent < agents.Count;
        double cx = acting ? agents[actingAgent].X : agents.Average(a => a.X), cz = acting ? agents[actingAgent].Z : agents.Average(a => a.Z);
        int x0 = (int)Math.Floor(cx) - MapRadius, z0 = (int)Math.Floor(cz) - MapRadius;
        var map = new byte[side * side * 3];
        for (int z = 0; z < side; z++)
        for (int x = 0; x < side; x++)
        {
            int wx = x0 + x - world.MinX, wz = z0 + z - world.MinZ;
            if (wx < 0 || wz < 0 || wx >= topDown.Width || wz >= topDown.Height) continue;   // outside the world: black
            Copy(topDown.Pixels, (wz * topDown.Width + wx) * 3, map, (z * side + x) * 3);
        }
        foreach (Vec3 animal in animals ?? [])
        {
            int px = (int)Math.Floor(animal.X) - x0, pz = (int)Math.Floor(animal.Z) - z0;
            if (px >= 0 && pz >= 0 && px < side && pz < side) new byte[] { 255, 140, 0 }.CopyTo(map, (pz * side + px) * 3);
        }
        for (int a = 0; a < agents.Count; a++)
        {
            int ax = (int)Math.Floor(agents[a].X) - x0, az = (int)Math.Floor(agents[a].Z) - z0;
            byte[] colour = a == actingAgent ? [255, 255, 255] : [255, 0, 255];
            for (int dz = -1; dz <= 1; dz++)
            for (int dx = -1; dx <= 1; dx++)
            {
                int px = ax + dx, pz = az + dz;
                if (px < 0 || pz < 0 || px >= side || pz >= side) continue;
                colour.CopyTo(map, (pz * side + px) * 3);
            }
        }
        int left = viewSide * Scale;
        for (int y = 0; y < side * Scale; y++)
        for (int x = 0; x < side * Scale; x++)
            Copy(map, ((y / Scale) * side + x / Scale) * 3, pixels, (y * width + left + x) * 3);
        return new RgbImage(width, height, pixels);
    }

    /// <summary>
    /// A grid's three projections side by side (front: looking north, x right and y up; side: looking west, z right; top: x right, z down),
    /// each filled cell shaded by its depth (nearer is lighter), <paramref name="colour"/> the nearest's colour, on dark grey, with 2-pixel gaps.
    /// </summary>
    public static RgbImage Projections(VoxelGrid grid, (byte R, byte G, byte B) colour, int scale = 6)
    {
        int sx = grid.SizeX, sy = grid.SizeY, sz = grid.SizeZ, gap = 2;
        int width = (sx + sz + sx) * scale + 2 * gap, height = Math.Max(sy, sz) * scale;
        var pixels = new byte[width * height * 3];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = 40;
        void Cell(int px, int py, int depth, int range)
        {
            double shade = 1 - 0.6 * depth / Math.Max(1, range);
            for (int y = 0; y < scale; y++)
            for (int x = 0; x < scale; x++)
            {
                int i = ((py * scale + y) * width + px + x) * 3;
                pixels[i] = (byte)(colour.R * shade); pixels[i + 1] = (byte)(colour.G * shade); pixels[i + 2] = (byte)(colour.B * shade);
            }
        }
        for (int y = 0; y < sy; y++)
        for (int x = 0; x < sx; x++)
            for (int z = 0; z < sz; z++)
                if (grid[x, y, z]) { Cell(x * scale, height / scale - 1 - y, z, sz); break; }
        for (int y = 0; y < sy; y++)
        for (int z = 0; z < sz; z++)
            for (int x = sx - 1; x >= 0; x--)
                if (grid[x, y, z]) { Cell(sx * scale + gap + z * scale, height / scale - 1 - y, sx - 1 - x, sx); break; }
        for (int z = 0; z < sz; z++)
        for (int x = 0; x < sx; x++)
            for (int y = sy - 1; y >= 0; y--)
                if (grid[x, y, z]) { Cell((sx + sz) * scale + 2 * gap + x * scale, z, sy - 1 - y, sy); break; }
        return new RgbImage(width, height, pixels);
    }

    /// <summary>Pictures stacked top to bottom (left-aligned, 4-pixel black gaps).</summary>
    public static RgbImage Stack(params RgbImage[] images)
    {
        int width = images.Max(i => i.Width), height = images.Sum(i => i.Height) + 4 * (images.Length - 1);
        var pixels = new byte[width * height * 3];
        int top = 0;
        foreach (var image in images)
        {
            for (int y = 0; y < image.Height; y++)
                Array.Copy(image.Pixels, y * image.Width * 3, pixels, ((top + y) * width) * 3, image.Width * 3);
            top += image.Height + 4;
        }
        return new RgbImage(width, height, pixels);
    }

    private static void Copy(byte[] from, int i, byte[] to, int j)
    {
        to[j] = from[i]; to[j + 1] = from[i + 1]; to[j + 2] = from[i + 2];
    }
}
