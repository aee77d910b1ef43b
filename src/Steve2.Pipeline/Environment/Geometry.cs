namespace Steve2.Pipeline.Environment;

// The world's frame is the dynamic map's (protos/steve2/expert/v1/dynamic_map.proto): x east, y up,
// z south (north is -z); one unit is one block; block (x, y, z) spans [x, x+1) x [y, y+1) x [z, z+1).
// Yaw in degrees, Minecraft convention: 0 looks toward +z (south), 90 toward -x (west); pitch 0 is
// level, +90 straight down. A pose is the agent's feet; the eye is EyeHeight above them.

/// <summary>An integer block position.</summary>
public readonly record struct BlockPos(int X, int Y, int Z)
{
    public BlockPos Offset(int dx, int dy, int dz) => new(X + dx, Y + dy, Z + dz);
    public BlockPos Below => new(X, Y - 1, Z);
    public BlockPos Above => new(X, Y + 1, Z);
    public int ManhattanDistance(BlockPos other) => Math.Abs(X - other.X) + Math.Abs(Y - other.Y) + Math.Abs(Z - other.Z);
    public double DistanceTo(BlockPos other) => Math.Sqrt(DistanceSquared(other));
    public long DistanceSquared(BlockPos other)
    {
        long dx = X - other.X, dy = Y - other.Y, dz = Z - other.Z;
        return dx * dx + dy * dy + dz * dz;
    }
    public override string ToString() => $"({X}, {Y}, {Z})";
}

/// <summary>A continuous position in blocks.</summary>
public readonly record struct Vec3(double X, double Y, double Z)
{
    public static Vec3 Center(BlockPos p) => new(p.X + 0.5, p.Y + 0.5, p.Z + 0.5);
    public BlockPos Floor() => new((int)Math.Floor(X), (int)Math.Floor(Y), (int)Math.Floor(Z));
    public double DistanceTo(Vec3 o) => Math.Sqrt((X - o.X) * (X - o.X) + (Y - o.Y) * (Y - o.Y) + (Z - o.Z) * (Z - o.Z));
    public override string ToString() => $"({X:0.##}, {Y:0.##}, {Z:0.##})";
}

/// <summary>An agent's pose: feet position and view direction.</summary>
public readonly record struct Pose(Vec3 Position, double Yaw, double Pitch)
{
    public const double EyeHeight = 1.62;
    public BlockPos Block => Position.Floor();
}

/// <summary>The eight compass directions an exploration step may take, and up/down for digging.</summary>
public enum Direction { North, NorthEast, East, SouthEast, South, SouthWest, West, NorthWest }

public static class DirectionExtensions
{
    /// <summary>Unit step (dx, dz) of a direction in the world frame (north is -z).</summary>
    public static (int Dx, int Dz) Step(this Direction d) => d switch
    {
        Direction.North => (0, -1),
        Direction.NorthEast => (1, -1),
        Direction.East => (1, 0),
        Direction.SouthEast => (1, 1),
        Direction.South => (0, 1),
        Direction.SouthWest => (-1, 1),
        Direction.West => (-1, 0),
        Direction.NorthWest => (-1, -1),
        _ => throw new ArgumentOutOfRangeException(nameof(d)),
    };
}
