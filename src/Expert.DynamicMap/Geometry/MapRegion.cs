namespace Expert.DynamicMap.Geometry;

/// <summary>
/// A horizontal rectangle of columns plus a vertical range: columns x in [X0, X0+Width),
/// z in [Z0, Z0+Depth), cells y in [YMin, YMax] (inclusive). Caves and floors are told apart by
/// choosing the vertical range.
/// </summary>
public readonly record struct MapRegion(int X0, int Z0, int Width, int Depth, int YMin, int YMax)
{
    public int X1 => X0 + Width;   // exclusive
    public int Z1 => Z0 + Depth;   // exclusive
    public int Columns => Width * Depth;

    public bool ContainsColumn(int x, int z) => x >= X0 && x < X1 && z >= Z0 && z < Z1;
    public bool ContainsCell(int x, int y, int z) => ContainsColumn(x, z) && y >= YMin && y <= YMax;

    /// <summary>A square of side 2*radius+1 centred on a column.</summary>
    public static MapRegion Around(int x, int z, int radius, int yMin, int yMax) =>
        new(x - radius, z - radius, 2 * radius + 1, 2 * radius + 1, yMin, yMax);
}
