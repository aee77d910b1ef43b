using System.Runtime.CompilerServices;
using Expert.DynamicMap.Geometry;

namespace Expert.DynamicMap.Storage;

/// <summary>
/// Writes one observation into the store: the blocks it saw, then the air between the eye and each
/// block (3D DDA, Amanatides &amp; Woo). The hot path allocates nothing per block.
/// <para>
/// Rules (MAP_LAYOUT.md): a cell takes the content of the observation with the latest tick that saw it
/// (late ticks never overwrite newer content, they only fill unknown cells and count); rays only mark
/// unknown or air cells, never a non-air block (a ray grazing a block's corner must not erase it; a
/// removed block is known gone when an observation reports "air" there); a ray walks from the block
/// toward the eye and stops at the first cell an earlier ray of the same observation already cleared,
/// because from there on both rays run to the same eye through (almost) the same cells.
/// </para>
/// </summary>
internal sealed class VoxelWriter(VoxelStore store)
{
    private readonly HashSet<long> _late = new(PackedKeyComparer.Instance);
    private long[] _ticks = [];
    private int _stamp;
    private long _tick;
    private Chunk? _chunk;
    private int _cx = int.MinValue, _cy = int.MinValue, _cz = int.MinValue;

    /// <summary>Cells written (block or air) since construction, for diagnostics.</summary>
    public long CellsTouched { get; private set; }

