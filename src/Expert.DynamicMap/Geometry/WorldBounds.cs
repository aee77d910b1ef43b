namespace Expert.DynamicMap.Geometry;

/// <summary>
/// The box observations must lie in (cell coordinates, inclusive). Defaults are Minecraft's:
/// x and z within ±30,000,000, y from -64 to 319. Anything outside is rejected as invalid input.
/// </summary>
public sealed record WorldBounds(int MinX, int MaxX, int MinY, int MaxY, int MinZ, int MaxZ)
{
    public static WorldBounds Minecraft { get; } = new(-30_000_000, 30_000_000, -64, 319, -30_000_000, 30_000_000);

    public bool ContainsCell(int x, int y, int z) =>
        x >= MinX && x <= MaxX && y >= MinY && y <= MaxY && z >= MinZ && z <= MaxZ;

    public bool ContainsX(double x) => x >= MinX && x < MaxX + 1.0;
    public bool ContainsY(double y) => y >= MinY && y < MaxY + 1.0;
    public bool ContainsZ(double z) => z >= MinZ && z < MaxZ + 1.0;
}
