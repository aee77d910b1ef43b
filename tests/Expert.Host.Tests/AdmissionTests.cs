using Expert.Host.Batching;
using Expert.Host.Options;
using Expert.Host.Tests.TestDoubles;
using Expert.VqVae.Inference;
using Expert.VqVae.Rendering;
using Microsoft.Extensions.Options;

namespace Expert.Host.Tests;

/// <summary>Issue 12: the cost model, the running estimate and the admission decisions, on a fake clock.</summary>
public sealed class AdmissionTests
{
    private static readonly DateTime NoDeadline = DateTime.MaxValue;

    private static AdmissionController Controller(FakeClock clock, ICostEstimator estimator, Action<BatchingOptions>? batching = null,
        Action<RenderingOptions>? rendering = null)
    {
        var b = new BatchingOptions();
        var r = new RenderingOptions();
        batching?.Invoke(b);
        rendering?.Invoke(r);
        return new AdmissionController(estimator, clock, Microsoft.Extensions.Options.Options.Create(b), Microsoft.Extensions.Options.Options.Create(r));
    }

    private static RequestCost Units(long units) => new(units, 0, 0);

    [Fact]
    public void The_cost_of_a_heavy_request_counts_samples_steps_views_pixels_and_the_build_order()
    {
        var render = new RenderOptions { Width = 1024, Height = 1024, Supersample = 2 };
        RequestCost heavy = RequestCost.ForGeneration(new SamplingOptions { Samples = 8 }, views: 6, render, renderAllSamples: false, buildOrder: true);
        RequestCost all = RequestCost.ForGeneration(new SamplingOptions { Samples = 8, DecodeSteps = 4 }, views: 6, render, renderAllSamples: true, buildOrder: false);
        RequestCost skipped = RequestCost.ForGeneration(new SamplingOptions(), views: 0, render, renderAllSamples: false, buildOrder: false);

        Assert.Equal(new RequestCost(8 * RequestCost.DefaultDecodeSteps, 6L * (2048 * 2048 + 32 * 32 * 32), 1), heavy);
        Assert.Equal(new RequestCost(32, 8 * 6L * (2048 * 2048 + 32 * 32 * 32), 0), all);
        Assert.Equal(new RequestCost(RequestCost.DefaultDecodeSteps, 0, 0), skipped);
        Assert.Equal(3L * (256 * 256 * 4 + 1000), RequestCost.ForRender(3, new RenderOptions(), gridVolume: 1000).RenderUnits);
    }

    [Fact]
    public void A_render_call_is_priced_from_its_wire_fields_before_its_grid_is_unpacked()
    {
        var options = new RenderingOptions(); // 4 default views, 256 px, supersample 2, sizes 32..1024

        RequestCost big = RequestCost.ForRenderRequest(256, 256, 256, views: 0, renderSize: 0, options);
        RequestCost clamped = RequestCost.ForRenderRequest(100_000, 1, 1, views: 2, renderSize: 5000, options);

        Assert.Equal(4 * (256L * 256 * 4 + 256L * 256 * 256), big.RenderUnits);
        Assert.Equal(2 * (1024L * 1024 * 4 + 256), clamped.RenderUnits);
        Assert.Equal((0L, 0), (big.GenerationUnits, big.BuildOrders));
    }

    [Fact]
    public void The_estimate_starts_at_its_seed_and_moves_towards_what_is_measured()
    {
        var estimator = new CostEstimator(secondsPerUnit: 0.01, secondsPerPixel: 1e-8, secondsPerBuildOrder: 0.02, smoothing: 0.5);
        Assert.Equal(0.64, estimator.ModelSeconds(64), 9);

        estimator.ObserveModel(units: 100, TimeSpan.FromSeconds(3)); // 0.03 s a unit measured
        Assert.Equal(0.02, estimator.SecondsPerGenerationUnit, 9);
        estimator.ObserveModel(units: 100, TimeSpan.FromSeconds(3));
        Assert.Equal(0.025, estimator.SecondsPerGenerationUnit, 9);

        estimator.ObserveRender(pixels: 1_000_000, TimeSpan.FromSeconds(0.03));
        estimator.ObserveBuildOrder(TimeSpan.FromSeconds(0.04));
        Assert.Equal(0.5 * (1e-8 + 3e-8) * 2e6 + 0.03, estimator.CpuSeconds(new RequestCost(0, 2_000_000, 1)), 9);
    }

