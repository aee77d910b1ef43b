using Steve2.Pipeline.Evaluation.Statistics;

namespace Steve2.Pipeline.Tests.Evaluation;

/// <summary>The maths of the report's 95% intervals, against values computed by hand from the formulas.</summary>
public sealed class StatisticsTests
{
    // Wilson, z = 1.96, n = 20: z² = 3.8416, 1 + z²/n = 1.19208.
    //  0/20: centre = (0 + 0.09604) / 1.19208 = 0.080565; half = 1.96 / 1.19208 · √(0 + 3.8416/1600) = 0.080565 → [0, 0.161]
    // 10/20: centre = 0.5; half = 1.644185 · √(0.0125 + 0.002401) = 0.200706 → [0.299, 0.701]
    // 20/20: the mirror of 0/20 → [0.839, 1]
    // 13/20: centre = (0.65 + 0.09604) / 1.19208 = 0.625832; half = 1.644185 · √(0.011375 + 0.002401) = 0.192982 → [0.433, 0.819]
    [Theory]
    [InlineData(0, 20, 0.000, 0.161)]
    [InlineData(10, 20, 0.299, 0.701)]
    [InlineData(20, 20, 0.839, 1.000)]
    [InlineData(13, 20, 0.433, 0.819)]
    public void Wilson_intervals_match_the_formula(int successes, int trials, double low, double high)
    {
        Interval ci = WilsonInterval.Of(successes, trials);
        Assert.Equal(low, ci.Low, 3);
        Assert.Equal(high, ci.High, 3);
    }

    [Fact]
    public void Wilson_has_no_interval_without_trials_and_refuses_impossible_counts()
    {
        Assert.False(WilsonInterval.Of(0, 0).IsDefined);
        Assert.Throws<ArgumentOutOfRangeException>(() => WilsonInterval.Of(3, 2));
    }

    // Newcombe (1998), Statistics in Medicine 17:873-890, Table II, method 10 (hybrid score):
    // 56/70 − 48/80 = 0.2000 [0.0524, 0.3339]; 9/10 − 3/10 = 0.6000 [0.1705, 0.8090].
    [Theory]
    [InlineData(56, 70, 48, 80, 0.0524, 0.3339)]
    [InlineData(9, 10, 3, 10, 0.1705, 0.8090)]
    public void Newcombe_intervals_match_the_published_examples(int k1, int n1, int k2, int n2, double low, double high)
    {
        Interval ci = NewcombeInterval.Difference(k1, n1, k2, n2);
        Assert.Equal(low, ci.Low, 4);
        Assert.Equal(high, ci.High, 4);
        Assert.True(ci.ExcludesZero);
    }

    [Fact]
    public void Equal_rates_are_not_significantly_different_and_opposite_ones_are()
    {
        Interval same = NewcombeInterval.Difference(10, 20, 10, 20);
        Assert.Equal(-same.High, same.Low, 12);          // symmetric around 0
        Assert.Equal(0.284, same.High, 3);               // 20 seeds: about ±0.28 on a difference of rates at 0.5
        Assert.False(same.ExcludesZero);
        Assert.True(NewcombeInterval.Difference(20, 20, 0, 20).ExcludesZero);
        Assert.False(NewcombeInterval.Difference(13, 20, 10, 20).ExcludesZero); // 0.65 vs 0.50 with 20 seeds: not significant
    }

    private static double[] Pattern(int n) => Enumerable.Range(0, n).Select(i => (double)(i * 37 % 11)).ToArray();

    [Fact]
    public void Bootstrap_interval_contains_the_mean_and_has_the_normal_width_for_many_values()
    {
        double[] values = Enumerable.Range(0, 100).Select(i => (double)i).ToArray();
        Interval ci = Bootstrap.MeanInterval(values, seed: 7);
        Assert.True(ci.Contains(values.Average()));
        // the normal approximation: 2 · 1.96 · σ/√n with σ = √((n² − 1)/12) = 28.87 (population) → 11.32
        double expected = 2 * 1.96 * Math.Sqrt((100.0 * 100 - 1) / 12) / Math.Sqrt(100);
        Assert.InRange(ci.High - ci.Low, expected * 0.85, expected * 1.15);
    }

    [Fact]
    public void Bootstrap_interval_shrinks_with_more_values()
    {
        Interval few = Bootstrap.MeanInterval(Pattern(11), seed: 1);
        Interval many = Bootstrap.MeanInterval(Pattern(11 * 20), seed: 1);   // same spread, 20 times the values: √20 ≈ 4.5 times narrower
        Assert.True(few.Contains(5) && many.Contains(5));
        Assert.InRange(many.High - many.Low, 0, (few.High - few.Low) / 3);
    }

    [Fact]
    public void Bootstrap_interval_of_constant_data_or_one_value_is_a_point()
    {
        Assert.Equal(new Interval(0.1, 0.1), Bootstrap.MeanInterval(Enumerable.Repeat(0.1, 20).ToArray(), seed: 3));
        Assert.Equal(new Interval(42, 42), Bootstrap.MeanInterval([42.0], seed: 3));
        Assert.False(Bootstrap.MeanInterval([], seed: 3).IsDefined);
    }

    [Fact]
    public void Bootstrap_is_a_function_of_values_and_seed()
    {
        double[] values = Pattern(20);
        Assert.Equal(Bootstrap.MeanInterval(values, 99), Bootstrap.MeanInterval(values.ToArray(), 99));
        Assert.NotEqual(Bootstrap.MeanInterval(values, 99), Bootstrap.MeanInterval(values, 100));
        Assert.Equal(Bootstrap.DifferenceOfMeansInterval(values, Pattern(15), 5), Bootstrap.DifferenceOfMeansInterval(values, Pattern(15), 5));
    }

    [Fact]
    public void Bootstrap_difference_of_means_is_significant_only_for_a_real_difference()
    {
        double[] a = Pattern(20), shifted = a.Select(x => x + 10).ToArray();
        Interval clear = Bootstrap.DifferenceOfMeansInterval(shifted, a, seed: 11);
        Assert.True(clear.Contains(10) && clear.ExcludesZero);
        Interval same = Bootstrap.DifferenceOfMeansInterval(a, a.ToArray(), seed: 11);
        Assert.True(same.Contains(0) && !same.ExcludesZero);
        Assert.Equal(new Interval(0, 0), Bootstrap.DifferenceOfMeansInterval([2.0, 2.0], [2.0], seed: 11)); // identical constants: no difference at all
    }

    [Fact]
    public void Seeds_from_names_are_FNV_1a_and_tell_the_names_apart()
    {
        Assert.Equal(0xCBF29CE484222325UL, StableSeed.From(""));        // FNV-1a 64 test vectors (offset basis; "a")
        Assert.Equal(0xAF63DC4C8601EC8CUL, StableSeed.From("a"));
        Assert.NotEqual(StableSeed.From("teacher", "exploration", "area_revealed"), StableSeed.From("teacher", "exploration", "coverage"));
        Assert.NotEqual(StableSeed.From("ab", "c"), StableSeed.From("a", "bc"));
    }
}
