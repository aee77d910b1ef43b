using Expert.VqVae.MlCore.Training;

namespace Expert.VqVae.Tests.MlCore;

public class LearningRateScheduleTests
{
    private const double Tolerance = 1e-12;

    [Fact]
    public void Constant_is_the_same_at_every_step()
    {
        var s = new ConstantSchedule(3e-4);
        Assert.All(new[] { 0, 1, 50, 10_000 }, step => Assert.Equal(3e-4, s.RateAt(step)));
    }

    [Fact]
    public void Warmup_cosine_rises_linearly_then_falls_by_half_a_cosine_to_its_floor()
    {
        var s = new WarmupCosineSchedule(peak: 1e-3, totalSteps: 1050, warmupSteps: 50);
        Assert.Equal(0, s.RateAt(0));
        Assert.Equal(1e-3 / 50, s.RateAt(1), Tolerance);
        Assert.Equal(0.5e-3, s.RateAt(25), Tolerance);
        Assert.Equal(1e-3, s.RateAt(50), Tolerance);
        // Half-way through the decay the cosine is at 0: the mean of peak and floor.
        Assert.Equal(1e-3 * (0.05 + 0.95 * 0.5), s.RateAt(550), Tolerance);
        // A quarter of the way: cos(pi/4).
        Assert.Equal(1e-3 * (0.05 + 0.95 * 0.5 * (1 + Math.Sqrt(0.5))), s.RateAt(300), Tolerance);
        Assert.Equal(0.05e-3, s.RateAt(1050), Tolerance);
        Assert.Equal(0.05e-3, s.RateAt(5000), Tolerance);   // stays at the floor past the end
        for (int step = 51; step <= 1050; step++) Assert.True(s.RateAt(step) < s.RateAt(step - 1), $"not falling at {step}");
    }

    [Fact]
    public void Warmup_cosine_is_bit_for_bit_the_rate_the_imagination_model_was_trained_with()
    {
        // ImaginationTrainer.CosineRate as it was, for the three stages' settings (resumed runs must stay bit-identical).
        static double Legacy(double peak, int step, int total, int warmup)
        {
            if (step <= warmup) return peak * step / Math.Max(1, warmup);
            double progress = (step - warmup) / (double)Math.Max(1, total - warmup);
            return peak * (0.05 + 0.95 * 0.5 * (1 + Math.Cos(Math.PI * Math.Min(1, progress))));
        }
        foreach (var (peak, total, warmup) in new[] { (2e-3f, 4000, 50), (1e-3f, 6000, 100), (1e-3f, 300, 50), (1e-3f, 10, 0) })
        {
            var s = new WarmupCosineSchedule(peak, total, warmup);
            for (int step = 0; step <= total + 5; step++) Assert.Equal(Legacy(peak, step, total, warmup), s.RateAt(step));
        }
    }

    [Fact]
    public void Warmup_linear_rises_then_falls_in_a_straight_line_to_its_floor()
    {
        var s = new WarmupLinearSchedule(peak: 2e-5, totalSteps: 110, warmupSteps: 10);
        Assert.Equal(0, s.RateAt(0));
        Assert.Equal(1e-5, s.RateAt(5), Tolerance);
        Assert.Equal(2e-5, s.RateAt(10), Tolerance);
        Assert.Equal(1e-5, s.RateAt(60), Tolerance);
        Assert.Equal(0.5e-5, s.RateAt(85), Tolerance);
        Assert.Equal(0, s.RateAt(110), Tolerance);
        Assert.Equal(0, s.RateAt(200), Tolerance);
        var floored = new WarmupLinearSchedule(peak: 1, totalSteps: 100, warmupSteps: 0, floorFraction: 0.1);
        Assert.Equal(0, floored.RateAt(0));
        Assert.Equal(0.55, floored.RateAt(50), Tolerance);
        Assert.Equal(0.1, floored.RateAt(100), Tolerance);
    }

    [Fact]
    public void Without_warmup_the_first_step_is_already_near_the_peak()
    {
        Assert.Equal(1.0, new WarmupCosineSchedule(1, 1_000_000, 0).RateAt(1), 1e-9);
        Assert.Equal(1.0, new WarmupLinearSchedule(1, 1_000_000, 0).RateAt(1), 1e-5);
    }

    [Theory]
    [InlineData(0.0, 10, 0, 0.05)]
    [InlineData(double.NaN, 10, 0, 0.05)]
    [InlineData(-1e-3, 10, 0, 0.05)]
    [InlineData(1e-3, -1, 0, 0.05)]
    [InlineData(1e-3, 10, -1, 0.05)]
    [InlineData(1e-3, 10, 0, 1.5)]
    [InlineData(1e-3, 10, 0, -0.1)]
    public void Impossible_settings_are_refused(double peak, int total, int warmup, double floor)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new WarmupCosineSchedule(peak, total, warmup, floor));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WarmupLinearSchedule(peak, total, warmup, floor));
    }

    [Fact]
    public void A_constant_rate_must_be_positive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConstantSchedule(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConstantSchedule(double.PositiveInfinity));
    }
}
