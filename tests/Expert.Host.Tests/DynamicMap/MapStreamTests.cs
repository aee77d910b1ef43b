using Expert.Host.Tests.Infrastructure;
using Grpc.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Wire = Steve2.Expert.V1;

namespace Expert.Host.Tests.DynamicMap;

/// <summary>The client-streaming Observe and the server-streaming WatchMap.</summary>
public sealed class MapStreamTests : IDisposable
{
    private readonly MapFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Observe_applies_a_stream_of_batches_in_order_and_sums_them_up()
    {
        await using var host = MapHost.Start(_folder.Path);
        await host.Client.OpenEpisodeAsync(new Wire.OpenEpisodeRequest { EpisodeId = "s" });
        var batches = Enumerable.Range(0, 6)
            .Select(i => MapWire.Batch("s", $"b{i}", MapWire.Packed("scout", 10 * i, 4 * i, 0, radius: 6), MapWire.Named("miner", 10 * i + 5, 0, 4 * i, radius: 4)))
            .ToArray();

        using var call = host.Client.Observe();
        foreach (var batch in batches) await call.RequestStream.WriteAsync(batch);
        await call.RequestStream.CompleteAsync();
        Wire.ObserveSummary summary = await call;

        long blocks = batches.Sum(b => (long)b.Observations[0].PackedBlocks.Cells.Length / 16 + b.Observations[1].Blocks.Count);
        Assert.Equal(6, summary.BatchesApplied);
        Assert.Equal(0, summary.BatchesDuplicate);
        Assert.Equal(blocks, summary.BlockObservations);
        Assert.Equal(55, summary.Tick);
        Wire.EpisodeInfo info = await host.InfoAsync("s");
        Assert.Equal((summary.Version, blocks), (info.Stats.Version, info.Stats.BlockObservations));
        Assert.Equal(MapWire.SurfaceY(20, 0), MapWire.ValueAt(await host.MapAsync("s"), Wire.MapLayer.Height, 20, 0));
    }

    [Fact]
    public async Task A_bad_batch_ends_the_stream_with_its_error_and_the_batches_before_it_stay_applied()
    {
        await using var host = MapHost.Start(_folder.Path);
        await host.Client.OpenEpisodeAsync(new Wire.OpenEpisodeRequest { EpisodeId = "s" });
        var good0 = MapWire.Batch("s", "0", MapWire.Packed("scout", 1, 0, 0, radius: 5));
        var good1 = MapWire.Batch("s", "1", MapWire.Packed("scout", 2, 3, 0, radius: 5));
        var bad = MapWire.Batch("s", "2", MapWire.Packed("scout", 3, 6, 0, radius: 5));
        bad.Observations[0].Pose.Y = double.NaN;
        var after = MapWire.Batch("s", "3", MapWire.Packed("scout", 4, 9, 0, radius: 5));

        using var call = host.Client.Observe();
        RpcException e = await Rpc.FailsAsync(async () =>
        {
            foreach (var batch in new[] { good0, good1, bad, after }) await call.RequestStream.WriteAsync(batch);
            await call.RequestStream.CompleteAsync();
            await call.ResponseAsync;
        });

        Assert.Equal(new[] { "observations[0].pose.y" }, Rpc.ViolatedFields(e));
        var refused = MapErrors.Info(e, "BATCH_REFUSED");
        Assert.Equal(("2", "2"), (refused.Metadata["batch_index"], refused.Metadata["batches_applied"]));
        Wire.EpisodeInfo info = await host.InfoAsync("s");
        Assert.Equal((good0.Observations[0].PackedBlocks.Cells.Length + good1.Observations[0].PackedBlocks.Cells.Length) / 16, info.Stats.BlockObservations);
        Assert.Equal(2, info.Stats.Tick);
    }

    [Fact]
    public async Task Observe_into_an_unknown_episode_is_NOT_FOUND_at_batch_0()
    {
        await using var host = MapHost.Start(_folder.Path);
        using var call = host.Client.Observe();
        RpcException e = await Rpc.FailsAsync(async () =>
        {
            await call.RequestStream.WriteAsync(MapWire.Batch("missing", "0", MapWire.Packed("scout", 1, 0, 0, radius: 2)));
            await call.RequestStream.CompleteAsync();
            await call.ResponseAsync;
        });

        Assert.Equal(StatusCode.NotFound, e.StatusCode);
        Assert.Equal("0", MapErrors.Info(e, "BATCH_REFUSED").Metadata["batch_index"]);
    }

