namespace Steve2.Pipeline.Evaluation.Statistics;

/// <summary>
/// The Wilson score interval of a proportion k/n (Wilson 1927): with p = k/n,
/// centre = (p + z²/2n) / (1 + z²/n), half-width = z / (1 + z²/n) · √(p(1 − p)/n + z²/4n²).
/// Unlike p ± z√(p(1 − p)/n) it stays inside [0, 1] and is not a single point at 0/n or n/n.
/// </summary>
public static class WilsonInterval
{
    /// <summary>The two-sided 95% normal quantile used throughout the report.</summary>
    public const double Z95 = 1.96;

    public static Interval Of(int successes, int trials, double z = Z95)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(successes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(successes, trials);
        if (trials == 0) return Interval.None;
        double n = trials, p = successes / n, z2 = z * z;
        double denominator = 1 + z2 / n;
        double centre = (p + z2 / (2 * n)) / denominator;
        double half = z / denominator * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        return new Interval(Math.Max(0, centre - half), Math.Min(1, centre + half));
    }
}
