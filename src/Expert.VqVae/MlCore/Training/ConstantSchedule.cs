namespace Expert.VqVae.MlCore.Training;

/// <summary>The same rate at every step.</summary>
public sealed class ConstantSchedule : ILearningRateSchedule
{
    /// <param name="rate">The rate (positive, finite).</param>
    public ConstantSchedule(double rate)
    {
        LearningRates.RequirePositive(rate, nameof(rate));
        Rate = rate;
    }

    public double Rate { get; }

    public double RateAt(int step) => Rate;
}
