using Expert.VqVae.Voxels;

namespace Expert.VqVae.Corpus;

/// <summary>What <see cref="AttributeMeasurer.Measure"/> finds on a grid, with the raw measurements behind each class.</summary>
public sealed record MeasuredAttributes(
    HeightClass HeightClass,
    int Storeys,
    FootprintClass Footprint,
    SymmetryKind Symmetry,
    RoofKind Roof,
    int Height,
    int ExtentX,
    int ExtentZ,
    double SymmetryScoreX,
    double SymmetryScoreZ,
    int Voxels,
    int IgnoredVoxels)
{
    /// <summary>The better of the two mirror scores; symmetric when it reaches <see cref="AttributeThresholds.SymmetricMinScore"/>.</summary>
    public double SymmetryScore => Math.Max(SymmetryScoreX, SymmetryScoreZ);

    /// <summary>All five attributes as a value set (storeys included even where a family has none).</summary>
    public AttributeValues ToValues() => new(HeightClass, Storeys, Footprint, Symmetry, Roof);
}

/// <summary>Per-attribute comparison of what a description states with what a grid measures.</summary>
public sealed record AttributeAgreement(IReadOnlyDictionary<BuildingAttribute, bool> Matches)
{
    /// <summary>Number of stated attributes (the only ones compared).</summary>
    public int Stated => Matches.Count;

    public int Matched => Matches.Values.Count(m => m);

    /// <summary>True when every stated attribute matches (also when none is stated).</summary>
    public bool AllMatch => Matched == Stated;

    /// <summary>Matched / stated; 1 when nothing is stated.</summary>
    public double Fraction => Stated == 0 ? 1.0 : (double)Matched / Stated;
}

/// <summary>
/// Measures the five attributes on any grid, including a noisy generated one. Method (documented with
/// the thresholds in Corpus/CORPUS_FORMAT.md):
/// <list type="number">
/// <item>Clean-up: voxels with fewer than 2 face neighbours are removed (repeatedly, at most 4 passes), then
/// only the largest face-connected component is kept. Specks and one-voxel whiskers go; every corpus
/// building survives intact.</item>
/// <item>Height: layers from the lowest occupied one to the highest holding at least 3 voxels; class by
/// <see cref="AttributeThresholds"/>.</item>
/// <item>Footprint: extent in x (and z) counted over the slabs x = const that hold at least 2 voxels with a
/// neighbour inside the same slab, so a lone voxel stuck on a wall does not widen the building; class from
/// the larger of the two extents.</item>
/// <item>Symmetry: over the surface voxels (those with an empty face neighbour), the fraction whose mirror
/// image across the centre plane of the x (or z) extent is occupied; the plane is also tried half and one
/// voxel either side. Symmetric when the best of x and z reaches <see cref="AttributeThresholds.SymmetricMinScore"/>.</item>
/// <item>Storeys: per layer, the silhouette area (cells between the first and last voxel of their row or of
/// their column). A floor slab or eave ring that overhangs the walls makes the area jump up by at least
/// max(8, area/10) against both layers below. Storeys = (highest such layer, counted from the bottom, + 2) / 4,
/// i.e. the body height in storeys of <see cref="AttributeThresholds.StoreyHeight"/>; 0 when there is no jump.</item>
/// <item>Roof, from the top layer and its spans (in x: from the first to the last line x = const holding at
/// least 2 voxels of the layer; likewise in z): both spans at most 4 → pyramidal (a small cap); one span at
/// most 3 → pitched (a ridge); otherwise flat when one of the top three layers is a filled slab (at least
/// 70% of its span rectangle; battlements sit on such a slab), else none (an open rim).</item>
/// </list>
/// </summary>
public static class AttributeMeasurer
{
    private const int PrunePasses = 4;

    /// <summary>The top is the highest layer with at least this many voxels (a pair of specks on a roof is not a storey).</summary>
    private const int MinTopLayerVoxels = 3;

