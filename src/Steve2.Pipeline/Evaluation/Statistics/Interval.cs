namespace Steve2.Pipeline.Evaluation.Statistics;

/// <summary>A closed interval [<see cref="Low"/>, <see cref="High"/>]; both NaN when there is nothing to estimate from.</summary>
public readonly record struct Interval(double Low, double High)
{
    /// <summary>No interval (no data): both ends NaN.</summary>
    public static Interval None => new(double.NaN, double.NaN);

    public bool IsDefined => !double.IsNaN(Low) && !double.IsNaN(High);

    public bool Contains(double x) => IsDefined && Low <= x && x <= High;

    /// <summary>True when the interval lies wholly above or wholly below zero: a difference that is significant at the interval's level.</summary>
    public bool ExcludesZero => IsDefined && (Low > 0 || High < 0);
}
