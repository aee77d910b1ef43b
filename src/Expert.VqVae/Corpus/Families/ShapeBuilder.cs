using Expert.VqVae.Voxels;

namespace Expert.VqVae.Corpus;

/// <summary>
/// Records box additions and removals in a family's local frame (x, z around 0, y = 0 the ground)
/// and then writes them, in order, into a grid with the building's bounding box centred on x/z.
/// </summary>
internal sealed class ShapeBuilder
{
    private readonly List<(bool Add, int X0, int Y0, int Z0, int X1, int Y1, int Z1)> _ops = new(64);

    public void Add(int x0, int y0, int z0, int x1, int y1, int z1) => _ops.Add((true, x0, y0, z0, x1, y1, z1));

    public void Remove(int x0, int y0, int z0, int x1, int y1, int z1) => _ops.Add((false, x0, y0, z0, x1, y1, z1));

    /// <summary>Writes the shape into a new grid. Throws when it does not fit or does not stand on y = 0.</summary>
    public OccupancyGrid ToGrid(int size, string what)
    {
        int minX = int.MaxValue, minY = int.MaxValue, minZ = int.MaxValue;
        int maxX = int.MinValue, maxY = int.MinValue, maxZ = int.MinValue;
        foreach (var o in _ops)
        {
            if (!o.Add) continue;
            minX = Math.Min(minX, Math.Min(o.X0, o.X1)); maxX = Math.Max(maxX, Math.Max(o.X0, o.X1));
            minY = Math.Min(minY, Math.Min(o.Y0, o.Y1)); maxY = Math.Max(maxY, Math.Max(o.Y0, o.Y1));
            minZ = Math.Min(minZ, Math.Min(o.Z0, o.Z1)); maxZ = Math.Max(maxZ, Math.Max(o.Z0, o.Z1));
        }
        if (minX == int.MaxValue) throw new InvalidOperationException($"{what} has no voxels.");
        int ex = maxX - minX + 1, ey = maxY + 1, ez = maxZ - minZ + 1;
        if (minY != 0) throw new InvalidOperationException($"{what} does not stand on y = 0 (lowest layer {minY}).");
        if (ex > size || ey > size || ez > size)
            throw new InvalidOperationException($"{what} is {ex}x{ey}x{ez}, larger than {size}^3.");
        int dx = (size - ex) / 2 - minX, dz = (size - ez) / 2 - minZ;
        var grid = new OccupancyGrid(size);
        foreach (var o in _ops)
            grid.FillBox(o.X0 + dx, o.Y0, o.Z0 + dz, o.X1 + dx, o.Y1, o.Z1 + dz, o.Add);
        return grid;
    }
}

/// <summary>A horizontal rectangle in a family's local frame, inclusive bounds.</summary>
internal readonly record struct Rect(int X0, int X1, int Z0, int Z1)
{
    public int Width => X1 - X0 + 1;
    public int Depth => Z1 - Z0 + 1;

    /// <summary>A w x d rectangle centred on the origin (cells -w/2 .. w/2-1).</summary>
    public static Rect Centred(int w, int d) => new(-w / 2, w / 2 - 1, -d / 2, d / 2 - 1);

    public Rect Grow(int n) => new(X0 - n, X1 + n, Z0 - n, Z1 + n);
}

/// <summary>Building blocks shared by the families, all in the local frame (front = +z).</summary>
internal static class Parts
{
    public const int StoreyHeight = AttributeThresholds.StoreyHeight;

    public static void Box(ShapeBuilder b, Rect r, int y0, int y1) => b.Add(r.X0, y0, r.Z0, r.X1, y1, r.Z1);

    /// <summary>Walls from y0 to y1; when hollow the inside is emptied, leaving 1-voxel walls.</summary>
    public static void Walls(ShapeBuilder b, Rect r, int y0, int y1, bool hollow)
    {
        Box(b, r, y0, y1);
        if (hollow && r.Width > 2 && r.Depth > 2)
            b.Remove(r.X0 + 1, y0, r.Z0 + 1, r.X1 - 1, y1, r.Z1 - 1);
    }

    /// <summary>
    /// Storey k of a storeyed body: walls on layers 4k .. 4k+2 and a floor slab on layer 4k+3 that
    /// overhangs the walls by <paramref name="overhang"/> on every side (the slabs are what
    /// <see cref="AttributeMeasurer"/> counts as storeys).
    /// </summary>
    public static void Storey(ShapeBuilder b, Rect r, int k, bool hollow, int overhang)
    {
        int y0 = k * StoreyHeight;
        Walls(b, r, y0, y0 + StoreyHeight - 2, hollow);
        Box(b, r.Grow(overhang), y0 + StoreyHeight - 1, y0 + StoreyHeight - 1);
    }

