using MathNet.Numerics.LinearAlgebra;

namespace Expert.VqVae.Features;

/// <summary>Mean and covariance of a set of feature vectors (the Gaussian the Fréchet distance compares).</summary>
/// <param name="Covariance">The unbiased sample covariance (divides by n - 1; zero for one sample).</param>
public sealed record GaussianStatistics(Vector<double> Mean, Matrix<double> Covariance, int Count)
{
    /// <summary>Mean and covariance of the rows of <paramref name="features"/> (n vectors of one size, n >= 1).</summary>
    public static GaussianStatistics Of(IReadOnlyList<IReadOnlyList<double>> features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.Count == 0) throw new ArgumentException("The Fréchet distance needs at least one feature vector a set.", nameof(features));
        int d = features[0].Count;
        if (d == 0 || features.Any(f => f.Count != d)) throw new ArgumentException("Every feature vector must have the same, non-zero size.", nameof(features));
        Matrix<double> x = Matrix<double>.Build.Dense(features.Count, d, (i, j) => features[i][j]);
        Vector<double> mean = x.ColumnSums() / features.Count;
        Matrix<double> centred = x - Matrix<double>.Build.Dense(features.Count, d, (_, j) => mean[j]);
        Matrix<double> covariance = features.Count < 2
            ? Matrix<double>.Build.Dense(d, d)
            : centred.TransposeThisAndMultiply(centred) / (features.Count - 1);
        return new GaussianStatistics(mean, covariance, features.Count);
    }
}

/// <summary>
/// The Fréchet distance between two Gaussians N(μ₁, Σ₁) and N(μ₂, Σ₂), as in FID (Heusel et al., 2017):
/// <code>
/// d² = |μ₁ − μ₂|² + tr(Σ₁) + tr(Σ₂) − 2 tr((Σ₁ Σ₂)^½)
/// </code>
/// The trace of the square root is computed without the (non-symmetric) product: with S = Σ₁^½ the
/// symmetric square root of Σ₁, Σ₁Σ₂ = S (S Σ₂ S) S⁻¹ is similar to the symmetric positive semi-definite
/// M = S Σ₂ S, so tr((Σ₁Σ₂)^½) = Σᵢ √λᵢ(M). Both square roots come from symmetric eigen decompositions
/// (MathNet.Numerics); eigenvalues that rounding makes slightly negative are clamped to 0, so singular
/// covariances (fewer samples than dimensions, identical samples) need no ε and the result is never NaN.
/// The distance returned is d² (what FID reports), clamped at 0.
/// </summary>
public static class FrechetDistance
{
    public static double Between(IReadOnlyList<IReadOnlyList<double>> a, IReadOnlyList<IReadOnlyList<double>> b) =>
        Between(GaussianStatistics.Of(a), GaussianStatistics.Of(b));

    public static double Between(GaussianStatistics a, GaussianStatistics b) => new FrechetReference(a).DistanceTo(b);

    /// <summary>The symmetric positive semi-definite square root of a symmetric matrix (negative eigenvalues clamped to 0).</summary>
    public static Matrix<double> SymmetricSqrt(Matrix<double> symmetric)
    {
        Matrix<double> sym = Symmetrize(symmetric);
        var evd = sym.Evd(Symmetricity.Symmetric);
        Vector<double> roots = evd.EigenValues.Map(l => Math.Sqrt(Math.Max(0, l.Real)));
        Matrix<double> v = evd.EigenVectors;
        return v * Matrix<double>.Build.DiagonalOfDiagonalVector(roots) * v.Transpose();
    }

    internal static IEnumerable<double> SymmetricEigenvalues(Matrix<double> symmetric) =>
        Symmetrize(symmetric).Evd(Symmetricity.Symmetric).EigenValues.Select(l => l.Real);

    // Rounding leaves products like S Σ S asymmetric in the last bits; the symmetric solver reads one triangle.
    private static Matrix<double> Symmetrize(Matrix<double> m) => (m + m.Transpose()) / 2;
}

/// <summary>
/// One side of <see cref="FrechetDistance"/> with its covariance's square root computed once: the
/// reference (the targets' features) that several sets (each agent's builds, each bootstrap resample)
/// are compared with.
/// </summary>
public sealed class FrechetReference
{
    private readonly Matrix<double> _sqrtCovariance;
    private readonly double _trace;

    public FrechetReference(GaussianStatistics statistics)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        Statistics = statistics;
        _sqrtCovariance = FrechetDistance.SymmetricSqrt(statistics.Covariance);
        _trace = statistics.Covariance.Trace();
    }

    public GaussianStatistics Statistics { get; }

    /// <summary>d² between the reference and <paramref name="other"/> (see <see cref="FrechetDistance"/>).</summary>
    public double DistanceTo(GaussianStatistics other)
    {
        var (meanTerm, covarianceTerm) = Terms(other);
        return Math.Max(0, meanTerm + covarianceTerm);
    }

    /// <summary>
    /// The two parts of d²: the mean term |μ₁ − μ₂|² (the sets are centred apart) and the covariance term
    /// tr(Σ₁) + tr(Σ₂) − 2 tr((Σ₁Σ₂)^½) (they spread differently: more, less, or along other directions).
    /// </summary>
    public (double MeanTerm, double CovarianceTerm) Terms(GaussianStatistics other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Vector<double> mu = Statistics.Mean;
        if (mu.Count != other.Mean.Count) throw new ArgumentException($"Features of size {mu.Count} and {other.Mean.Count} cannot be compared.");
        Vector<double> shift = mu - other.Mean;
        Matrix<double> m = _sqrtCovariance * other.Covariance * _sqrtCovariance;
        double traceSqrt = FrechetDistance.SymmetricEigenvalues(m).Sum(l => Math.Sqrt(Math.Max(0, l)));
        return (shift.DotProduct(shift), _trace + other.Covariance.Trace() - 2 * traceSqrt);
    }
}
