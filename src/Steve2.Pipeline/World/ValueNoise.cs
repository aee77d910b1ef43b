namespace Steve2.Pipeline.World;

/// <summary>
/// Seeded 2D value noise: pseudo-random values on the integer lattice (a hash of the seed and
/// the lattice point), blended with a smoothstep, summed over octaves (fractal Brownian motion).
/// Output of one octave is in [-1, 1]; <see cref="Fractal2"/> normalises the sum back to [-1, 1].
/// </summary>
public sealed class ValueNoise
{
    private readonly ulong _seed;

    public ValueNoise(long seed) => _seed = SplitMix64.Mix((ulong)seed);

    private double Lattice(int x, int z)
    {
        ulong h = _seed ^ ((ulong)(uint)x * 0x9E3779B1UL) ^ ((ulong)(uint)z * 0xC2B2AE3DUL << 40);
        h = SplitMix64.Mix(h);
        return (h >> 11) * (2.0 / (1UL << 53)) - 1.0;
    }

    private static double Smooth(double t) => t * t * (3 - 2 * t);

    private static double Lerp(double a, double b, double t) => a + (b - a) * t;

    /// <summary>One octave of 2D value noise at (x, z), in [-1, 1].</summary>
    public double Sample2(double x, double z)
    {
        int x0 = (int)Math.Floor(x), z0 = (int)Math.Floor(z);
        double tx = Smooth(x - x0), tz = Smooth(z - z0);
        double a = Lattice(x0, z0), b = Lattice(x0 + 1, z0);
        double c = Lattice(x0, z0 + 1), d = Lattice(x0 + 1, z0 + 1);
        return Lerp(Lerp(a, b, tx), Lerp(c, d, tx), tz);
    }

    /// <summary>Fractal 2D noise: <paramref name="octaves"/> octaves, each at twice the frequency and half the amplitude; in [-1, 1].</summary>
    public double Fractal2(double x, double z, double scale, int octaves)
    {
        double sum = 0, amplitude = 1, norm = 0, frequency = 1.0 / scale;
        for (int o = 0; o < octaves; o++)
        {
            sum += amplitude * Sample2(x * frequency + o * 17.31, z * frequency - o * 9.73);
            norm += amplitude;
            amplitude *= 0.5;
            frequency *= 2;
        }
        return sum / norm;
    }
}
