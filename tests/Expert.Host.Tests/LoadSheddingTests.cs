using Expert.Host.Batching;
using Expert.Host.Tests.Infrastructure;
using Expert.Host.Tests.TestDoubles;
using Expert.VqVae.Inference;
using Google.Rpc;
using Grpc.Core;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Steve2.Expert.V1;

namespace Expert.Host.Tests;

/// <summary>
/// Issue 12 through the host: refusals by cost over real gRPC, no work for calls whose deadline
/// passed or that were cancelled while they waited, and each request's answer independent of its
/// batch mates' renders.
/// </summary>
public sealed class LoadSheddingTests
{
    [Fact]
    public async Task A_request_that_cannot_meet_its_deadline_gets_RESOURCE_EXHAUSTED_with_RetryInfo_over_loopback_and_no_work()
    {
        // 1 s a generation unit: one sample of 8 decoding steps is estimated at 8 s, past a 2 s deadline.
        var settings = new Dictionary<string, string?> { ["Batching:SecondsPerGenerationUnit"] = "1" };
        await using var host = await new ExpertHostFactory(settings: settings, loopback: true).ReadyAsync();
        OccupancyExpert.OccupancyExpertClient client = host.CreateExpertClient();

        var timer = System.Diagnostics.Stopwatch.StartNew();
        RpcException e = await Rpc.FailsAsync(() =>
            client.GenerateOccupancyAsync(Requests.Generate(), deadline: DateTime.UtcNow.AddSeconds(2)).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
        Google.Rpc.Status status = e.GetRpcStatus()!;
        Assert.Equal("DEADLINE_UNREACHABLE", status.GetDetail<ErrorInfo>().Reason);
        Assert.True(status.GetDetail<RetryInfo>().RetryDelay.ToTimeSpan() > TimeSpan.Zero);
        Assert.Contains("deadline", e.Status.Detail);
        Assert.Equal(0, host.Generator.Calls);
        Assert.Equal(0, host.Get<AdmissionController>().Outstanding);

        // Without a deadline the same request is admitted (by the budget alone) and served.
        GenerateOccupancyResponse served = await client.GenerateOccupancyAsync(Requests.Generate());
        Assert.Equal(1, host.Generator.Calls);
        Assert.NotNull(served.Grid);
    }

    [Fact]
    public async Task A_queued_call_whose_deadline_passes_or_that_is_cancelled_never_reaches_the_model()
    {
        var settings = new Dictionary<string, string?> { ["Batching:MaxBatch"] = "1" };
        await using var host = await new ExpertHostFactory(new FakeOccupancyGenerator(gated: true), settings).ReadyAsync();
        OccupancyExpert.OccupancyExpertClient client = host.CreateExpertClient();
        GenerationBatcher batcher = host.Get<GenerationBatcher>();

        Task<GenerateOccupancyResponse> holding = client.GenerateOccupancyAsync(Requests.Generate("holds the model")).ResponseAsync;
        await Rpc.EventuallyAsync(() => host.Generator.Inside == 1, "the first call to hold the model");
        using var cancel = new CancellationTokenSource();
        Task<GenerateOccupancyResponse> expiring = client.GenerateOccupancyAsync(Requests.Generate("expires"),
            deadline: DateTime.UtcNow.AddSeconds(2)).ResponseAsync;
        Task<GenerateOccupancyResponse> cancelled = client.GenerateOccupancyAsync(Requests.Generate("cancelled"),
            cancellationToken: cancel.Token).ResponseAsync;
        await Rpc.EventuallyAsync(() => batcher.Waiting == 2, "two calls to wait");

        cancel.Cancel();
        // DEADLINE_EXCEEDED, or CANCELLED when the server's deadline timer fires a moment before the deadline
        // (ErrorMappingInterceptor compares the deadline with the clock); either way no work is done for it.
        // When the handler is still unwinding at the deadline (a loaded machine), grpc-dotnet ends the call itself:
        // DEADLINE_EXCEEDED trailers, then an HTTP/2 RST_STREAM CANCEL (code 8). A real HTTP/2 client reads the
        // trailers; the in-memory test transport reports the reset instead, as INTERNAL "HttpResetTestException ...
        // error code 8". Either way the call ended at its deadline, and the model never ran for it (below).
        RpcException expired = await Rpc.FailsAsync(() => expiring);
        bool endedAtDeadline = expired.StatusCode is StatusCode.DeadlineExceeded or StatusCode.Cancelled
            || expired.StatusCode == StatusCode.Internal && expired.Status.Detail.Contains("reset the request with error code 8", StringComparison.Ordinal);
        Assert.True(endedAtDeadline, $"{expired.StatusCode}: {expired.Status.Detail}");
        Assert.Equal(StatusCode.Cancelled, (await Rpc.FailsAsync(() => cancelled)).StatusCode);
        await Rpc.EventuallyAsync(() => batcher.Waiting == 0, "both to leave the queue");

        host.Generator.Release(2);
        await holding;
        await client.GenerateOccupancyAsync(Requests.Generate("after"));
        Assert.Equal(["after", "holds the model"], host.Generator.Descriptions.Order());
        Assert.Equal(2, host.Generator.Calls);
    }

    [Fact]
    public async Task The_batcher_drops_a_waiting_request_whose_deadline_passed_on_its_clock_even_before_its_token_fires()
    {
        var clock = new FakeClock();
        var settings = new Dictionary<string, string?> { ["Batching:MaxBatch"] = "1" };
        await using var host = new ExpertHostFactory(new FakeOccupancyGenerator(gated: true), settings);
        using var configured = host.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(clock)));
        await configured.Services.GetRequiredService<Expert.Host.Model.ModelHolder>().WhenLoaded.WaitAsync(TimeSpan.FromSeconds(30));
        GenerationBatcher batcher = configured.Services.GetRequiredService<GenerationBatcher>();
        var request = new GenerationRequest("late", new SamplingOptions());

