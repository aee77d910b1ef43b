namespace Expert.DynamicMap.Geometry;

/// <summary>Cell indexing helpers shared by the store and the layer builders.</summary>
public static class CellMath
{
    /// <summary>Largest |x| and |z| a packed cell key holds (26-bit two's complement).</summary>
    public const int MaxHorizontal = (1 << 25) - 1;

    /// <summary>Largest |y| a packed cell key holds (12-bit two's complement).</summary>
    public const int MaxVertical = (1 << 11) - 1;

    /// <summary>The cell that contains a continuous coordinate (floor).</summary>
    public static int Cell(double v) => (int)Math.Floor(v);

    /// <summary>Packs a cell into one long (x: 26 bits, z: 26 bits, y: 12 bits), for hash keys.</summary>
    public static long Pack(int x, int y, int z) =>
        ((long)(x & 0x3FFFFFF) << 38) | ((long)(z & 0x3FFFFFF) << 12) | (long)(y & 0xFFF);

    public static (int X, int Y, int Z) Unpack(long key) =>
        ((int)(key >> 38), (int)((key << 52) >> 52), (int)((key << 26) >> 38));

    /// <summary>A 64-bit mix (splitmix64 finaliser) for hashing packed keys.</summary>
    public static int Hash(long key)
    {
        ulong z = (ulong)key + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (int)(z ^ (z >> 31));
    }
}

/// <summary>Equality for packed cell keys with a well-mixed hash (the default long hash collides on grids).</summary>
public sealed class PackedKeyComparer : IEqualityComparer<long>
{
    public static PackedKeyComparer Instance { get; } = new();
    public bool Equals(long x, long y) => x == y;
    public int GetHashCode(long key) => CellMath.Hash(key);
}