    public void Begin(int stamp, long tick, long[] ticks)
    {
        _stamp = stamp;
        _tick = tick;
        _ticks = ticks;
        _late.Clear();
        _chunk = null;
        _cx = int.MinValue;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Chunk ChunkFor(int x, int y, int z)
    {
        int cx = x >> Chunk.Shift, cy = y >> Chunk.Shift, cz = z >> Chunk.Shift;
        if (cx != _cx || cy != _cy || cz != _cz || _chunk is null)
        {
            _chunk = store.GetOrCreate(new ChunkKey(cx, cy, cz));
            _cx = cx; _cy = cy; _cz = cz;
        }
        return _chunk;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CountSeen(ushort[] seen, int i)
    {
        if (seen[i] != ushort.MaxValue) seen[i]++;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void UpdateColumn(Chunk chunk, int i)
    {
        ref int latest = ref chunk.ColumnLatest[i & 255];
        if (latest != _stamp && (latest == 0 || _tick > _ticks[latest] || (_tick == _ticks[latest] && _stamp > latest))) latest = _stamp;
    }

    public void WriteBlock(int x, int y, int z, ushort id)
    {
        var chunk = ChunkFor(x, y, z);
        int i = Chunk.Index(x & Chunk.Mask, y & Chunk.Mask, z & Chunk.Mask);
        int stamp = chunk.Stamps[i];
        CellsTouched++;
        if (stamp == _stamp)
        {
            chunk.Blocks[i] = id; // seen twice in one observation: the later entry wins, counted once
            return;
        }
        if (stamp == 0 || _ticks[stamp] <= _tick)
        {
            if (chunk.Blocks[i] == BlockPalette.UnknownId) chunk.MarkKnown(i);
            chunk.Blocks[i] = id;
            chunk.Stamps[i] = _stamp;
            CountSeen(chunk.Seen, i);
            UpdateColumn(chunk, i);
        }
        else if (_late.Add(CellMath.Pack(x, y, z)))
        {
            CountSeen(chunk.Seen, i); // a late observation: newer content stays, the sighting counts
        }
    }

    /// <summary>
    /// Marks the cells between the block (bx, by, bz) and the eye cell, eye cell included, as air. The ray
    /// leaves the block through its exposed face that faces the eye most squarely (the face the agent saw:
    /// for ground seen from above, the top face, since the side faces are buried against known neighbours),
    /// starting at that face's centre; with no exposed face it leaves from the block's centre.
    /// </summary>
    public void ClearRay(double eyeX, double eyeY, double eyeZ, int bx, int by, int bz)
    {
        int endX = (int)Math.Floor(eyeX), endY = (int)Math.Floor(eyeY), endZ = (int)Math.Floor(eyeZ);
        int steps = Math.Abs(endX - bx) + Math.Abs(endY - by) + Math.Abs(endZ - bz);
        if (steps == 0) return;

        double sx = bx + 0.5, sy = by + 0.5, sz = bz + 0.5;
        const double Inside = 1e-4;
        int axis = -1;
        double best = 0;
        // Candidate faces: those whose outside the eye is on; the one with the largest gap wins, unless covered by a block.
        double gap = eyeX < bx ? bx - eyeX : eyeX > bx + 1 ? eyeX - (bx + 1) : 0;
        if (gap > best && !IsBlock(eyeX < bx ? bx - 1 : bx + 1, by, bz)) { best = gap; axis = 0; }
        gap = eyeY < by ? by - eyeY : eyeY > by + 1 ? eyeY - (by + 1) : 0;
        if (gap > best && !IsBlock(bx, eyeY < by ? by - 1 : by + 1, bz)) { best = gap; axis = 1; }
        gap = eyeZ < bz ? bz - eyeZ : eyeZ > bz + 1 ? eyeZ - (bz + 1) : 0;
        if (gap > best && !IsBlock(bx, by, eyeZ < bz ? bz - 1 : bz + 1)) { axis = 2; }
        if (axis == 0) sx = eyeX < bx ? bx + Inside : bx + 1 - Inside;
        else if (axis == 1) sy = eyeY < by ? by + Inside : by + 1 - Inside;
        else if (axis == 2) sz = eyeZ < bz ? bz + Inside : bz + 1 - Inside;

        double dx = eyeX - sx, dy = eyeY - sy, dz = eyeZ - sz;
        int stepX = dx > 0 ? 1 : -1, stepY = dy > 0 ? 1 : -1, stepZ = dz > 0 ? 1 : -1;
        double tDeltaX = dx != 0 ? 1.0 / Math.Abs(dx) : double.PositiveInfinity;
        double tDeltaY = dy != 0 ? 1.0 / Math.Abs(dy) : double.PositiveInfinity;
        double tDeltaZ = dz != 0 ? 1.0 / Math.Abs(dz) : double.PositiveInfinity;
        double tMaxX = dx != 0 ? (dx > 0 ? bx + 1 - sx : sx - bx) * tDeltaX : double.PositiveInfinity;
        double tMaxY = dy != 0 ? (dy > 0 ? by + 1 - sy : sy - by) * tDeltaY : double.PositiveInfinity;
        double tMaxZ = dz != 0 ? (dz > 0 ? bz + 1 - sz : sz - bz) * tDeltaZ : double.PositiveInfinity;
        int x = bx, y = by, z = bz;

        for (int k = 0; k < steps; k++)
        {
            if (tMaxX < tMaxY)
            {
                if (tMaxX < tMaxZ) { x += stepX; tMaxX += tDeltaX; }
                else { z += stepZ; tMaxZ += tDeltaZ; }
            }
            else if (tMaxY < tMaxZ) { y += stepY; tMaxY += tDeltaY; }
            else { z += stepZ; tMaxZ += tDeltaZ; }

            if (!MarkAir(x, y, z)) return;
        }
    }

    /// <summary>Whether a known non-air block occupies the cell (never creates a chunk).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool IsBlock(int x, int y, int z)
    {
        int cx = x >> Chunk.Shift, cy = y >> Chunk.Shift, cz = z >> Chunk.Shift;
        var chunk = cx == _cx && cy == _cy && cz == _cz ? _chunk : store.TryGet(new ChunkKey(cx, cy, cz));
        return chunk is not null && chunk.Blocks[Chunk.Index(x & Chunk.Mask, y & Chunk.Mask, z & Chunk.Mask)] > BlockPalette.AirId;
    }

    /// <summary>Marks one cell air; false when the ray should stop.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool MarkAir(int x, int y, int z)
    {
        var chunk = ChunkFor(x, y, z);
        int i = Chunk.Index(x & Chunk.Mask, y & Chunk.Mask, z & Chunk.Mask);
        ushort block = chunk.Blocks[i];
        if (block > BlockPalette.AirId) return true; // a block: leave it, look past it
        int stamp = chunk.Stamps[i];
        if (stamp == _stamp) return false;
        CellsTouched++;
        if (stamp == 0 || _ticks[stamp] <= _tick)
        {
            if (block == BlockPalette.UnknownId) chunk.MarkKnown(i);
            chunk.Blocks[i] = BlockPalette.AirId;
            chunk.Stamps[i] = _stamp;
            CountSeen(chunk.Seen, i);
            UpdateColumn(chunk, i);
            return true;
        }
        if (!_late.Add(CellMath.Pack(x, y, z))) return false;
        CountSeen(chunk.Seen, i);
        return true;
    }
}
