using Expert.VqVae.Materials;

namespace Expert.VqVae.Voxels;

/// <summary>
/// A dense 3D grid of block materials in the layout of <see cref="OccupancyGrid"/> (Voxels/LAYOUT.md:
/// y up, index <c>x + SizeX * (z + SizeZ * y)</c>): one <see cref="BlockMaterial"/> per voxel, air
/// for empty. Its occupancy is exactly the non-air voxels. The packed form (Materials/MATERIALS.md)
/// keeps the occupancy bits and adds a palette of block names and one palette index per occupied
/// voxel, in index order.
/// </summary>
public sealed class MaterialGrid : IEquatable<MaterialGrid>
{
    private readonly BlockMaterial[] _cells;

    public MaterialGrid(int sizeX, int sizeY, int sizeZ)
    {
        _ = new OccupancyGrid(sizeX, sizeY, sizeZ); // validates the edges with the same messages
        SizeX = sizeX;
        SizeY = sizeY;
        SizeZ = sizeZ;
        _cells = new BlockMaterial[sizeX * sizeY * sizeZ];
    }

    public MaterialGrid(int size) : this(size, size, size) { }

    public int SizeX { get; }
    public int SizeY { get; }
    public int SizeZ { get; }
    public int Volume => _cells.Length;

    /// <summary>Materials in storage order.</summary>
    public ReadOnlySpan<BlockMaterial> Cells => _cells;

    public BlockMaterial this[int x, int y, int z]
    {
        get => InBounds(x, y, z) ? _cells[Index(x, y, z)] : BlockMaterial.Air;
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

    public BlockMaterial At(int index) => _cells[index];

    public void SetIndex(int index, BlockMaterial material) => _cells[index] = material;

    /// <summary>Sets an axis-aligned box, inclusive bounds, clipped to the grid.</summary>
    public void FillBox(int x0, int y0, int z0, int x1, int y1, int z1, BlockMaterial material)
    {
        for (int y = Math.Max(0, Math.Min(y0, y1)); y <= Math.Min(SizeY - 1, Math.Max(y0, y1)); y++)
            for (int z = Math.Max(0, Math.Min(z0, z1)); z <= Math.Min(SizeZ - 1, Math.Max(z0, z1)); z++)
                for (int x = Math.Max(0, Math.Min(x0, x1)); x <= Math.Min(SizeX - 1, Math.Max(x0, x1)); x++)
                    _cells[Index(x, y, z)] = material;
    }

    /// <summary>The occupied (non-air) voxels.</summary>
    public OccupancyGrid ToOccupancy()
    {
        var g = new OccupancyGrid(SizeX, SizeY, SizeZ);
        for (int i = 0; i < _cells.Length; i++) if (_cells[i] != BlockMaterial.Air) g.SetIndex(i, true);
        return g;
    }

    /// <summary>Every voxel of <paramref name="occupancy"/> set to one material (a building "all of stone").</summary>
    public static MaterialGrid Uniform(OccupancyGrid occupancy, BlockMaterial material)
    {
        if (material == BlockMaterial.Air) throw new ArgumentException("A building cannot be made of air.", nameof(material));
        var g = new MaterialGrid(occupancy.SizeX, occupancy.SizeY, occupancy.SizeZ);
        var cells = occupancy.Cells;
        for (int i = 0; i < cells.Length; i++) if (cells[i]) g._cells[i] = material;
        return g;
    }

    /// <summary>Number of voxels of each material, indexed by its value (air included).</summary>
    public int[] Histogram()
    {
        var h = new int[BlockMaterials.Count];
        foreach (var m in _cells) h[(int)m]++;
        return h;
    }

    /// <summary>
    /// The packed form: the palette (the materials used, in value order, air never listed) and one
    /// byte per occupied voxel, in index order, holding that voxel's position in the palette.
    /// </summary>
    public (IReadOnlyList<BlockMaterial> Palette, byte[] Indices) PackBlocks()
    {
        var h = Histogram();
        var palette = BlockMaterials.Blocks.Where(m => h[(int)m] > 0).ToArray();
        var slot = new byte[BlockMaterials.Count];
        for (int i = 0; i < palette.Length; i++) slot[(int)palette[i]] = (byte)i;
        var indices = new byte[_cells.Length - h[0]];
        int k = 0;
        foreach (var m in _cells) if (m != BlockMaterial.Air) indices[k++] = slot[(int)m];
        return (palette, indices);
    }

    /// <summary>
    /// Inverse of <see cref="PackBlocks"/> on top of an occupancy grid: <paramref name="indices"/> must hold
    /// one entry per occupied voxel, each below the palette's length; the palette must not list air.
    /// </summary>
    public static MaterialGrid Unpack(OccupancyGrid occupancy, IReadOnlyList<BlockMaterial> palette, ReadOnlySpan<byte> indices)
    {
        ArgumentNullException.ThrowIfNull(occupancy);
        ArgumentNullException.ThrowIfNull(palette);
        if (palette.Count > 256) throw new ArgumentException($"A palette lists at most 256 blocks, got {palette.Count}.", nameof(palette));
        if (palette.Contains(BlockMaterial.Air)) throw new ArgumentException("The palette must not list air (empty voxels have no index).", nameof(palette));
        int occupied = occupancy.Count();
        if (indices.Length != occupied)
            throw new ArgumentException($"The grid has {occupied} occupied voxels, so it needs {occupied} block indices, got {indices.Length}.", nameof(indices));
        var g = new MaterialGrid(occupancy.SizeX, occupancy.SizeY, occupancy.SizeZ);
        var cells = occupancy.Cells;
        int k = 0;
        for (int i = 0; i < cells.Length; i++)
        {
            if (!cells[i]) continue;
            byte p = indices[k];
            if (p >= palette.Count)
                throw new ArgumentException($"Block index {p} of occupied voxel {k} is outside the palette of {palette.Count}.", nameof(indices));
            g._cells[i] = palette[p];
            k++;
        }
        return g;
    }

    public MaterialGrid Clone()
    {
        var g = new MaterialGrid(SizeX, SizeY, SizeZ);
        _cells.CopyTo(g._cells, 0);
        return g;
    }

    public bool Equals(MaterialGrid? other) =>
        other is not null && other.SizeX == SizeX && other.SizeY == SizeY && other.SizeZ == SizeZ &&
        _cells.AsSpan().SequenceEqual(other._cells);

    public override bool Equals(object? obj) => Equals(obj as MaterialGrid);

    public override int GetHashCode()
    {
        var h = new HashCode();
        h.Add(SizeX); h.Add(SizeY); h.Add(SizeZ);
        for (int i = 0; i < _cells.Length; i += 61) h.Add(_cells[i]);
        return h.ToHashCode();
    }
}
