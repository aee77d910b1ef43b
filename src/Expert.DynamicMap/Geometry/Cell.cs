namespace Expert.DynamicMap.Geometry;

/// <summary>An integer cell (block) coordinate.</summary>
public readonly record struct Cell(int X, int Y, int Z)
{
    public Vec3 Center => new(X + 0.5, Y + 0.5, Z + 0.5);
    public long Packed => CellMath.Pack(X, Y, Z);
    public static Cell FromPacked(long key)
    {
        var (x, y, z) = CellMath.Unpack(key);
        return new Cell(x, y, z);
    }
    public static Cell Containing(Vec3 p) => new(CellMath.Cell(p.X), CellMath.Cell(p.Y), CellMath.Cell(p.Z));
    public override string ToString() => $"({X}, {Y}, {Z})";
}
