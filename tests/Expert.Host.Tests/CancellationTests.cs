using Expert.Host.Batching;
using Expert.Host.Tests.Infrastructure;
using Expert.Host.Tests.TestDoubles;
using Grpc.Core;
using Steve2.Expert.V1;

namespace Expert.Host.Tests;

/// <summary>A deadline or a cancel stops the work: the model call sees its token fire.</summary>
public sealed class CancellationTests
{
    /// <remarks>
    /// Client and server both enforce the deadline. When the server's timer wins, it resets the
    /// stream, which the in-memory transport reports as INTERNAL "reset" instead of the
    /// DEADLINE_EXCEEDED a real HTTP/2 client sees; LoopbackTests pins DEADLINE_EXCEEDED exactly.
    /// What this test pins is that the deadline stops the model call.
    /// </remarks>
    [Fact]
    public async Task A_passed_deadline_ends_the_call_and_cancels_the_model_call()
    {
        await using var host = await new ExpertHostFactory(new FakeOccupancyGenerator(gated: true)).ReadyAsync();
        OccupancyExpert.OccupancyExpertClient client = host.CreateExpertClient();

        // Long enough for the call to reach the (gated) model on a loaded machine: a deadline that expires before leaves
        // no model call to cancel.
        RpcException e = await Rpc.FailsAsync(() =>
            client.GenerateOccupancyAsync(Requests.Generate(), deadline: DateTime.UtcNow.AddSeconds(2)).ResponseAsync);

        bool inMemoryReset = e.StatusCode == StatusCode.Internal && e.Status.Detail.Contains("reset", StringComparison.Ordinal);
        Assert.True(e.StatusCode is StatusCode.DeadlineExceeded or StatusCode.Cancelled || inMemoryReset, e.Status.ToString());
        await Rpc.EventuallyAsync(() => host.Generator.CancellationsSeen == 1, "the model call to see the cancel");
        Assert.Equal(1, host.Generator.Calls);
    }

    [Fact]
    public async Task A_cancelled_call_answers_CANCELLED_and_cancels_the_model_call()
    {
        await using var host = await new ExpertHostFactory(new FakeOccupancyGenerator(gated: true)).ReadyAsync();
        OccupancyExpert.OccupancyExpertClient client = host.CreateExpertClient();
        using var cts = new CancellationTokenSource();

        Task<GenerateOccupancyResponse> call = client.GenerateOccupancyAsync(Requests.Generate(), cancellationToken: cts.Token).ResponseAsync;
        await Rpc.EventuallyAsync(() => host.Generator.Inside == 1, "the call to reach the model");
        cts.Cancel();

        RpcException e = await Rpc.FailsAsync(() => call);
        Assert.Equal(StatusCode.Cancelled, e.StatusCode);
        await Rpc.EventuallyAsync(() => host.Generator.CancellationsSeen == 1, "the model call to see the cancel");
    }

    [Fact]
    public async Task A_cancelled_waiting_request_leaves_the_queue_and_never_reaches_the_model()
    {
        var settings = new Dictionary<string, string?> { ["Batching:MaxBatch"] = "1" };
        await using var host = await new ExpertHostFactory(new FakeOccupancyGenerator(gated: true), settings).ReadyAsync();
        OccupancyExpert.OccupancyExpertClient client = host.CreateExpertClient();
        GenerationBatcher batcher = host.Get<GenerationBatcher>();

        Task<GenerateOccupancyResponse> first = client.GenerateOccupancyAsync(Requests.Generate("first")).ResponseAsync;
        await Rpc.EventuallyAsync(() => host.Generator.Inside == 1, "the first call to hold the model");
        using var cts = new CancellationTokenSource();
        Task<GenerateOccupancyResponse> waiting = client.GenerateOccupancyAsync(Requests.Generate("second"), cancellationToken: cts.Token).ResponseAsync;
        await Rpc.EventuallyAsync(() => batcher.Waiting == 1, "the second call to wait");

        cts.Cancel();
        Assert.Equal(StatusCode.Cancelled, (await Rpc.FailsAsync(() => waiting)).StatusCode);
        await Rpc.EventuallyAsync(() => batcher.Waiting == 0, "the cancelled call to leave the queue");
        host.Generator.Release(10);
        await first;

        Assert.Equal(1, host.Generator.Calls);
        Assert.Equal(["first"], host.Generator.Descriptions);
    }

    [Fact]
    public async Task A_cancelled_stream_stops_the_model_call()
    {
        await using var host = await new ExpertHostFactory(new FakeOccupancyGenerator(gated: true)).ReadyAsync();
        OccupancyExpert.OccupancyExpertClient client = host.CreateExpertClient();
        using var cts = new CancellationTokenSource();
        using AsyncServerStreamingCall<GenerateOccupancyUpdate> call = client.GenerateOccupancyStream(Requests.Generate(), cancellationToken: cts.Token);

        Assert.True(await call.ResponseStream.MoveNext());
        await Rpc.EventuallyAsync(() => host.Generator.Inside == 1, "the call to reach the model");
        cts.Cancel();

        RpcException e = await Rpc.FailsAsync(async () => { while (await call.ResponseStream.MoveNext()) { } });
        Assert.Equal(StatusCode.Cancelled, e.StatusCode);
        await Rpc.EventuallyAsync(() => host.Generator.CancellationsSeen == 1, "the model call to see the cancel");
    }
}