    public static MeasuredAttributes Measure(OccupancyGrid grid)
    {
        ArgumentNullException.ThrowIfNull(grid);
        var v = new Volume(grid);
        int original = v.Occupied.Count;
        v.Clean();
        int kept = v.Occupied.Count;
        if (kept == 0)
            return new MeasuredAttributes(HeightClass.Low, 0, FootprintClass.Small, SymmetryKind.Symmetric, RoofKind.None,
                0, 0, 0, 1.0, 1.0, 0, original);

        int bottom = -1, top = -1;
        for (int y = 0; y < v.SY; y++)
        {
            int n = v.Layer(y).Count;
            if (n > 0 && bottom < 0) bottom = y;
            if (n >= MinTopLayerVoxels) top = y;
        }
        if (top < bottom) top = Enumerable.Range(0, v.SY).Last(y => v.Layer(y).Count > 0);
        int height = top - bottom + 1;

        var (loX, hiX) = v.RobustSpan(axisX: true);
        var (loZ, hiZ) = v.RobustSpan(axisX: false);
        int extentX = hiX - loX + 1, extentZ = hiZ - loZ + 1;

        double scoreX = v.MirrorScore(true, loX + hiX), scoreZ = v.MirrorScore(false, loZ + hiZ);
        double score = Math.Max(scoreX, scoreZ);
        int storeys = MeasureStoreys(v, bottom, top);
        var roof = MeasureRoof(v, bottom, top);

        return new MeasuredAttributes(
            AttributeThresholds.ClassifyHeight(height),
            storeys,
            AttributeThresholds.ClassifyFootprint(extentX, extentZ),
            score >= AttributeThresholds.SymmetricMinScore ? SymmetryKind.Symmetric : SymmetryKind.Asymmetric,
            roof,
            height, extentX, extentZ, scoreX, scoreZ, kept, original - kept);
    }

    /// <summary>Compares every attribute <paramref name="stated"/> states with the measurement; unstated ones are left out.</summary>
    public static AttributeAgreement Agreement(AttributeValues stated, MeasuredAttributes measured)
    {
        ArgumentNullException.ThrowIfNull(stated);
        ArgumentNullException.ThrowIfNull(measured);
        var m = new Dictionary<BuildingAttribute, bool>();
        if (stated.HeightClass is { } h) m[BuildingAttribute.HeightClass] = h == measured.HeightClass;
        if (stated.Storeys is { } s) m[BuildingAttribute.Storeys] = s == measured.Storeys;
        if (stated.Footprint is { } f) m[BuildingAttribute.Footprint] = f == measured.Footprint;
        if (stated.Symmetry is { } y) m[BuildingAttribute.Symmetry] = y == measured.Symmetry;
        if (stated.Roof is { } r) m[BuildingAttribute.Roof] = r == measured.Roof;
        return new AttributeAgreement(m);
    }

    /// <summary>Measures <paramref name="grid"/> and compares it with <paramref name="stated"/>.</summary>
    public static AttributeAgreement Agreement(AttributeValues stated, OccupancyGrid grid) => Agreement(stated, Measure(grid));

    /// <summary>The grid after the clean-up step of <see cref="Measure"/> (specks and whiskers removed, largest component kept).</summary>
    public static OccupancyGrid Clean(OccupancyGrid grid)
    {
        var v = new Volume(grid);
        v.Clean();
        return v.ToGrid();
    }

    private static int MeasureStoreys(Volume v, int bottom, int top)
    {
        var area = new int[v.SY];
        for (int y = bottom; y <= top; y++) area[y] = v.SilhouetteArea(y);
        int highest = -1;
        for (int y = bottom + 2; y <= top; y++)
        {
            int below = Math.Max(area[y - 1], area[y - 2]);
            if (area[y] - below >= Math.Max(8, area[y] / 10)) highest = y - bottom;
        }
        return highest < 0 ? 0 : (highest + 2) / AttributeThresholds.StoreyHeight;
    }

    private static RoofKind MeasureRoof(Volume v, int bottom, int top)
    {
        var (sx, sz) = v.LayerSpans(top);
        if (Math.Max(sx, sz) <= 4) return RoofKind.Pyramidal;
        if (Math.Min(sx, sz) <= 3) return RoofKind.Pitched;
        for (int y = top; y >= Math.Max(bottom, top - 2); y--)
        {
            var (ax, az) = v.LayerSpans(y);
            if (v.Layer(y).Count >= 0.7 * ax * az) return RoofKind.Flat;
        }
        return RoofKind.None;
    }