    [Fact]
    public void A_request_that_cannot_finish_before_its_deadline_is_refused_with_a_retry_delay_and_takes_nothing()
    {
        var clock = new FakeClock();
        AdmissionController admission = Controller(clock, new FixedCostEstimator(secondsPerUnit: 0.1), b => b.MaxQueuedWorkSeconds = 20);
        DateTime now = clock.GetUtcNow().UtcDateTime;
        using var first = admission.Admit(Units(30), now.AddSeconds(5)); // 3 s: fits in 5 s

        QueueFullException e = Assert.Throws<QueueFullException>(() => admission.Admit(Units(30), now.AddSeconds(5))); // 3 + 3 > 5

        Assert.Equal("DEADLINE_UNREACHABLE", e.Reason);
        Assert.Equal(TimeSpan.FromSeconds(1), e.RetryAfter); // the work ahead must shrink by 1 s
        Assert.Equal(3.0, admission.SecondsAhead, 9);
        Assert.Equal(1, admission.Outstanding);
        using var patient = admission.Admit(Units(30), now.AddSeconds(6.5)); // a longer deadline fits
        using var noDeadline = admission.Admit(Units(30), NoDeadline); // no deadline: the budget alone decides
        Assert.Equal(9.0, admission.SecondsAhead, 9);
    }

    [Fact]
    public void The_deadline_is_read_on_the_clock()
    {
        var clock = new FakeClock();
        AdmissionController admission = Controller(clock, new FixedCostEstimator(secondsPerUnit: 0.1));
        DateTime deadline = clock.GetUtcNow().UtcDateTime.AddSeconds(2);
        clock.Advance(TimeSpan.FromSeconds(1.5)); // 0.5 s left; 1 s of work

        Assert.Equal("DEADLINE_UNREACHABLE", Assert.Throws<QueueFullException>(() => admission.Admit(Units(10), deadline)).Reason);
    }

    [Fact]
    public void Work_past_the_budget_is_refused_but_a_request_with_nothing_ahead_is_always_admitted()
    {
        var clock = new FakeClock();
        AdmissionController admission = Controller(clock, new FixedCostEstimator(secondsPerUnit: 1), b => b.MaxQueuedWorkSeconds = 10);

        using var huge = admission.Admit(Units(50), NoDeadline); // 50 s alone: admitted, nothing ahead
        QueueFullException e = Assert.Throws<QueueFullException>(() => admission.Admit(Units(1), NoDeadline));
        Assert.Equal("WORK_BUDGET", e.Reason);
        Assert.Equal(10, e.Limit);
        Assert.True(e.RetryAfter > TimeSpan.Zero);

        huge.ModelDone();
        Assert.Equal(0, admission.SecondsAhead, 9);
        using var next = admission.Admit(Units(5), NoDeadline);
    }

    [Fact]
    public void Renders_past_the_pixel_budget_are_refused_and_drawn_pixels_leave_it()
    {
        var clock = new FakeClock();
        AdmissionController admission = Controller(clock, new FixedCostEstimator(0), rendering: r => r.MaxRenderMegapixels = 10);

        using var first = admission.Admit(new RequestCost(0, 8_000_000, 0), NoDeadline, "render");
        QueueFullException e = Assert.Throws<QueueFullException>(() => admission.Admit(new RequestCost(0, 4_000_000, 0), NoDeadline, "render"));
        Assert.Equal(("RENDER_PIXEL_BUDGET", "render"), (e.Reason, e.Queue));

        first.RenderDone(4_000_000);
        Assert.Equal(4_000_000, admission.RenderUnitsAhead);
        using var second = admission.Admit(new RequestCost(0, 4_000_000, 0), NoDeadline, "render");
    }

    [Fact]
    public void Every_lease_gives_its_whole_share_back_when_disposed_and_the_host_counts_as_idle_from_then()
    {
        var clock = new FakeClock();
        AdmissionController admission = Controller(clock, new FixedCostEstimator(0.1, secondsPerPixel: 1e-6, secondsPerBuildOrder: 0.5));
        var lease = admission.Admit(new RequestCost(10, 1_000_000, 1), NoDeadline);
        Assert.Equal(1 + (1 + 0.5) / 2, admission.SecondsAhead, 9); // CPU work spreads over Rendering:MaxConcurrent (2)
        Assert.Equal(TimeSpan.Zero, admission.IdleFor);

        lease.ModelDone();
        lease.Dispose();
        lease.Dispose();
        clock.Advance(TimeSpan.FromSeconds(3));

        Assert.Equal((0.0, 0L, 0), (admission.SecondsAhead, admission.RenderUnitsAhead, admission.Outstanding));
        Assert.Equal(TimeSpan.FromSeconds(3), admission.IdleFor);
    }

    [Fact]
    public void With_cost_admission_off_nothing_is_refused_by_cost()
    {
        var clock = new FakeClock();
        AdmissionController admission = Controller(clock, new FixedCostEstimator(1), b => { b.CostAdmission = false; b.MaxQueuedWorkSeconds = 1; });
        DateTime soon = clock.GetUtcNow().UtcDateTime.AddSeconds(1);

        using var a = admission.Admit(Units(100), soon);
        using var b = admission.Admit(Units(100), soon);
        Assert.Equal(200, admission.SecondsAhead, 9);
    }
}
