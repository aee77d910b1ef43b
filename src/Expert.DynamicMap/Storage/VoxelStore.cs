namespace Expert.DynamicMap.Storage;

/// <summary>
/// The sparse 3D store: 16^3 chunks in a dictionary keyed by chunk coordinate, created on first
/// write. A world of any size costs only the chunks something was observed in.
/// </summary>
internal sealed class VoxelStore
{
    private readonly Dictionary<ChunkKey, Chunk> _chunks = new();

    public int ChunkCount => _chunks.Count;

    public IEnumerable<KeyValuePair<ChunkKey, Chunk>> Chunks => _chunks;

    public Chunk? TryGet(ChunkKey key) => _chunks.GetValueOrDefault(key);

    public bool Contains(ChunkKey key) => _chunks.ContainsKey(key);

    public Chunk GetOrCreate(ChunkKey key)
    {
        if (!_chunks.TryGetValue(key, out var chunk))
        {
            chunk = new Chunk();
            _chunks.Add(key, chunk);
        }
        return chunk;
    }

    internal void Add(ChunkKey key, Chunk chunk) => _chunks.Add(key, chunk);

    public ushort BlockAt(int x, int y, int z)
    {
        var chunk = TryGet(ChunkKey.OfCell(x, y, z));
        return chunk is null ? BlockPalette.UnknownId : chunk.Blocks[Chunk.Index(x & Chunk.Mask, y & Chunk.Mask, z & Chunk.Mask)];
    }

    /// <summary>Known cells over all chunks.</summary>
    public long KnownCells
    {
        get
        {
            long total = 0;
            foreach (var chunk in _chunks.Values) total += chunk.Known;
            return total;
        }
    }

    /// <summary>The cell box covering every chunk (chunk granularity), or null when empty.</summary>
    public (int MinX, int MinY, int MinZ, int MaxX, int MaxY, int MaxZ)? ChunkBounds()
    {
        if (_chunks.Count == 0) return null;
        int minX = int.MaxValue, minY = int.MaxValue, minZ = int.MaxValue, maxX = int.MinValue, maxY = int.MinValue, maxZ = int.MinValue;
        foreach (var key in _chunks.Keys)
        {
            minX = Math.Min(minX, key.X); minY = Math.Min(minY, key.Y); minZ = Math.Min(minZ, key.Z);
            maxX = Math.Max(maxX, key.X); maxY = Math.Max(maxY, key.Y); maxZ = Math.Max(maxZ, key.Z);
        }
        return (minX << Chunk.Shift, minY << Chunk.Shift, minZ << Chunk.Shift,
            (maxX << Chunk.Shift) + Chunk.Mask, (maxY << Chunk.Shift) + Chunk.Mask, (maxZ << Chunk.Shift) + Chunk.Mask);
    }
}

/// <summary>Reads cells with the last chunk cached (neighbour lookups stay in one chunk most of the time).</summary>
internal struct CellReader(VoxelStore store)
{
    private Chunk? _chunk;
    private int _cx = int.MinValue, _cy = int.MinValue, _cz = int.MinValue;

    public ushort BlockAt(int x, int y, int z)
    {
        int cx = x >> Chunk.Shift, cy = y >> Chunk.Shift, cz = z >> Chunk.Shift;
        if (cx != _cx || cy != _cy || cz != _cz)
        {
            _chunk = store.TryGet(new ChunkKey(cx, cy, cz));
            _cx = cx; _cy = cy; _cz = cz;
        }
        return _chunk is null ? BlockPalette.UnknownId : _chunk.Blocks[Chunk.Index(x & Chunk.Mask, y & Chunk.Mask, z & Chunk.Mask)];
    }

    public int StampAt(int x, int y, int z)
    {
        int cx = x >> Chunk.Shift, cy = y >> Chunk.Shift, cz = z >> Chunk.Shift;
        if (cx != _cx || cy != _cy || cz != _cz)
        {
            _chunk = store.TryGet(new ChunkKey(cx, cy, cz));
            _cx = cx; _cy = cy; _cz = cz;
        }
        return _chunk is null ? 0 : _chunk.Stamps[Chunk.Index(x & Chunk.Mask, y & Chunk.Mask, z & Chunk.Mask)];
    }

    public ushort SeenAt(int x, int y, int z)
    {
        int cx = x >> Chunk.Shift, cy = y >> Chunk.Shift, cz = z >> Chunk.Shift;
        if (cx != _cx || cy != _cy || cz != _cz)
        {
            _chunk = store.TryGet(new ChunkKey(cx, cy, cz));
            _cx = cx; _cy = cy; _cz = cz;
        }
        return _chunk is null ? (ushort)0 : _chunk.Seen[Chunk.Index(x & Chunk.Mask, y & Chunk.Mask, z & Chunk.Mask)];
    }
}
