namespace Expert.VqVae.MlCore.Training;

/// <summary>
/// A learning-rate schedule: the rate of each optimiser step. Steps count from 1 (the first update)
/// to the run's total; a resumed run asks for the steps it has left, so a schedule is a pure
/// function of the step and nothing else. Set it before each step with
/// <see cref="LearningRates.SetLearningRate"/> (or <see cref="LearningRates.ApplyTo"/>).
/// Implementations: <see cref="ConstantSchedule"/>, <see cref="WarmupCosineSchedule"/>,
/// <see cref="WarmupLinearSchedule"/> (both <see cref="WarmupDecaySchedule"/>s).
/// </summary>
public interface ILearningRateSchedule
{
    /// <summary>The rate of step <paramref name="step"/> (1-based; 0 is before the first update).</summary>
    double RateAt(int step);
}
