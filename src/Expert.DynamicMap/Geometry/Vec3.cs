namespace Expert.DynamicMap.Geometry;

/// <summary>A point or direction in world coordinates (x east, y up, z south; see MAP_LAYOUT.md).</summary>
public readonly record struct Vec3(double X, double Y, double Z)
{
    public static Vec3 operator +(Vec3 a, Vec3 b) => new(a.X + b.X, a.Y + b.Y, a.Z + b.Z);
    public static Vec3 operator -(Vec3 a, Vec3 b) => new(a.X - b.X, a.Y - b.Y, a.Z - b.Z);
    public static Vec3 operator *(Vec3 a, double s) => new(a.X * s, a.Y * s, a.Z * s);

    public double Length => Math.Sqrt(X * X + Y * Y + Z * Z);

    public double Dot(Vec3 other) => X * other.X + Y * other.Y + Z * other.Z;

    /// <summary>
    /// The unit vector of a direction, exact for any finite non-zero one: scaled by its largest component first,
    /// so (1e308, 1e308, 1e308) does not overflow to "no direction" and (1e-200, 0, 1e-200) does not underflow to
    /// zero. The zero vector (and a non-finite one) comes back unchanged: check <see cref="IsDirection"/> first.
    /// </summary>
    public Vec3 Normalized()
    {
        // Ordinary lengths: the plain formula (the same bits as ever, so recorded maps replay unchanged).
        double length = Length;
        if (length is > 1e-150 and < 1e150) return this * (1.0 / length);
        double scale = Math.Max(Math.Abs(X), Math.Max(Math.Abs(Y), Math.Abs(Z)));
        if (!(scale > 0) || !double.IsFinite(scale)) return this;
        Vec3 scaled = new(X / scale, Y / scale, Z / scale); // largest component is now ±1: no overflow or underflow
        return scaled * (1.0 / scaled.Length);
    }

    public bool IsFinite => double.IsFinite(X) && double.IsFinite(Y) && double.IsFinite(Z);

    /// <summary>Finite and not exactly zero: <see cref="Normalized"/> gives a unit vector.</summary>
    public bool IsDirection => IsFinite && (X != 0 || Y != 0 || Z != 0);

    public double DistanceTo(Vec3 other) => (this - other).Length;

    /// <summary>Horizontal (x/z) distance.</summary>
    public double HorizontalDistanceTo(Vec3 other)
    {
        double dx = X - other.X, dz = Z - other.Z;
        return Math.Sqrt(dx * dx + dz * dz);
    }

    public override string ToString() => $"({X:0.#}, {Y:0.#}, {Z:0.#})";
}
