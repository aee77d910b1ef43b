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
public sealed class WarmupLinearSchedule(double peak, int totalSteps, int warmupSteps, double floorFraction = 0)
    : WarmupDecaySchedule(peak, totalSteps, warmupSteps, floorFraction)
{
    protected override double RateAfterWarmup(double progress) =>
        Peak * (FloorFraction + (1 - FloorFraction) * (1 - Math.Min(1, progress)));
}
