namespace Expert.Host.Tests.TestDoubles;

/// <summary>
/// TEST DOUBLE of the clock: wall-clock time (<see cref="GetUtcNow"/>) and the timestamp both move
/// only when the test says so. Timers are the system's (nothing here uses them on the fake time).
/// </summary>
internal sealed class FakeClock : TimeProvider
{
    private DateTimeOffset _now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);
    private long _ticks = 1_000_000;

    public override DateTimeOffset GetUtcNow() => _now;

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public void Advance(TimeSpan by)
    {
        _now += by;
        Interlocked.Add(ref _ticks, by.Ticks);
    }
}

/// <summary>TEST DOUBLE of the cost estimator: fixed seconds per unit, and a record of what it was told.</summary>
internal sealed class FixedCostEstimator(double secondsPerUnit, double secondsPerPixel = 0, double secondsPerBuildOrder = 0)
    : Expert.Host.Batching.ICostEstimator
{
    public int ModelObservations;

    public double ModelSeconds(long units) => units * secondsPerUnit;

    public double CpuSeconds(Expert.Host.Batching.RequestCost cost) => cost.RenderUnits * secondsPerPixel + cost.BuildOrders * secondsPerBuildOrder;

    public void ObserveModel(long units, TimeSpan elapsed) => Interlocked.Increment(ref ModelObservations);

    public void ObserveRender(long pixels, TimeSpan elapsed) { }

    public void ObserveBuildOrder(TimeSpan elapsed) { }
}
