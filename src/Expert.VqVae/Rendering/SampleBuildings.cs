using Expert.VqVae.Voxels;

namespace Expert.VqVae.Rendering;

/// <summary>
/// Small hand-made buildings for renders, benchmarks and tests (not training data). All are built in
/// the grid frame: y up, the entrance on the +z side (the front view sees it).
/// </summary>
public static class SampleBuildings
{
    /// <summary>
    /// A one-storey house: floor, hollow walls with a door on the front (+z) and windows, and a flat
    /// roof that overhangs the walls by one cell with eaves hanging one cell down at its rim.
    /// Needs an edge of at least 12.
    /// </summary>
    public static OccupancyGrid House(int size = 32)
    {
        if (size < 12) throw new ArgumentOutOfRangeException(nameof(size), size, "The house needs a grid edge of at least 12.");
        var g = new OccupancyGrid(size);
        int lo = size / 4, hi = size - 1 - size / 4, wallTop = size / 4 + 2;
        g.FillBox(lo, 0, lo, hi, 0, hi); // floor
        for (int y = 1; y <= wallTop; y++)
        {
            g.FillBox(lo, y, lo, hi, y, lo);
            g.FillBox(lo, y, hi, hi, y, hi);
            g.FillBox(lo, y, lo, lo, y, hi);
            g.FillBox(hi, y, lo, hi, y, hi);
        }
        int mid = size / 2;
        g.FillBox(mid - 1, 1, hi, mid, 3, hi, false); // door (front)
        g.FillBox(lo + 2, 3, lo, lo + 3, 4, lo, false); // back window
        g.FillBox(hi, 3, mid - 1, hi, 4, mid, false); // side window
        int roof = wallTop + 1;
        g.FillBox(lo - 1, roof, lo - 1, hi + 1, roof, hi + 1); // overhanging roof
        // eaves: the rim of the overhang hangs one cell down, touching only the roof
        for (int x = lo - 1; x <= hi + 1; x += 2)
        {
            g[x, roof - 1, lo - 1] = true;
            g[x, roof - 1, hi + 1] = true;
        }
        g.FillBox(lo + 1, roof + 1, lo + 1, hi - 1, roof + 1, hi - 1);
        g.FillBox(lo + 3, roof + 2, lo + 3, hi - 3, roof + 2, hi - 3);
        return g;
    }

    /// <summary>
    /// A five-storey pagoda with overhanging eaves in a 32^3 grid: about 5,000 voxels, the size of a
    /// typical generated building (used by <see cref="RenderBenchmark"/>).
    /// </summary>
    public static OccupancyGrid Pagoda()
    {
        var g = new OccupancyGrid(32);
        g.FillBox(3, 0, 3, 28, 2, 28); // plinth
        int y = 3;
        for (int storey = 0; storey < 5; storey++)
        {
            int lo = 6 + storey * 2, hi = 31 - lo;
            for (int k = 0; k < 4; k++, y++)
            {
                g.FillBox(lo, y, lo, hi, y, hi);
                g.FillBox(lo + 1, y, lo + 1, hi - 1, y, hi - 1, false);
                if (k < 2) g.FillBox(15, y, hi, 16, y, hi, false); // doorway on the front
            }
            // eaves: a slab three cells wider than the walls on every side, its rim turned down
            int elo = lo - 3, ehi = hi + 3;
            g.FillBox(elo, y, elo, ehi, y, ehi);
            g.FillBox(elo, y - 1, elo, ehi, y - 1, ehi);
            g.FillBox(elo + 1, y - 1, elo + 1, ehi - 1, y - 1, ehi - 1, false);
            g.FillBox(lo, y - 1, lo, hi, y - 1, hi); // the walls' top ring survives the cut
            g.FillBox(lo + 1, y - 1, lo + 1, hi - 1, y - 1, hi - 1, false);
            y++;
        }
        g.FillBox(15, y, 15, 16, 31, 16); // spire
        return g;
    }
}
