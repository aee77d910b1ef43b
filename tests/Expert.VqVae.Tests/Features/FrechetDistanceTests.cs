using Expert.VqVae.Features;
using MathNet.Numerics.LinearAlgebra;

namespace Expert.VqVae.Tests.Features;

/// <summary>The maths of the Fréchet distance, against closed forms.</summary>
public sealed class FrechetDistanceTests
{
    private static GaussianStatistics Gaussian(double[] mean, double[,] covariance) =>
        new(Vector<double>.Build.DenseOfArray(mean), Matrix<double>.Build.DenseOfArray(covariance), 100);

    private static IReadOnlyList<IReadOnlyList<double>> RandomSet(int n, int d, int seed, double shift = 0)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (IReadOnlyList<double>)Enumerable.Range(0, d).Select(j => random.NextDouble() * (j + 1) + shift).ToArray()).ToList();
    }

    [Fact]
    public void Identical_sets_are_at_distance_zero_even_with_a_singular_covariance()
    {
        var set = RandomSet(30, 64, seed: 1);   // fewer samples than dimensions: rank 29 of 64
        Assert.Equal(0, FrechetDistance.Between(set, set), 8);
        var constant = Enumerable.Repeat((IReadOnlyList<double>)new double[] { 1, 2, 3 }, 5).ToList();
        Assert.Equal(0, FrechetDistance.Between(constant, constant), 12);
    }

    [Fact]
    public void A_shifted_set_is_at_the_squared_shift()
    {
        var a = RandomSet(50, 8, seed: 2);
        var b = a.Select(v => (IReadOnlyList<double>)v.Select((x, j) => x + (j == 3 ? 2.0 : 0.5)).ToArray()).ToList();
        // Same covariance, means apart by (0.5, 0.5, 0.5, 2, 0.5, 0.5, 0.5, 0.5): 7 * 0.25 + 4.
        Assert.Equal(7 * 0.25 + 4, FrechetDistance.Between(a, b), 8);
        // Point sets (zero covariance) too.
        IReadOnlyList<IReadOnlyList<double>> p = [new double[] { 0, 0 }], q = [new double[] { 3, 4 }];
        Assert.Equal(25, FrechetDistance.Between(p, q), 12);
    }

    [Fact]
    public void Known_two_dimensional_covariances()
    {
        // Diagonal: tr(Σ1 + Σ2) − 2 tr((Σ1Σ2)^½) = (1 + 4) + (4 + 1) − 2 (2 + 2) = 2.
        Assert.Equal(2, FrechetDistance.Between(Gaussian([0, 0], new double[,] { { 1, 0 }, { 0, 4 } }), Gaussian([0, 0], new double[,] { { 4, 0 }, { 0, 1 } })), 10);
        // Against the identity: eigenvalues of [[2,1],[1,2]] are 3 and 1, so d² = 4 + 2 − 2(√3 + 1).
        Assert.Equal(4 + 2 - 2 * (Math.Sqrt(3) + 1),
            FrechetDistance.Between(Gaussian([0, 0], new double[,] { { 2, 1 }, { 1, 2 } }), Gaussian([0, 0], new double[,] { { 1, 0 }, { 0, 1 } })), 10);
        // Matrices that do not commute, with a mean shift: in 2-D, tr(√M) = √(tr M + 2√det M) for M similar to a PSD
        // matrix, so tr((Σ1Σ2)^½) = √(tr(Σ1Σ2) + 2√(det Σ1 det Σ2)) = √(10 + 2√12).
        double expected = 1 + 1 + (2 + 2) + (1 + 4) - 2 * Math.Sqrt(10 + 2 * Math.Sqrt(12));
        var a = Gaussian([1, 0], new double[,] { { 2, 1 }, { 1, 2 } });
        var b = Gaussian([0, 1], new double[,] { { 1, 0 }, { 0, 4 } });
        Assert.Equal(expected, FrechetDistance.Between(a, b), 10);
        Assert.Equal(expected, FrechetDistance.Between(b, a), 10);                 // symmetric
        Assert.Equal(expected, new FrechetReference(b).DistanceTo(a), 10);         // the precomputed form agrees
    }

    [Fact]
    public void Sample_statistics_are_the_mean_and_unbiased_covariance()
    {
        IReadOnlyList<IReadOnlyList<double>> set = [new double[] { 0, 0 }, new double[] { 2, 0 }, new double[] { 0, 2 }, new double[] { 2, 2 }];
        GaussianStatistics s = GaussianStatistics.Of(set);
        Assert.Equal([1.0, 1.0], s.Mean.ToArray());
        Assert.Equal(4.0 / 3, s.Covariance[0, 0], 12);
        Assert.Equal(0, s.Covariance[0, 1], 12);
        Assert.Throws<ArgumentException>(() => GaussianStatistics.Of([]));
        Assert.Throws<ArgumentException>(() => FrechetDistance.Between(set, [new double[] { 1, 2, 3 }]));
    }

    [Fact]
    public void A_farther_set_is_farther()
    {
        var target = RandomSet(60, 16, seed: 3);
        var near = RandomSet(60, 16, seed: 4, shift: 0.1);
        var far = RandomSet(60, 16, seed: 5, shift: 1.0);
        Assert.True(FrechetDistance.Between(target, near) < FrechetDistance.Between(target, far));
    }
}
