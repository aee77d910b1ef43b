namespace Expert.VqVae.MlCore.Training;

/// <summary>
/// What the warm-up-then-decay schedules share: a linear warm-up from 0 to the peak over W steps
/// (<c>peak * step / max(1, W)</c>, so step W is at the peak), then a decay that a subclass
/// defines over the progress <c>(step - W) / max(1, T - W)</c> (0 at the end of the warm-up, 1 at
/// the last step T, above 1 past it), ending at a floor fraction f of the peak.
/// </summary>
public abstract class WarmupDecaySchedule : ILearningRateSchedule
{
    /// <param name="peak">The rate at the end of the warm-up (positive, finite).</param>
    /// <param name="totalSteps">The run's last step T (0 or more).</param>
    /// <param name="warmupSteps">Steps W of linear warm-up from 0 (0 or more).</param>
    /// <param name="floorFraction">Where the decay ends, as a fraction f of the peak, in [0, 1].</param>
    protected WarmupDecaySchedule(double peak, int totalSteps, int warmupSteps, double floorFraction)
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
        return RateAfterWarmup((step - WarmupSteps) / (double)Math.Max(1, TotalSteps - WarmupSteps));
    }

    /// <summary>The rate at <paramref name="progress"/> through the decay (0 .. 1, and above 1 past the last step).</summary>
    protected abstract double RateAfterWarmup(double progress);
}
