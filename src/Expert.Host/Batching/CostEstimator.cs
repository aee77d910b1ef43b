using Expert.Host.Options;
using Microsoft.Extensions.Options;

namespace Expert.Host.Batching;

/// <summary>Turns <see cref="RequestCost"/> units into seconds; learns from what the host measures.</summary>
internal interface ICostEstimator
{
    /// <summary>Estimated seconds of model time for <paramref name="units"/> generation units.</summary>
    double ModelSeconds(long units);

    /// <summary>Estimated seconds of CPU work beside the model (renders, build order), as one job would take.</summary>
    double CpuSeconds(RequestCost cost);

    /// <summary>A model call of <paramref name="units"/> generation units took <paramref name="elapsed"/>.</summary>
    void ObserveModel(long units, TimeSpan elapsed);

    /// <summary>A render of <paramref name="pixels"/> render units (pixels drawn + grid cells) took <paramref name="elapsed"/>.</summary>
    void ObserveRender(long pixels, TimeSpan elapsed);

    /// <summary>One build order took <paramref name="elapsed"/>.</summary>
    void ObserveBuildOrder(TimeSpan elapsed);
}

/// <summary>
/// Seconds per unit as exponentially weighted moving averages of observed times, seeded by the
/// configured defaults (<see cref="BatchingOptions.SecondsPerGenerationUnit"/>,
/// <see cref="RenderingOptions.SecondsPerMegapixel"/>, <see cref="RenderingOptions.SecondsPerBuildOrder"/>).
/// Observations are wall times measured under the load of the moment, so the estimate follows the
/// machine's real throughput (contention and batching included). Each weighs
/// <see cref="BatchingOptions.EstimateSmoothing"/>; a single outlier moves it by at most that share.
/// </summary>
internal sealed class CostEstimator : ICostEstimator
{
    private readonly Lock _lock = new();
    private readonly double _alpha;
    private double _perUnit;
    private double _perPixel;
    private double _perBuildOrder;

    public CostEstimator(IOptions<BatchingOptions> batching, IOptions<RenderingOptions> rendering)
        : this(batching.Value.SecondsPerGenerationUnit, rendering.Value.SecondsPerMegapixel / 1e6,
            rendering.Value.SecondsPerBuildOrder, batching.Value.EstimateSmoothing)
    {
    }

    public CostEstimator(double secondsPerUnit, double secondsPerPixel, double secondsPerBuildOrder, double smoothing)
    {
        _perUnit = secondsPerUnit;
        _perPixel = secondsPerPixel;
        _perBuildOrder = secondsPerBuildOrder;
        _alpha = smoothing;
    }

    public double SecondsPerGenerationUnit { get { lock (_lock) return _perUnit; } }

    public double SecondsPerPixel { get { lock (_lock) return _perPixel; } }

    public double SecondsPerBuildOrder { get { lock (_lock) return _perBuildOrder; } }

    public double ModelSeconds(long units)
    {
        lock (_lock) return units * _perUnit;
    }

    public double CpuSeconds(RequestCost cost)
    {
        lock (_lock) return cost.RenderUnits * _perPixel + cost.BuildOrders * _perBuildOrder;
    }

    public void ObserveModel(long units, TimeSpan elapsed)
    {
        if (units <= 0) return;
        lock (_lock) _perUnit = Blend(_perUnit, elapsed.TotalSeconds / units);
    }

    public void ObserveRender(long pixels, TimeSpan elapsed)
    {
        if (pixels <= 0) return;
        lock (_lock) _perPixel = Blend(_perPixel, elapsed.TotalSeconds / pixels);
    }

    public void ObserveBuildOrder(TimeSpan elapsed)
    {
        lock (_lock) _perBuildOrder = Blend(_perBuildOrder, elapsed.TotalSeconds);
    }

    private double Blend(double estimate, double observed) => estimate + _alpha * (observed - estimate);
}
