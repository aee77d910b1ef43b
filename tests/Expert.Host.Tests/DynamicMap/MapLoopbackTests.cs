using Expert.Host.Benchmarks;
using Wire = Steve2.Expert.V1;

namespace Expert.Host.Tests.DynamicMap;

/// <summary>The map service over a real socket (Kestrel on 127.0.0.1, h2c) with packed batches, and the map-bench command.</summary>
public sealed class MapLoopbackTests : IDisposable
{
    private readonly MapFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Packed_batches_stream_over_real_loopback_and_the_map_shows_the_terrain()
    {
        await using var host = MapHost.Start(_folder.Path, loopback: true);
        string address = host.Factory.LoopbackAddress();
        Assert.StartsWith("http://127.0.0.1:", address);
        await host.Client.OpenEpisodeAsync(new Wire.OpenEpisodeRequest { EpisodeId = "loop" });

        // 48 observations along a line, 8 per batch: about 300 KB of packed blocks per batch.
        var batches = Enumerable.Range(0, 6).Select(b => MapWire.Batch("loop", $"b{b}",
            Enumerable.Range(0, 8).Select(i => MapWire.Packed("scout", 8 * b + i, 3 * (8 * b + i), 0, radius: 16)).ToArray())).ToArray();
        long blocks = batches.Sum(b => b.Observations.Sum(o => (long)o.PackedBlocks.Cells.Length / 16));
        using var call = host.Client.Observe();
        foreach (var batch in batches) await call.RequestStream.WriteAsync(batch);
        await call.RequestStream.CompleteAsync();
        Wire.ObserveSummary summary = await call;

        Assert.Equal((6, blocks), (summary.BatchesApplied, summary.BlockObservations));
        Assert.True(batches[0].CalculateSize() > 64 * 1024, "batches big enough to span many HTTP/2 frames");
        Wire.MapLayers map = await host.MapAsync("loop", new Wire.MapRegion { X0 = 0, Z0 = -4, Width = 140, Depth = 9, YMin = -64, YMax = 319 });
        foreach (int x in new[] { 0, 37, 71, 140 - 1 })
            Assert.Equal(MapWire.SurfaceY(x, 2), MapWire.ValueAt(map, Wire.MapLayer.Height, x, 2));
    }

    [Fact]
    public async Task The_map_bench_command_streams_and_posts_every_block_once_and_cleans_up()
    {
        await using var host = MapHost.Start(_folder.Path, loopback: true);
        string address = host.Factory.LoopbackAddress();
        var output = new StringWriter();

        int exit = await MapIngestBenchmark.RunAsync(
            [MapIngestBenchmark.Command, address, "--observations", "40", "--batch", "8", "--radius", "10"], output);

        string text = output.ToString();
        Assert.True(exit == 0, text);
        Assert.Contains("| Observe (client stream) | 5 |", text);
        Assert.Contains("| ObserveBatch (unary, sequential) | 5 |", text);
        Assert.Contains("load average before", text);
        Assert.Empty((await host.Client.ListEpisodesAsync(new Wire.ListEpisodesRequest { IncludeClosed = true })).Episodes);
        Assert.Equal(2, await MapIngestBenchmark.RunAsync([MapIngestBenchmark.Command, address, "--bogus"], new StringWriter()));

        // The measurement itself: blocks sent are blocks the host acknowledged, in a positive time.
        using var channel = global::Grpc.Net.Client.GrpcChannel.ForAddress(address);
        var runs = await MapIngestBenchmark.MeasureAsync(new Wire.DynamicMapExpert.DynamicMapExpertClient(channel),
            new MapIngestOptions(Observations: 16, ObservationsPerBatch: 4, ViewRadius: 8, WarmUpObservations: 4, Keep: true), CancellationToken.None);
        Assert.Equal(2, runs.Count);
        Assert.All(runs, r => Assert.Equal(r.Blocks, r.BlocksAcknowledged));
        Assert.All(runs, r => Assert.True(r.Seconds > 0 && r.BlocksPerSecond > 0));
        Wire.EpisodeInfo kept = (await host.Client.ListEpisodesAsync(new Wire.ListEpisodesRequest())).Episodes.Single(e => e.EpisodeId == runs[0].EpisodeId);
        Assert.Equal(runs[0].Blocks, kept.Stats.BlockObservations);
    }
}