    [Fact]
    public async Task WatchMap_streams_each_change_then_ends_when_the_episode_closes()
    {
        await using var host = MapHost.Start(_folder.Path);
        var client = host.Client;
        await client.OpenEpisodeAsync(new Wire.OpenEpisodeRequest { EpisodeId = "w" });
        using var watch = client.WatchMap(new Wire.WatchMapRequest { EpisodeId = "w" });
        await watch.ResponseHeadersAsync; // the watch is registered

        var seen = MapWire.Packed("scout", 7, 10, -10, radius: 3);
        seen.Entities.Add(MapWire.Entity("cow", 11, 70, -9));
        Wire.BatchResult applied = await client.ObserveBatchAsync(MapWire.Batch("w", "1", seen));
        await client.ObserveBatchAsync(MapWire.Batch("w", "1", seen)); // a replay changes nothing: no change sent
        long cow = (await client.LocateTargetsAsync(new Wire.LocateTargetsRequest { EpisodeId = "w", Name = "cow" })).Matches[0].Id;
        await client.NameLandmarkAsync(new Wire.NameLandmarkRequest { EpisodeId = "w", LandmarkId = cow, Label = "Bessie" });
        await client.MarkFrontierUnreachableAsync(new Wire.MarkFrontierUnreachableRequest { EpisodeId = "w", Cell = new Wire.MapCell { X = 10, Y = 66, Z = -10 }, Reason = "x" });
        await client.CloseEpisodeAsync(new Wire.CloseEpisodeRequest { EpisodeId = "w" });

        var changes = new List<Wire.MapChange>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (await watch.ResponseStream.MoveNext(timeout.Token)) changes.Add(watch.ResponseStream.Current);

        Assert.Equal(new[] { Wire.MapChangeKind.Observed, Wire.MapChangeKind.LandmarkNamed, Wire.MapChangeKind.Blacklisted, Wire.MapChangeKind.Closed },
            changes.Select(c => c.Kind));
        Wire.MapChange observed = changes[0];
        Assert.Equal(("w", applied.Version, 7L, applied.Blocks, 1), (observed.EpisodeId, observed.Version, observed.Tick, observed.Blocks, observed.Landmarks));
        Assert.Equal(new[] { "scout" }, observed.AgentIds);
        Assert.InRange(10, observed.Touched.X0, observed.Touched.X0 + observed.Touched.Width - 1);
        Assert.InRange(-10, observed.Touched.Z0, observed.Touched.Z0 + observed.Touched.Depth - 1);
        Assert.True(changes.Zip(changes.Skip(1)).All(p => p.First.Version < p.Second.Version || p.Second.Kind == Wire.MapChangeKind.Closed));
        Assert.Equal(StatusCode.OK, watch.GetStatus().StatusCode);
    }

    [Fact]
    public async Task A_cancelled_watch_stops_its_server_loop()
    {
        await using var host = MapHost.Start(_folder.Path);
        await host.Client.OpenEpisodeAsync(new Wire.OpenEpisodeRequest { EpisodeId = "w" });
        using var cancel = new CancellationTokenSource();
        using var watch = host.Client.WatchMap(new Wire.WatchMapRequest { EpisodeId = "w" }, cancellationToken: cancel.Token);
        await watch.ResponseHeadersAsync;

        cancel.Cancel();
        RpcException e = await Rpc.FailsAsync(() => watch.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal(StatusCode.Cancelled, e.StatusCode);
        // The host's telemetry logs a call when its handler returns: the loop saw the cancel.
        await Rpc.EventuallyAsync(() => host.Factory.Logs.Entries.Any(l => l.Message.StartsWith("WatchMap answered", StringComparison.Ordinal)),
            "the WatchMap handler to return");
    }

    [Fact]
    public async Task Stopping_the_host_ends_open_watches_promptly()
    {
        // Over a socket: Kestrel waits for running calls when it stops (TestServer would not), up to the
        // host's shutdown timeout, here 10 minutes. So a watch that held up shutdown would keep the host
        // stopping for 10 minutes; stopping within the bounds below (which only keep such a defect from
        // hanging the run: it takes well under a second) shows the host ended the watch itself.
        var host = MapHost.Start(_folder.Path, new Dictionary<string, string?> { ["shutdownTimeoutSeconds"] = "600" }, loopback: true);
        Assert.Equal(TimeSpan.FromMinutes(10), host.Factory.Get<IOptions<HostOptions>>().Value.ShutdownTimeout);
        await host.Client.OpenEpisodeAsync(new Wire.OpenEpisodeRequest { EpisodeId = "w" });
        using var watch = host.Client.WatchMap(new Wire.WatchMapRequest { EpisodeId = "w" });
        await watch.ResponseHeadersAsync;
        Task<bool> reading = watch.ResponseStream.MoveNext(CancellationToken.None);

        await host.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Same(reading, await Task.WhenAny(reading, Task.Delay(TimeSpan.FromMinutes(1))));
        _ = reading.Exception; // ended with an error or the end of the stream: either is fine
    }
}
