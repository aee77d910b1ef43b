namespace Expert.VqVae.Voxels;

/// <summary>
/// A dense 3D occupancy grid. Axes and packing are documented in Voxels/LAYOUT.md:
/// y is up; voxel (x, y, z) lives at index <c>x + SizeX * (z + SizeZ * y)</c>, so one horizontal
/// layer (fixed y) is contiguous, x fastest. Packed form: bit i of the byte array is voxel i,
/// least significant bit first.
/// </summary>
public sealed class OccupancyGrid : IEquatable<OccupancyGrid>
{
    /// <summary>Largest edge a grid may have (the model itself works on 32^3).</summary>
    public const int MaxEdge = 256;

    private readonly bool[] _cells;

    public OccupancyGrid(int sizeX, int sizeY, int sizeZ)
    {
        ValidateSize(sizeX, nameof(sizeX));
        ValidateSize(sizeY, nameof(sizeY));
        ValidateSize(sizeZ, nameof(sizeZ));
        SizeX = sizeX;
        SizeY = sizeY;
        SizeZ = sizeZ;
        _cells = new bool[checked(sizeX * sizeY * sizeZ)];
    }

    /// <summary>A cube grid of edge <paramref name="size"/>.</summary>
    public OccupancyGrid(int size) : this(size, size, size) { }

    public int SizeX { get; }
    public int SizeY { get; }
    public int SizeZ { get; }
    public int Volume => _cells.Length;

    /// <summary>Cells in storage order (see the class summary); writes go through the indexer.</summary>
    public ReadOnlySpan<bool> Cells => _cells;

    public bool this[int x, int y, int z]
    {
        get => InBounds(x, y, z) && _cells[Index(x, y, z)];
        set
        {
            if (!InBounds(x, y, z))
                throw new ArgumentOutOfRangeException(nameof(x), $"({x}, {y}, {z}) is outside a {SizeX}x{SizeY}x{SizeZ} grid.");
            _cells[Index(x, y, z)] = value;
        }
    }

    public int Index(int x, int y, int z) => x + SizeX * (z + SizeZ * y);

    public bool InBounds(int x, int y, int z) =>
        (uint)x < (uint)SizeX && (uint)y < (uint)SizeY && (uint)z < (uint)SizeZ;

    public int Count()
    {
        int n = 0;
        foreach (bool c in _cells) if (c) n++;
        return n;
    }

    /// <summary>Sets voxel by flat index (storage order).</summary>
    public void SetIndex(int index, bool value) => _cells[index] = value;

    /// <summary>Fills an axis-aligned box, inclusive bounds, clipped to the grid.</summary>
    public void FillBox(int x0, int y0, int z0, int x1, int y1, int z1, bool value = true)
    {
        for (int y = Math.Max(0, Math.Min(y0, y1)); y <= Math.Min(SizeY - 1, Math.Max(y0, y1)); y++)
            for (int z = Math.Max(0, Math.Min(z0, z1)); z <= Math.Min(SizeZ - 1, Math.Max(z0, z1)); z++)
                for (int x = Math.Max(0, Math.Min(x0, x1)); x <= Math.Min(SizeX - 1, Math.Max(x0, x1)); x++)
                    _cells[Index(x, y, z)] = value;
    }

    /// <summary>Bit i is voxel i (storage order), least significant bit first; ceil(Volume/8) bytes.</summary>
    public byte[] Pack()
    {
        var bytes = new byte[PackedLength(SizeX, SizeY, SizeZ)];
        for (int i = 0; i < _cells.Length; i++)
            if (_cells[i]) bytes[i >> 3] |= (byte)(1 << (i & 7));
        return bytes;
    }

    public static int PackedLength(int sizeX, int sizeY, int sizeZ) => (int)(((long)sizeX * sizeY * sizeZ + 7) / 8);

    /// <summary>Inverse of <see cref="Pack"/>. Bits past the last voxel must be zero.</summary>
    public static OccupancyGrid Unpack(int sizeX, int sizeY, int sizeZ, ReadOnlySpan<byte> packed)
    {
        var grid = new OccupancyGrid(sizeX, sizeY, sizeZ);
        int expected = PackedLength(sizeX, sizeY, sizeZ);
        if (packed.Length != expected)
            throw new ArgumentException($"A {sizeX}x{sizeY}x{sizeZ} grid packs to {expected} bytes, got {packed.Length}.", nameof(packed));
        for (int i = 0; i < grid._cells.Length; i++)
            grid._cells[i] = (packed[i >> 3] & (1 << (i & 7))) != 0;
        int tail = grid._cells.Length & 7;
        if (tail != 0 && (packed[^1] >> tail) != 0)
            throw new ArgumentException("Padding bits after the last voxel must be zero.", nameof(packed));
        return grid;
    }

    /// <summary>Intersection over union of the occupied cells; 1 when both are empty.</summary>
    public static double IoU(OccupancyGrid a, OccupancyGrid b)
    {
        if (a.SizeX != b.SizeX || a.SizeY != b.SizeY || a.SizeZ != b.SizeZ)
            throw new ArgumentException("IoU needs grids of the same size.");
        int inter = 0, union = 0;
        for (int i = 0; i < a._cells.Length; i++)
        {
            bool p = a._cells[i], q = b._cells[i];
            if (p & q) inter++;
            if (p | q) union++;
        }
        return union == 0 ? 1.0 : (double)inter / union;
    }

    /// <summary>The cells as 0/1 floats in storage order, i.e. a [SizeY, SizeZ, SizeX] tensor layout.</summary>
    public float[] ToFloats()
    {
        var f = new float[_cells.Length];
        for (int i = 0; i < f.Length; i++) f[i] = _cells[i] ? 1f : 0f;
        return f;
    }

    /// <summary>Builds a grid from values in storage order; a value above <paramref name="threshold"/> is occupied.</summary>
    public static OccupancyGrid FromFloats(int sizeX, int sizeY, int sizeZ, ReadOnlySpan<float> values, float threshold = 0.5f)
    {
        var grid = new OccupancyGrid(sizeX, sizeY, sizeZ);
        if (values.Length != grid.Volume)
            throw new ArgumentException($"Expected {grid.Volume} values, got {values.Length}.", nameof(values));
        for (int i = 0; i < values.Length; i++) grid._cells[i] = values[i] > threshold;
        return grid;
    }

    public OccupancyGrid Clone()
    {
        var g = new OccupancyGrid(SizeX, SizeY, SizeZ);
        _cells.CopyTo(g._cells, 0);
        return g;
    }

    public bool Equals(OccupancyGrid? other) =>
        other is not null && other.SizeX == SizeX && other.SizeY == SizeY && other.SizeZ == SizeZ &&
        _cells.AsSpan().SequenceEqual(other._cells);

    public override bool Equals(object? obj) => Equals(obj as OccupancyGrid);

    public override int GetHashCode()
    {
        var h = new HashCode();
        h.Add(SizeX); h.Add(SizeY); h.Add(SizeZ);
        for (int i = 0; i < _cells.Length; i += 61) h.Add(_cells[i]);
        return h.ToHashCode();
    }

    private static void ValidateSize(int size, string name)
    {
        if (size < 1 || size > MaxEdge)
            throw new ArgumentOutOfRangeException(name, size, $"Grid edges must be 1..{MaxEdge}.");
    }
}
