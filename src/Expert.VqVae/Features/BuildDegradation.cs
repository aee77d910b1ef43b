using Expert.VqVae.Corpus;
using Expert.VqVae.Voxels;

namespace Expert.VqVae.Features;

/// <summary>
/// Imperfect builds of a framed building, the way agents leave them on a creation site: stopped after the
/// lowest layers, blocks missing, the whole building shifted by a column or two, stray blocks and lumps
/// beside it. The feature net learns from clean and degraded renders with the quality of each
/// (<see cref="QualityClass"/>), so that its features order builds by how much of the building stands
/// instead of extrapolating on pictures it never saw. Deterministic for a seed.
/// </summary>
public static class BuildDegradation
{
    /// <summary>IoU with the clean building at or above which a build is in quality class 0, 1, 2; below the last, class 3.</summary>
    public static IReadOnlyList<double> QualityBounds { get; } = [0.9, 0.65, 0.35];

    public static int QualityClasses => QualityBounds.Count + 1;

    /// <summary>The quality class of a build whose IoU with its building is <paramref name="iou"/> (0: near perfect).</summary>
    public static int QualityClass(double iou)
    {
        for (int c = 0; c < QualityBounds.Count; c++)
            if (iou >= QualityBounds[c]) return c;
        return QualityBounds.Count;
    }

    /// <summary>
    /// One random degradation of a framed grid (<see cref="FeatureRenders.Frame"/>), in the same frame: each of
    /// truncation (keep the layers below a random height), removal (each block with a random share up to 0.6),
    /// shift (by 1-2 columns in x or z) and spill (1-3 random boxes of stray blocks on the ground or against
    /// the building) is applied with probability 1/2, at least one of them.
    /// </summary>
    public static OccupancyGrid Degrade(OccupancyGrid framed, int seed)
    {
        var random = new DeterministicRandom(DeterministicRandom.Hash($"degrade|{seed}"));
        bool truncate = random.Chance(0.5), remove = random.Chance(0.5), shift = random.Chance(0.5), spill = random.Chance(0.5);
        if (!(truncate || remove || shift || spill)) remove = true;
        OccupancyGrid g = framed.Clone();
        int top = Top(g);
        if (truncate && top > 0)
        {
            int keep = 1 + random.Next(top);   // layers 0 .. keep-1 stay
            for (int y = keep; y < g.SizeY; y++)
                for (int z = 0; z < g.SizeZ; z++)
                    for (int x = 0; x < g.SizeX; x++) g[x, y, z] = false;
        }
        if (remove)
        {
            double share = 0.05 + 0.55 * random.NextDouble();
            for (int i = 0; i < g.Volume; i++)
                if (g.Cells[i] && random.NextDouble() < share) g.SetIndex(i, false);
        }
        if (shift)
        {
            int d = (random.Chance(0.5) ? 1 : -1) * (1 + random.Next(2));
            bool alongX = random.Chance(0.5);
            g = Shifted(g, alongX ? d : 0, alongX ? 0 : d);
        }
        if (spill)
        {
            int boxes = 1 + random.Next(3);
            for (int b = 0; b < boxes; b++)
            {
                int sx = 1 + random.Next(Math.Max(1, g.SizeX / 3)), sz = 1 + random.Next(Math.Max(1, g.SizeZ / 3)), sy = 1 + random.Next(Math.Max(1, g.SizeY / 2));
                int x0 = random.Next(Math.Max(1, g.SizeX - sx + 1)), z0 = random.Next(Math.Max(1, g.SizeZ - sz + 1));
                g.FillBox(x0, 0, z0, Math.Min(g.SizeX - 1, x0 + sx - 1), Math.Min(g.SizeY - 1, sy - 1), Math.Min(g.SizeZ - 1, z0 + sz - 1));
            }
        }
        return g;
    }

    private static int Top(OccupancyGrid g)
    {
        int top = -1;
        for (int y = 0; y < g.SizeY; y++)
            for (int z = 0; z < g.SizeZ; z++)
                for (int x = 0; x < g.SizeX; x++)
                    if (g[x, y, z]) top = y;
        return top;
    }

    private static OccupancyGrid Shifted(OccupancyGrid g, int dx, int dz)
    {
        var s = new OccupancyGrid(g.SizeX, g.SizeY, g.SizeZ);
        for (int y = 0; y < g.SizeY; y++)
            for (int z = 0; z < g.SizeZ; z++)
                for (int x = 0; x < g.SizeX; x++)
                    if (g[x, y, z] && s.InBounds(x + dx, y, z + dz)) s[x + dx, y, z + dz] = true;
        return s;
    }
}
