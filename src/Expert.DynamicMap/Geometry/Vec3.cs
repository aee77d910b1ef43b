namespace Expert.DynamicMap.Geometry;

/// <summary>A point or direction in world coordinates (x east, y up, z south; see MAP_LAYOUT.md).</summary>
public readonly record struct Vec3(double X, double Y, double Z)
{
    public static Vec3 operator +(Vec3 a, Vec3 b) => new(a.X + b.X, a.Y + b.Y, a.Z + b.Z);
    public static Vec3 operator -(Vec3 a, Vec3 b) => new(a.X - b.X, a.Y - b.Y, a.Z - b.Z);
    public static Vec3 operator *(Vec3 a, double s) => new(a.X * s, a.Y * s, a.Z * s);

    public double Length => Math.Sqrt(X * X + Y * Y + Z * Z);

    public double Dot(Vec3 other) => X * other.X + Y * other.Y + Z * other.Z;

    public Vec3 Normalized()
    {
        double length = Length;
        return length > 0 ? this * (1.0 / length) : this;
    }

    public bool IsFinite => double.IsFinite(X) && double.IsFinite(Y) && double.IsFinite(Z);

    public double DistanceTo(Vec3 other) => (this - other).Length;

    /// <summary>Horizontal (x/z) distance.</summary>
    public double HorizontalDistanceTo(Vec3 other)
    {
        double dx = X - other.X, dz = Z - other.Z;
        return Math.Sqrt(dx * dx + dz * dz);
    }

    public override string ToString() => $"({X:0.#}, {Y:0.#}, {Z:0.#})";
}