    /// <summary>
    /// A working copy of a grid's cells with the measurements' helpers. Everything after the clean-up walks
    /// the list of occupied cells (a few thousand) rather than the whole grid.
    /// </summary>
    private sealed class Volume
    {
        public readonly int SX, SY, SZ;
        private readonly bool[] _c;
        private readonly int _layer;
        private List<int>[]? _layers;
        private bool[]? _surface;

        public Volume(OccupancyGrid grid)
        {
            SX = grid.SizeX; SY = grid.SizeY; SZ = grid.SizeZ;
            _layer = SX * SZ;
            _c = grid.Cells.ToArray();
            Occupied = new List<int>();
            for (int i = 0; i < _c.Length; i++) if (_c[i]) Occupied.Add(i);
        }

        /// <summary>Flat indices of the occupied cells, in storage order.</summary>
        public List<int> Occupied { get; private set; }

        public int X(int i) => i % SX;
        public int Y(int i) => i / _layer;
        public int Z(int i) => i / SX % SZ;

        public bool this[int x, int y, int z] =>
            (uint)x < (uint)SX && (uint)y < (uint)SY && (uint)z < (uint)SZ && _c[x + SX * (z + SZ * y)];

        /// <summary>Occupied cells of layer y.</summary>
        public List<int> Layer(int y)
        {
            if (_layers is null)
            {
                _layers = new List<int>[SY];
                for (int k = 0; k < SY; k++) _layers[k] = new List<int>();
                foreach (int i in Occupied) _layers[Y(i)].Add(i);
            }
            return _layers[y];
        }

        public OccupancyGrid ToGrid()
        {
            var g = new OccupancyGrid(SX, SY, SZ);
            foreach (int i in Occupied) g.SetIndex(i, true);
            return g;
        }

        private int Neighbours(int i)
        {
            int x = X(i), y = Y(i), z = Z(i), n = 0;
            if (x > 0 && _c[i - 1]) n++;
            if (x < SX - 1 && _c[i + 1]) n++;
            if (z > 0 && _c[i - SX]) n++;
            if (z < SZ - 1 && _c[i + SX]) n++;
            if (y > 0 && _c[i - _layer]) n++;
            if (y < SY - 1 && _c[i + _layer]) n++;
            return n;
        }

        public void Clean()
        {
            var doomed = new List<int>();
            for (int pass = 0; pass < PrunePasses; pass++)
            {
                doomed.Clear();
                foreach (int i in Occupied) if (Neighbours(i) < 2) doomed.Add(i);
                if (doomed.Count == 0) break;
                foreach (int i in doomed) _c[i] = false;
                Occupied = Occupied.Where(i => _c[i]).ToList();
            }
            KeepLargestComponent();
            _layers = null;
            _surface = null;
        }

        private void KeepLargestComponent()
        {
            var label = new int[_c.Length];
            var queue = new int[Occupied.Count];
            int next = 0, best = 0, bestSize = 0;
            foreach (int start in Occupied)
            {
                if (label[start] != 0) continue;
                next++;
                int head = 0, tail = 0;
                queue[tail++] = start;
                label[start] = next;
                while (head < tail)
                {
                    int i = queue[head++];
                    int x = X(i), z = Z(i), y = Y(i);
                    if (x > 0) Visit(i - 1);
                    if (x < SX - 1) Visit(i + 1);
                    if (z > 0) Visit(i - SX);
                    if (z < SZ - 1) Visit(i + SX);
                    if (y > 0) Visit(i - _layer);
                    if (y < SY - 1) Visit(i + _layer);
                }
                if (tail > bestSize) { bestSize = tail; best = next; }

                void Visit(int j)
                {
                    if (_c[j] && label[j] == 0) { label[j] = next; queue[tail++] = j; }
                }
            }
            foreach (int i in Occupied) if (label[i] != best) _c[i] = false;
            Occupied = Occupied.Where(i => _c[i]).ToList();
        }

