using Expert.Host.Batching;
using Expert.Host.Tests.Infrastructure;
using Expert.Host.Tests.TestDoubles;
using Google.Rpc;
using Grpc.Core;
using Steve2.Expert.V1;

namespace Expert.Host.Tests;

/// <summary>Past its limits the host answers RESOURCE_EXHAUSTED at once instead of slowing everyone down.</summary>
public sealed class LimitTests
{
    [Fact]
    public async Task A_full_model_queue_answers_RESOURCE_EXHAUSTED_at_once_and_the_admitted_calls_complete()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Batching:MaxBatch"] = "1",
            ["Batching:MaxQueue"] = "2",
            ["Batching:MaxConcurrentBatches"] = "1",
        };
        await using var host = await new ExpertHostFactory(new FakeOccupancyGenerator(gated: true), settings).ReadyAsync();
        OccupancyExpert.OccupancyExpertClient client = host.CreateExpertClient();
        GenerationBatcher batcher = host.Get<GenerationBatcher>();

        Task<GenerateOccupancyResponse> running = client.GenerateOccupancyAsync(Requests.Generate("one")).ResponseAsync;
        await Rpc.EventuallyAsync(() => host.Generator.Inside == 1, "the first call to hold the model");
        Task<GenerateOccupancyResponse> waiting1 = client.GenerateOccupancyAsync(Requests.Generate("two")).ResponseAsync;
        Task<GenerateOccupancyResponse> waiting2 = client.GenerateOccupancyAsync(Requests.Generate("three")).ResponseAsync;
        await Rpc.EventuallyAsync(() => batcher.Waiting == 2, "two calls to wait");

        // Refused without waiting for room: nothing is released until below, so a call that waited for a
        // slot would never be answered (the 2-minute bound only keeps such a defect from hanging the run;
        // the refusal comes in milliseconds), and when it is refused the model is still held and both
        // admitted calls still wait.
        RpcException e = await Rpc.FailsAsync(() => client.GenerateOccupancyAsync(Requests.Generate("four")).ResponseAsync.WaitAsync(TimeSpan.FromMinutes(2)));

        Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
        Assert.Equal((1, 2), (host.Generator.Inside, batcher.Waiting));
        ErrorInfo info = e.GetRpcStatus()!.GetDetail<ErrorInfo>();
        Assert.Equal("QUEUE_FULL", info.Reason);
        Assert.Equal("2", info.Metadata["limit"]);
        Assert.NotNull(e.GetRpcStatus()!.GetDetail<RetryInfo>());

        host.Generator.Release(3);
        await Task.WhenAll(running, waiting1, waiting2);
        Assert.Equal(["one", "three", "two"], host.Generator.Descriptions.Order());
        Assert.Equal(3, host.Generator.Calls);
    }

    [Fact]
    public async Task Calls_before_the_model_is_loaded_answer_UNAVAILABLE()
    {
        var generator = new FakeOccupancyGenerator();
        await using var host = new ExpertHostFactory(generator, loader: new FakeGeneratorFactory(generator).HoldLoading());
        OccupancyExpert.OccupancyExpertClient client = host.CreateExpertClient();

        RpcException e = await Rpc.FailsAsync(() => client.GenerateOccupancyAsync(Requests.Generate()).ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
        Assert.Contains("loading", e.Status.Detail);
        GetModelInfoResponse info = await client.GetModelInfoAsync(new GetModelInfoRequest());
        Assert.False(info.Ready);
        host.Loader.FinishLoading();
    }

    [Fact]
    public async Task The_cpu_work_limiter_refuses_past_its_queue_but_lets_admitted_work_wait()
    {
        var settings = new Dictionary<string, string?> { ["Rendering:MaxConcurrent"] = "1", ["Rendering:MaxQueue"] = "1" };
        await using var host = await new ExpertHostFactory(settings: settings).ReadyAsync();
        CpuWorkLimiter limiter = host.Get<CpuWorkLimiter>();

        CpuWorkLimiter.Lease held = await limiter.EnterAsync(refuseWhenFull: true, CancellationToken.None);
        Task<CpuWorkLimiter.Lease> queued = limiter.EnterAsync(refuseWhenFull: true, CancellationToken.None).AsTask();
        await Assert.ThrowsAsync<QueueFullException>(() => limiter.EnterAsync(refuseWhenFull: true, CancellationToken.None).AsTask());
        Task<CpuWorkLimiter.Lease> generationRender = limiter.EnterAsync(refuseWhenFull: false, CancellationToken.None).AsTask();

        // And over gRPC: a RenderOccupancy while the slot and the queue are taken is refused.
        OccupancyExpert.OccupancyExpertClient client = host.CreateExpertClient();
        RpcException e = await Rpc.FailsAsync(() =>
            client.RenderOccupancyAsync(new RenderOccupancyRequest { Grid = Requests.Wire(Requests.SmallBuilding()) }).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);

        Assert.False(queued.IsCompleted);
        held.Dispose();
        (await queued).Dispose();
        (await generationRender).Dispose();
    }
}
