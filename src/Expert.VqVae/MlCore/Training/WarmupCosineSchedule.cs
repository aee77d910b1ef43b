namespace Expert.VqVae.MlCore.Training;

/// <summary>
/// Linear warm-up, then a half cosine down to a floor (the imagination model's schedule, all three stages):
/// <code>
/// step &lt;= W:  peak * step / max(1, W)
/// step &gt; W:   peak * (f + (1 - f) * 0.5 * (1 + cos(pi * min(1, (step - W) / max(1, T - W)))))
/// </code>
/// with W the warm-up steps, T the total steps and f the floor fraction (0.05: the rate ends at 5%
/// of the peak, and stays there past T). The expression is evaluated exactly as the trainers did
/// before this type existed, so resumed and repeated runs stay bit-identical.
/// </summary>
public sealed class WarmupCosineSchedule : ILearningRateSchedule
{
    /// <summary>The floor of the imagination model's runs: 5% of the peak.</summary>
    public const double DefaultFloorFraction = 0.05;

    /// <param name="peak">The rate at the end of the warm-up (positive, finite).</param>
    /// <param name="totalSteps">The run's last step (0 or more).</param>
    /// <param name="warmupSteps">Steps of linear warm-up from 0 (0 or more).</param>
    /// <param name="floorFraction">Where the cosine ends, as a fraction of the peak, in [0, 1].</param>
    public WarmupCosineSchedule(double peak, int totalSteps, int warmupSteps, double floorFraction = DefaultFloorFraction)
    {
        LearningRates.RequirePositive(peak, nameof(peak));
        ArgumentOutOfRangeException.ThrowIfNegative(totalSteps);
        ArgumentOutOfRangeException.ThrowIfNegative(warmupSteps);
        LearningRates.RequireFraction(floorFraction, nameof(floorFraction));
        Peak = peak;
        TotalSteps = totalSteps;
        WarmupSteps = warmupSteps;
        FloorFraction = floorFraction;
    }

    public double Peak { get; }
    public int TotalSteps { get; }
    public int WarmupSteps { get; }
    public double FloorFraction { get; }

    public double RateAt(int step)
    {
        if (step <= WarmupSteps) return Peak * step / Math.Max(1, WarmupSteps);
        double progress = (step - WarmupSteps) / (double)Math.Max(1, TotalSteps - WarmupSteps);
        return Peak * (FloorFraction + (1 - FloorFraction) * 0.5 * (1 + Math.Cos(Math.PI * Math.Min(1, progress))));
    }
}