        /// <summary>
        /// First and last slab (x = const, or z = const) that holds at least 2 voxels having a face neighbour
        /// within the same slab; falls back to the plain span if no slab qualifies.
        /// </summary>
        public (int Lo, int Hi) RobustSpan(bool axisX)
        {
            int n = axisX ? SX : SZ;
            var count = new int[n];
            var any = new bool[n];
            foreach (int i in Occupied)
            {
                int x = X(i), y = Y(i), z = Z(i);
                int a = axisX ? x : z;
                any[a] = true;
                bool inSlab = this[x, y - 1, z] || this[x, y + 1, z] ||
                              (axisX ? this[x, y, z - 1] || this[x, y, z + 1] : this[x - 1, y, z] || this[x + 1, y, z]);
                if (inSlab) count[a]++;
            }
            int lo = Array.FindIndex(count, c => c >= 2), hi = Array.FindLastIndex(count, c => c >= 2);
            if (lo < 0) { lo = Array.IndexOf(any, true); hi = Array.LastIndexOf(any, true); }
            return (lo, hi);
        }

        /// <summary>Best fraction of surface voxels whose mirror image is occupied, over planes at (sum + d) / 2, d in -2..2.</summary>
        public double MirrorScore(bool axisX, int sum)
        {
            if (_surface is null)
            {
                _surface = new bool[Occupied.Count];
                for (int k = 0; k < Occupied.Count; k++) _surface[k] = Neighbours(Occupied[k]) < 6;
            }
            int surface = 0;
            Span<int> matched = stackalloc int[5];
            matched.Clear();
            for (int k = 0; k < Occupied.Count; k++)
            {
                if (!_surface[k]) continue;
                int i = Occupied[k], x = X(i), y = Y(i), z = Z(i);
                surface++;
                for (int d = -2; d <= 2; d++)
                    if (axisX ? this[sum + d - x, y, z] : this[x, y, sum + d - z]) matched[d + 2]++;
            }
            if (surface == 0) return 1.0;
            int best = 0;
            foreach (int m in matched) best = Math.Max(best, m);
            return (double)best / surface;
        }

        /// <summary>Cells of layer y lying between the first and last voxel of their row (along x) or of their column (along z).</summary>
        public int SilhouetteArea(int y)
        {
            var cells = Layer(y);
            if (cells.Count == 0) return 0;
            Span<int> rowLo = stackalloc int[SZ], rowHi = stackalloc int[SZ];
            Span<int> colLo = stackalloc int[SX], colHi = stackalloc int[SX];
            rowLo.Fill(int.MaxValue); rowHi.Fill(-1); colLo.Fill(int.MaxValue); colHi.Fill(-1);
            int x0 = SX, x1 = -1, z0 = SZ, z1 = -1;
            foreach (int i in cells)
            {
                int x = X(i), z = Z(i);
                rowLo[z] = Math.Min(rowLo[z], x); rowHi[z] = Math.Max(rowHi[z], x);
                colLo[x] = Math.Min(colLo[x], z); colHi[x] = Math.Max(colHi[x], z);
                x0 = Math.Min(x0, x); x1 = Math.Max(x1, x); z0 = Math.Min(z0, z); z1 = Math.Max(z1, z);
            }
            int area = 0;
            for (int z = z0; z <= z1; z++)
                for (int x = x0; x <= x1; x++)
                    if ((x >= rowLo[z] && x <= rowHi[z]) || (z >= colLo[x] && z <= colHi[x])) area++;
            return area;
        }

        /// <summary>
        /// Extents in x and z of layer y, counting only lines (x = const, z = const) that hold at least 2 of
        /// the layer's voxels, so a voxel stuck beside a ridge does not widen it; plain extents if no line qualifies.
        /// </summary>
        public (int X, int Z) LayerSpans(int y)
        {
            Span<int> perX = stackalloc int[SX], perZ = stackalloc int[SZ];
            perX.Clear(); perZ.Clear();
            foreach (int i in Layer(y)) { perX[X(i)]++; perZ[Z(i)]++; }
            return (Span(perX), Span(perZ));

            static int Span(ReadOnlySpan<int> counts)
            {
                int lo = -1, hi = -1, anyLo = -1, anyHi = -1;
                for (int i = 0; i < counts.Length; i++)
                {
                    if (counts[i] >= 2) { if (lo < 0) lo = i; hi = i; }
                    if (counts[i] >= 1) { if (anyLo < 0) anyLo = i; anyHi = i; }
                }
                return lo >= 0 ? hi - lo + 1 : anyLo >= 0 ? anyHi - anyLo + 1 : 0;
            }
        }
    }
}
