namespace Expert.VqVae.MlCore.Training;

/// <summary>
/// Linear warm-up, then a straight line down to a floor (the usual schedule of behaviour-cloning
/// and DPO fine-tuning):
/// <code>
/// step &lt;= W:  peak * step / max(1, W)
/// step &gt; W:   peak * (f + (1 - f) * (1 - min(1, (step - W) / max(1, T - W))))
/// </code>
/// with W the warm-up steps, T the total steps and f the floor fraction (0: the rate reaches 0 at T).
/// </summary>
public sealed class WarmupLinearSchedule : ILearningRateSchedule
{
    /// <param name="peak">The rate at the end of the warm-up (positive, finite).</param>
    /// <param name="totalSteps">The run's last step (0 or more).</param>
    /// <param name="warmupSteps">Steps of linear warm-up from 0 (0 or more).</param>
    /// <param name="floorFraction">Where the line ends, as a fraction of the peak, in [0, 1].</param>
    public WarmupLinearSchedule(double peak, int totalSteps, int warmupSteps, double floorFraction = 0)
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
        return Peak * (FloorFraction + (1 - FloorFraction) * (1 - Math.Min(1, progress)));
    }
}
