namespace Expert.DynamicMap.Storage;

/// <summary>
/// A 16^3 cube of cells. Arrays are indexed by <see cref="Index"/> = (y &lt;&lt; 8) | (z &lt;&lt; 4) | x with local
/// coordinates 0..15. Per cell: the block id (episode palette; 0 unknown, 1 air), the stamp of the
/// observation with the latest tick that saw it (0: never), and how many observations saw it
/// (saturating at 65,535). 32 KiB per chunk.
/// </summary>
internal sealed class Chunk
{
    public const int Shift = 4;
    public const int Size = 16;
    public const int Mask = 15;
    public const int Volume = Size * Size * Size;

    public readonly ushort[] Blocks = new ushort[Volume];
    public readonly int[] Stamps = new int[Volume];
    public readonly ushort[] Seen = new ushort[Volume];

    /// <summary>Per (x, z) column of this chunk (index (z &lt;&lt; 4) | x): the stamp with the latest tick of any of its cells (0: none).</summary>
    public readonly int[] ColumnLatest = new int[Size * Size];

    /// <summary>Per (x, z) column: 1 + the highest local y of a known cell (0: none known), and the lowest such y.</summary>
    public readonly byte[] ColumnTop = new byte[Size * Size];
    public readonly byte[] ColumnBottom = new byte[Size * Size];

    /// <summary>Keeps the column summaries up to date when cell <paramref name="i"/> becomes known.</summary>
    public void MarkKnown(int i)
    {
        Known++;
        int column = i & 255, y = i >> 8;
        if (ColumnTop[column] == 0)
        {
            ColumnTop[column] = (byte)(y + 1);
            ColumnBottom[column] = (byte)y;
            return;
        }
        if (y + 1 > ColumnTop[column]) ColumnTop[column] = (byte)(y + 1);
        if (y < ColumnBottom[column]) ColumnBottom[column] = (byte)y;
    }

    /// <summary>Cells whose block is not unknown.</summary>
    public int Known;

    public static int Index(int lx, int ly, int lz) => (ly << 8) | (lz << 4) | lx;

    /// <summary>Recomputes the per-column summaries from the cells (after loading a snapshot).</summary>
    public void RebuildSummaries(long[] ticks)
    {
        Array.Clear(ColumnLatest);
        Array.Clear(ColumnTop);
        Array.Clear(ColumnBottom);
        int known = Known;
        Known = 0;
        for (int i = 0; i < Volume; i++)
            if (Blocks[i] != BlockPalette.UnknownId) MarkKnown(i);
        if (Known != known) throw new InvalidDataException($"A chunk claims {known} known cells but holds {Known}.");
        for (int i = 0; i < Volume; i++)
        {
            int stamp = Stamps[i];
            if (stamp == 0) continue;
            ref int latest = ref ColumnLatest[i & 255];
            if (latest == 0 || ticks[stamp] > ticks[latest] || (ticks[stamp] == ticks[latest] && stamp > latest)) latest = stamp;
        }
    }

    /// <summary>Approximate heap size of one chunk, for memory accounting.</summary>
    public const int ApproximateBytes = Volume * (2 + 4 + 2) + Size * Size * 6 + 6 * 32 + 32;
}

/// <summary>A chunk coordinate (cell coordinate &gt;&gt; 4 on each axis).</summary>
public readonly record struct ChunkKey(int X, int Y, int Z)
{
    public static ChunkKey OfCell(int x, int y, int z) => new(x >> Chunk.Shift, y >> Chunk.Shift, z >> Chunk.Shift);

    public override int GetHashCode()
    {
        ulong h = (ulong)(uint)X * 0x9E3779B97F4A7C15UL ^ (ulong)(uint)Y * 0xC2B2AE3D27D4EB4FUL ^ (ulong)(uint)Z * 0x165667B19E3779F9UL;
        h ^= h >> 29;
        return (int)h ^ (int)(h >> 32);
    }

    public bool Equals(ChunkKey other) => X == other.X && Y == other.Y && Z == other.Z;
}
