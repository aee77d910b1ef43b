namespace Steve2.Pipeline.Evaluation.Statistics;

/// <summary>
/// Percentile bootstrap intervals (Efron): draw <see cref="Resamples"/> samples of the same size with
/// replacement, compute the statistic on each, sort, and take the 2.5th and 97.5th percentiles (the
/// sorted values at ranks ⌊0.025·B⌋ and ⌈0.975·B⌉ − 1, 0-based: 50 and 1949 for B = 2000). The draws
/// come from SplitMix64 seeded by the caller (see <see cref="StableSeed"/>), so the same values and seed
/// always give the same interval, on any machine and runtime.
/// </summary>
public static class Bootstrap
{
    /// <summary>Resamples per interval: enough for the percentiles to move by well under the rounding of the report.</summary>
    public const int Resamples = 2000;

    /// <summary>The 95% interval of the mean of <paramref name="values"/>; a single point for constant data or one value; None for none.</summary>
    public static Interval MeanInterval(IReadOnlyList<double> values, ulong seed)
    {
        if (values.Count == 0) return Interval.None;
        if (values.All(v => v == values[0])) return new Interval(values[0], values[0]);   // exact, not a resampled sum's rounding
        var random = new SplitMix64(seed);
        var means = new double[Resamples];
        for (int b = 0; b < Resamples; b++) means[b] = ResampleMean(values, ref random);
        return Percentiles(means);
    }

    /// <summary>The 95% interval of mean(<paramref name="a"/>) − mean(<paramref name="b"/>), each group resampled on its own; None when a group is empty.</summary>
    public static Interval DifferenceOfMeansInterval(IReadOnlyList<double> a, IReadOnlyList<double> b, ulong seed)
    {
        if (a.Count == 0 || b.Count == 0) return Interval.None;
        var random = new SplitMix64(seed);
        var differences = new double[Resamples];
        for (int r = 0; r < Resamples; r++) differences[r] = ResampleMean(a, ref random) - ResampleMean(b, ref random);
        return Percentiles(differences);
    }

    /// <summary>
    /// The 95% percentile interval of any statistic of <paramref name="count"/> paired observations (a set
    /// metric such as the creation FID): each resample passes the indices drawn with replacement (0 ..
    /// count − 1, count of them) to <paramref name="statistics"/>, which returns one value per figure it
    /// computes on that resample (several figures share the draws: paired). One interval per figure; None
    /// for no observations.
    /// </summary>
    public static IReadOnlyList<Interval> StatisticIntervals(int count, int figures, Func<int[], double[]> statistics, ulong seed, int resamples = Resamples)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        if (count <= 0) return Enumerable.Repeat(Interval.None, figures).ToArray();
        var random = new SplitMix64(seed);
        var values = new double[figures][];
        for (int f = 0; f < figures; f++) values[f] = new double[resamples];
        var indices = new int[count];
        for (int r = 0; r < resamples; r++)
        {
            for (int i = 0; i < count; i++) indices[i] = random.NextIndex(count);
            double[] result = statistics(indices);
            if (result.Length != figures) throw new InvalidOperationException($"The statistic gave {result.Length} figures, not {figures}.");
            for (int f = 0; f < figures; f++) values[f][r] = result[f];
        }
        return values.Select(Percentiles).ToArray();
    }

    private static double ResampleMean(IReadOnlyList<double> values, ref SplitMix64 random)
    {
        double sum = 0;
        for (int i = 0; i < values.Count; i++) sum += values[random.NextIndex(values.Count)];
        return sum / values.Count;
    }

    private static Interval Percentiles(double[] statistics)
    {
        Array.Sort(statistics);
        int low = (int)Math.Floor(0.025 * statistics.Length);
        int high = (int)Math.Ceiling(0.975 * statistics.Length) - 1;
        return new Interval(statistics[low], statistics[high]);
    }

    /// <summary>SplitMix64 (Steele, Lea and Flood 2014): a tiny generator whose sequence is fixed by its definition, not by a runtime.</summary>
    private struct SplitMix64(ulong seed)
    {
        private ulong _state = seed;

        public ulong Next()
        {
            ulong z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }

        /// <summary>Uniform in [0, n) by Lemire's multiply-shift (bias below 2⁻³² for the sizes here).</summary>
        public int NextIndex(int n) => (int)Math.BigMul(Next(), (ulong)n, out _);
    }
}
