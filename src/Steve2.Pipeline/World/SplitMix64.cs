namespace Steve2.Pipeline.World;

/// <summary>
/// A small deterministic random stream (SplitMix64). Used instead of <see cref="Random"/> so that a
/// seed gives the same world and the same episode on every runtime version.
/// </summary>
public sealed class SplitMix64
{
    private ulong _state;

    public SplitMix64(long seed) => _state = (ulong)seed ^ 0x9E3779B97F4A7C15UL;

    /// <summary>Mixes several integers into one 64-bit seed (for independent sub-streams).</summary>
    public static long Combine(long a, long b, long c = 0)
    {
        ulong h = Mix((ulong)a + 0x9E3779B97F4A7C15UL);
        h = Mix(h ^ (ulong)b);
        h = Mix(h ^ (ulong)c);
        return (long)h;
    }

    /// <summary>The SplitMix64 finaliser: a good 64-bit hash of one value.</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextULong()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>Uniform integer in [min, maxExclusive).</summary>
    public int Next(int min, int maxExclusive)
    {
        if (maxExclusive <= min) return min;
        return min + (int)(NextULong() % (ulong)(maxExclusive - min));
    }

    /// <summary>Uniform double in [0, 1).</summary>
    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    public bool Chance(double p) => NextDouble() < p;
}