        GenerationTicket first = batcher.Enqueue(new GenerationRequest("first", new SamplingOptions()), CancellationToken.None);
        await Rpc.EventuallyAsync(() => host.Generator.Inside == 1, "the first request to hold the model");
        GenerationTicket late = batcher.Enqueue(request, CancellationToken.None, clock.GetUtcNow().UtcDateTime.AddSeconds(1));
        clock.Advance(TimeSpan.FromSeconds(2));
        host.Generator.Release(2);

        await first.Completion;
        RpcException e = await Assert.ThrowsAsync<RpcException>(() => late.Completion);
        Assert.Equal(StatusCode.DeadlineExceeded, e.StatusCode);
        Assert.Equal(["first"], host.Generator.Descriptions);
        Assert.Equal(0, batcher.Waiting);
    }

    [Fact]
    public async Task Each_request_of_a_batch_is_answered_when_its_own_work_is_done()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Batching:MaxBatch"] = "2",
            ["Batching:BatchWindowMs"] = "1000",
            ["Rendering:MaxConcurrent"] = "1",
        };
        await using var host = await new ExpertHostFactory(settings: settings).ReadyAsync();
        OccupancyExpert.OccupancyExpertClient client = host.CreateExpertClient();
        CpuWorkLimiter cpu = host.Get<CpuWorkLimiter>();

        // The only render slot is taken, so the heavy request's renders cannot start.
        CpuWorkLimiter.Lease slot = await cpu.EnterAsync(refuseWhenFull: false, CancellationToken.None);
        GenerateOccupancyRequest heavyRequest = Requests.Generate("heavy");
        heavyRequest.Samples = 4;
        heavyRequest.RenderAllSamples = true;
        heavyRequest.IncludeBuildOrder = true;
        Task<GenerateOccupancyResponse> heavy = client.GenerateOccupancyAsync(heavyRequest).ResponseAsync;
        GenerateOccupancyRequest lightRequest = Requests.Generate("light");
        lightRequest.SkipRender = true;
        GenerateOccupancyResponse light = await client.GenerateOccupancyAsync(lightRequest);

        Assert.Equal(2u, light.BatchSize); // the two shared one model call
        Assert.False(heavy.IsCompleted); // and the light one was answered while the heavy one still waits to render

        slot.Dispose();
        GenerateOccupancyResponse done = await heavy;
        Assert.Equal(4, done.Samples.Count);
        Assert.All(done.Samples, s => Assert.Equal(4, s.Views.Count));
        Assert.Equal(done.Views.Select(v => v.Name), done.Samples[0].Views.Select(v => v.Name));
        Assert.NotNull(done.BuildOrder);
        Assert.Equal(0, host.Get<AdmissionController>().Outstanding);
    }

    [Fact]
    public void The_idle_trim_gives_memory_back_without_failing()
    {
        using var host = new ExpertHostFactory();
        IdleMemoryTrimmer trimmer = host.Get<IdleMemoryTrimmer>();
        trimmer.Trim();
        Assert.Equal(1, trimmer.Trims);
    }
}
