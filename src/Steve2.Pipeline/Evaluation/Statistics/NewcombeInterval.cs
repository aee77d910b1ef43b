namespace Steve2.Pipeline.Evaluation.Statistics;

/// <summary>
/// Newcombe's hybrid score interval for a difference of two independent proportions p1 − p2
/// (Newcombe 1998, method 10), built from the Wilson intervals [l1, u1] and [l2, u2] of each:
/// low = d − √((p1 − l1)² + (u2 − p2)²), high = d + √((u1 − p1)² + (p2 − l2)²), d = p1 − p2.
/// The difference is significant at 95% when the interval excludes zero.
/// </summary>
public static class NewcombeInterval
{
    public static Interval Difference(int successes1, int trials1, int successes2, int trials2, double z = WilsonInterval.Z95)
    {
        if (trials1 == 0 || trials2 == 0) return Interval.None;
        double p1 = successes1 / (double)trials1, p2 = successes2 / (double)trials2, d = p1 - p2;
        Interval w1 = WilsonInterval.Of(successes1, trials1, z), w2 = WilsonInterval.Of(successes2, trials2, z);
        double low = d - Math.Sqrt(Square(p1 - w1.Low) + Square(w2.High - p2));
        double high = d + Math.Sqrt(Square(w1.High - p1) + Square(p2 - w2.Low));
        return new Interval(low, high);
    }

    private static double Square(double x) => x * x;
}
