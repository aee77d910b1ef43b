using Wire = Steve2.Expert.V1;

namespace Expert.Host.Tests.DynamicMap;

/// <summary>A client retry does not count twice; late ticks are fine.</summary>
public sealed class MapReplayTests : IDisposable
{
    private readonly MapFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("retry-7")]
    [InlineData("")] // without a batch id the content is the key
    public async Task A_replayed_batch_is_acknowledged_as_a_duplicate_and_not_applied_again(string batchId)
    {
        await using var host = MapHost.Start(_folder.Path);
        await host.Client.OpenEpisodeAsync(new Wire.OpenEpisodeRequest { EpisodeId = "r" });
        var batch = MapWire.Batch("r", batchId, MapWire.Packed("scout", 5, 0, 0, radius: 6));

        Wire.BatchResult first = await host.Client.ObserveBatchAsync(batch);
        Wire.EpisodeInfo afterFirst = await host.InfoAsync("r");
        byte[] mapAfterFirst = MapWire.Bytes(await host.MapAsync("r"));
        Wire.BatchResult again = await host.Client.ObserveBatchAsync(batch);

        Assert.True(first.Applied);
        Assert.False(again.Applied);
        Assert.True(again.Duplicate);
        Assert.Equal(first.BatchKey, again.BatchKey);
        Assert.Equal(afterFirst.Stats, (await host.InfoAsync("r")).Stats);
        Assert.Equal(first.Blocks, afterFirst.Stats.BlockObservations);
        Assert.Equal(mapAfterFirst, MapWire.Bytes(await host.MapAsync("r")));
        Assert.Equal(1, MapWire.ValueAt(await host.MapAsync("r"), Wire.MapLayer.Visits, 0, 0)); // one visit, not two

        // A different batch (another tick) is applied.
        Assert.True((await host.Client.ObserveBatchAsync(MapWire.Batch("r", batchId == "" ? "" : "retry-8", MapWire.Packed("scout", 6, 0, 0, radius: 6)))).Applied);
        Assert.Equal(2, MapWire.ValueAt(await host.MapAsync("r"), Wire.MapLayer.Visits, 0, 0));
    }

    [Fact]
    public async Task A_stream_that_repeats_a_batch_counts_it_once()
    {
        await using var host = MapHost.Start(_folder.Path);
        await host.Client.OpenEpisodeAsync(new Wire.OpenEpisodeRequest { EpisodeId = "r" });
        var a = MapWire.Batch("r", "a", MapWire.Packed("scout", 1, 0, 0, radius: 5));
        var b = MapWire.Batch("r", "b", MapWire.Packed("scout", 2, 3, 0, radius: 5));

        using var call = host.Client.Observe();
        foreach (var batch in new[] { a, b, a }) await call.RequestStream.WriteAsync(batch);
        await call.RequestStream.CompleteAsync();
        Wire.ObserveSummary summary = await call;

        long blocks = (a.Observations[0].PackedBlocks.Cells.Length + b.Observations[0].PackedBlocks.Cells.Length) / 16;
        Assert.Equal((2, 1, blocks), (summary.BatchesApplied, summary.BatchesDuplicate, summary.BlockObservations));
        Assert.Equal(blocks, (await host.InfoAsync("r")).Stats.BlockObservations);
    }

    [Fact]
    public async Task A_late_tick_is_applied_but_does_not_move_the_agent_back()
    {
        await using var host = MapHost.Start(_folder.Path);
        await host.Client.OpenEpisodeAsync(new Wire.OpenEpisodeRequest { EpisodeId = "r" });

        await host.Client.ObserveBatchAsync(MapWire.Batch("r", "new", MapWire.Packed("scout", 100, 8, 0, radius: 4)));
        Wire.BatchResult late = await host.Client.ObserveBatchAsync(MapWire.Batch("r", "old", MapWire.Packed("scout", 50, -8, 0, radius: 4)));

        Assert.True(late.Applied);
        Assert.Equal(100, late.Tick);
        Wire.AgentInfo scout = (await host.Client.ListAgentsAsync(new Wire.ListAgentsRequest { EpisodeId = "r", IncludeTrails = true })).Agents.Single();
        Assert.Equal(8.5, scout.Pose.X, 6);
        Assert.Equal(new long[] { 50, 100 }, scout.Trail.Select(p => p.Tick)); // the trail is in tick order
        Assert.Equal(1, MapWire.ValueAt(await host.MapAsync("r"), Wire.MapLayer.Explored, -8, 0)); // what it saw late is mapped
    }
}
