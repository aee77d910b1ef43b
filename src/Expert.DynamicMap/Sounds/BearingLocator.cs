using Expert.DynamicMap.Geometry;
using MathNet.Numerics.LinearAlgebra;

namespace Expert.DynamicMap.Sounds;

/// <summary>
/// Locates a sound from bearings heard at several poses: the point x minimising the sum of squared
/// perpendicular distances to the rays, Σ |(I - dᵢdᵢᵀ)(x - pᵢ)|², solved as A x = b with
/// A = Σ (I - dᵢdᵢᵀ), b = Σ (I - dᵢdᵢᵀ) pᵢ (MathNet.Numerics).
/// Uncertainty: covariance σ² A⁻¹ with σ² the residual variance (2n - 3 degrees of freedom), floored
/// by the assumed bearing noise times the mean range; the reported radius is twice the square root of
/// the largest eigenvalue of the horizontal (x, z) block, at least half a block.
/// </summary>
public static class BearingLocator
{
    /// <param name="minSpreadDegrees">Bearings closer to parallel than this give no fix.</param>
    /// <param name="bearingNoiseDegrees">Assumed noise of one bearing, the floor of the uncertainty.</param>
    public static BearingFix? Locate(IReadOnlyList<Bearing> bearings, double minSpreadDegrees = 3.0, double bearingNoiseDegrees = 1.0)
    {
        if (bearings.Count < 2) return null;
        var a = Matrix<double>.Build.Dense(3, 3);
        var b = Vector<double>.Build.Dense(3);
        var projections = new Matrix<double>[bearings.Count];
        for (int i = 0; i < bearings.Count; i++)
        {
            var d = bearings[i].Direction.Normalized();
            var dv = Vector<double>.Build.DenseOfArray([d.X, d.Y, d.Z]);
            var p = Matrix<double>.Build.DenseIdentity(3) - dv.OuterProduct(dv);
            projections[i] = p;
            a += p;
            b += p * Vector<double>.Build.DenseOfArray([bearings[i].Origin.X, bearings[i].Origin.Y, bearings[i].Origin.Z]);
        }

        // Degenerate geometry: some direction is (nearly) unconstrained, the bearings are (nearly) parallel.
        double minEigen = a.Evd(MathNet.Numerics.LinearAlgebra.Symmetricity.Symmetric).EigenValues.Real().Minimum();
        double threshold = 1 - Math.Cos(minSpreadDegrees * Math.PI / 180.0);
        if (minEigen < threshold) return null;

        var x = a.Solve(b);
        var fix = new Vec3(x[0], x[1], x[2]);

        double residualSquares = 0, meanRange = 0;
        int inFront = 0;
        for (int i = 0; i < bearings.Count; i++)
        {
            var origin = bearings[i].Origin;
            var offset = Vector<double>.Build.DenseOfArray([fix.X - origin.X, fix.Y - origin.Y, fix.Z - origin.Z]);
            var perpendicular = projections[i] * offset;
            residualSquares += perpendicular.DotProduct(perpendicular);
            meanRange += offset.L2Norm();
            if ((fix - origin).Dot(bearings[i].Direction) > 0) inFront++;
        }
        meanRange /= bearings.Count;
        // A point behind most listeners is no source: the rays diverge.
        if (inFront * 2 <= bearings.Count) return null;

        int dof = Math.Max(1, 2 * bearings.Count - 3);
        double sigmaSquared = residualSquares / dof;
        double floor = meanRange * Math.Sin(bearingNoiseDegrees * Math.PI / 180.0);
        sigmaSquared = Math.Max(sigmaSquared, floor * floor);
        var covariance = a.Inverse() * sigmaSquared;
        double cxx = covariance[0, 0], czz = covariance[2, 2], cxz = covariance[0, 2];
        double largest = (cxx + czz) / 2 + Math.Sqrt((cxx - czz) * (cxx - czz) / 4 + cxz * cxz);
        double uncertainty = Math.Max(0.5, 2 * Math.Sqrt(Math.Max(0, largest)));
        return new BearingFix(fix, uncertainty, Math.Sqrt(residualSquares / bearings.Count), bearings.Count);
    }

    /// <summary>Perpendicular distance from a point to a ray, or null when the point is behind the ray's origin.</summary>
    public static double? DistanceToRay(Vec3 point, Vec3 origin, Vec3 direction)
    {
        var d = direction.Normalized();
        var offset = point - origin;
        double along = offset.Dot(d);
        if (along < 0) return null;
        return (offset - d * along).Length;
    }
}
