using TorchSharp;

namespace Expert.VqVae.MlCore.Training;

/// <summary>Setting an optimiser's rate from a schedule, and the checks the schedules share.</summary>
public static class LearningRates
{
    /// <summary>Sets <paramref name="rate"/> on every parameter group of <paramref name="optimizer"/>.</summary>
    public static void SetLearningRate(this torch.optim.Optimizer optimizer, double rate)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        foreach (var group in optimizer.ParamGroups) group.LearningRate = rate;
    }

    /// <summary>Sets the rate of <paramref name="step"/> on <paramref name="optimizer"/>; returns it (to log as <c>lr</c>).</summary>
    public static double ApplyTo(this ILearningRateSchedule schedule, torch.optim.Optimizer optimizer, int step)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        double rate = schedule.RateAt(step);
        optimizer.SetLearningRate(rate);
        return rate;
    }

    internal static void RequirePositive(double value, string name)
    {
        if (!(double.IsFinite(value) && value > 0))
            throw new ArgumentOutOfRangeException(name, value, "A learning rate must be positive and finite.");
    }

    internal static void RequireFraction(double value, string name)
    {
        if (!(value is >= 0 and <= 1))
            throw new ArgumentOutOfRangeException(name, value, "A floor fraction must be in [0, 1].");
    }
}
