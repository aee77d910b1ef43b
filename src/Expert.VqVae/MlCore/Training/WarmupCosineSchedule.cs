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
public sealed class WarmupCosineSchedule(double peak, int totalSteps, int warmupSteps, double floorFraction = WarmupCosineSchedule.DefaultFloorFraction)
    : WarmupDecaySchedule(peak, totalSteps, warmupSteps, floorFraction)
{
    /// <summary>The floor of the imagination model's runs: 5% of the peak.</summary>
    public const double DefaultFloorFraction = 0.05;

    protected override double RateAfterWarmup(double progress) =>
        Peak * (FloorFraction + (1 - FloorFraction) * 0.5 * (1 + Math.Cos(Math.PI * Math.Min(1, progress))));
}