    /// <summary>
    /// Door and windows of storey k: a door 3 high centred on the front (ground storey only), 2x2 windows on
    /// layers 4k+1..4k+2, two on the front (not beside a door) and back walls (one, centred, when the wall is
    /// 6 wide; none when narrower) and one centred on each side wall at least 6 deep. All placed
    /// mirror-symmetrically in x.
    /// </summary>
    public static void StoreyOpenings(ShapeBuilder b, Rect r, int k, bool door, int doorWidth = 2)
    {
        int y = k * StoreyHeight;
        if (r.Width >= 6)
        {
            foreach (int z in door ? new[] { r.Z0 } : new[] { r.Z0, r.Z1 })
            {
                b.Remove(r.X0 + 2, y + 1, z, r.X0 + 3, y + 2, z);
                b.Remove(r.X1 - 3, y + 1, z, r.X1 - 2, y + 2, z);
            }
        }
        if (r.Depth >= 6)
        {
            foreach (int x in new[] { r.X0, r.X1 })
                b.Remove(x, y + 1, -1 + Mid(r.Z0, r.Z1), x, y + 2, Mid(r.Z0, r.Z1));
        }
        if (door)
            b.Remove(-doorWidth / 2 + Mid(r.X0, r.X1), y, r.Z1, doorWidth / 2 - 1 + Mid(r.X0, r.X1), y + 2, r.Z1);
    }

    /// <summary>The cell just right of the centre line of an even span (0 for a centred span).</summary>
    public static int Mid(int a, int b) => (a + b + 1) / 2;

    /// <summary>
    /// A gable roof starting on layer y: it rises across the shorter side of <paramref name="r"/>, one voxel
    /// in per layer, to a 2-voxel ridge; along the ridge it overhangs by <paramref name="endOverhang"/>.
    /// Height: min(width, depth) / 2 layers.
    /// </summary>
    public static int PitchedRoof(ShapeBuilder b, Rect r, int y, int endOverhang)
    {
        bool spanX = r.Width <= r.Depth;
        int span = spanX ? r.Width : r.Depth;
        for (int i = 0; i < span / 2; i++)
        {
            if (spanX) b.Add(r.X0 + i, y + i, r.Z0 - endOverhang, r.X1 - i, y + i, r.Z1 + endOverhang);
            else b.Add(r.X0 - endOverhang, y + i, r.Z0 + i, r.X1 + endOverhang, y + i, r.Z1 - i);
        }
        return span / 2;
    }

    /// <summary>
    /// A pyramidal (hip) roof over a square, one voxel in on every side every <paramref name="layersPerStep"/>
    /// layers, to a 2x2 top. Height: width / 2 * layersPerStep.
    /// </summary>
    public static int PyramidRoof(ShapeBuilder b, Rect r, int y, int layersPerStep = 1)
    {
        int n = Math.Min(r.Width, r.Depth) / 2;
        for (int i = 0; i < n; i++)
            b.Add(r.X0 + i, y + i * layersPerStep, r.Z0 + i, r.X1 - i, y + (i + 1) * layersPerStep - 1, r.Z1 - i);
        return n * layersPerStep;
    }

    /// <summary>
    /// Merlons on the rim of <paramref name="r"/> on layer y: along each side, pairs of voxels alternate with
    /// gaps, counted from both ends so the pattern is mirror-symmetric and every corner has a merlon.
    /// </summary>
    public static void Battlements(ShapeBuilder b, Rect r, int y)
    {
        for (int x = r.X0; x <= r.X1; x++)
            if (Merlon(x - r.X0, r.Width))
            {
                b.Add(x, y, r.Z0, x, y, r.Z0);
                b.Add(x, y, r.Z1, x, y, r.Z1);
            }
        for (int z = r.Z0; z <= r.Z1; z++)
            if (Merlon(z - r.Z0, r.Depth))
            {
                b.Add(r.X0, y, z, r.X0, y, z);
                b.Add(r.X1, y, z, r.X1, y, z);
            }
    }

    private static bool Merlon(int i, int length) => Math.Min(i, length - 1 - i) / 2 % 2 == 0;

    /// <summary>
    /// An octagon-ish cross-section: the square <paramref name="r"/> with its corners cut by
    /// width/4 voxels (a staircase). Returns the x interval of each row, z0 first.
    /// </summary>
    public static (int A, int B)[] OctagonRows(Rect r)
    {
        int cut = r.Width / 4;
        var rows = new (int, int)[r.Depth];
        for (int z = r.Z0; z <= r.Z1; z++)
        {
            int inset = Math.Max(0, cut - Math.Min(z - r.Z0, r.Z1 - z));
            rows[z - r.Z0] = (r.X0 + inset, r.X1 - inset);
        }
        return rows;
    }

    public static void Octagon(ShapeBuilder b, Rect r, int y0, int y1)
    {
        var rows = OctagonRows(r);
        for (int i = 0; i < rows.Length; i++) b.Add(rows[i].A, y0, r.Z0 + i, rows[i].B, y1, r.Z0 + i);
    }

    /// <summary>
    /// A hollow octagonal shell: the octagon's cells that touch the outside (8-neighbourhood), so the
    /// wall is one voxel thick on the flat sides and face-connected around the cut corners.
    /// </summary>
    public static void OctagonRing(ShapeBuilder b, Rect r, int y0, int y1)
    {
        var rows = OctagonRows(r);
        Octagon(b, r, y0, y1);
        for (int i = 1; i < rows.Length - 1; i++)
        {
            int a = Math.Max(rows[i - 1].A, Math.Max(rows[i].A, rows[i + 1].A)) + 1;
            int c = Math.Min(rows[i - 1].B, Math.Min(rows[i].B, rows[i + 1].B)) - 1;
            if (a <= c) b.Remove(a, y0, r.Z0 + i, c, y1, r.Z0 + i);
        }
    }
}
