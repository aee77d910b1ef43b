using Expert.Host.Tests.Infrastructure;
using Grpc.Core;
using Wire = Steve2.Expert.V1;

namespace Expert.Host.Tests.DynamicMap;

/// <summary>Episodes live in the data directory: a new host on the same folder serves them exactly as they were.</summary>
public sealed class MapPersistenceTests : IDisposable
{
    private readonly MapFolder _folder = new();
    private readonly MapFolder _copy = new();

    public void Dispose()
    {
        _folder.Dispose();
        _copy.Dispose();
    }

    private sealed record Seen(byte[] Map, string Text, Wire.ListAgentsResponse Agents, Wire.LocateTargetsResponse Cows, Wire.FrontierReport Frontiers, Wire.MapStats Stats);

    private static async Task<Seen> ReadAllAsync(MapHost host, string episodeId)
    {
        var client = host.Client;
        return new Seen(
            MapWire.Bytes(await host.MapAsync(episodeId)),
            (await client.DescribeMapAsync(new Wire.DescribeMapRequest { EpisodeId = episodeId, AgentId = "scout" })).Text,
            await client.ListAgentsAsync(new Wire.ListAgentsRequest { EpisodeId = episodeId, IncludeTrails = true }),
            await client.LocateTargetsAsync(new Wire.LocateTargetsRequest { EpisodeId = episodeId, Name = "cow" }),
            await client.GetFrontiersAsync(new Wire.GetFrontiersRequest { EpisodeId = episodeId, AgentId = "scout" }),
            (await host.InfoAsync(episodeId)).Stats);
    }

    private static async Task<Wire.ObservationBatch> FillAsync(MapHost host)
    {
        var client = host.Client;
        await client.OpenEpisodeAsync(new Wire.OpenEpisodeRequest { EpisodeId = "kept" });
        await client.OpenEpisodeAsync(new Wire.OpenEpisodeRequest { EpisodeId = "done" });
        var first = MapWire.Packed("scout", 10, 0, 0, radius: 8);
        first.Entities.Add(MapWire.Entity("cow", 3, 70, 3));
        var batch = MapWire.Batch("kept", "b1", first, MapWire.Packed("miner", 12, 5, 5, radius: 6));
        await client.ObserveBatchAsync(batch);
        await client.ObserveBatchAsync(MapWire.Batch("kept", "b2", MapWire.Packed("scout", 20, 6, -4, radius: 8)));
        long cow = (await client.LocateTargetsAsync(new Wire.LocateTargetsRequest { EpisodeId = "kept", Name = "cow" })).Matches[0].Id;
        await client.NameLandmarkAsync(new Wire.NameLandmarkRequest { EpisodeId = "kept", LandmarkId = cow, Label = "Bessie" });
        Wire.Frontier best = (await client.GetFrontiersAsync(new Wire.GetFrontiersRequest { EpisodeId = "kept", AgentId = "scout" })).Frontiers[0];
        await client.MarkFrontierUnreachableAsync(new Wire.MarkFrontierUnreachableRequest { EpisodeId = "kept", Cell = best.Goal, Reason = "lava" });
        await client.ObserveBatchAsync(MapWire.Batch("done", "d1", MapWire.Packed("scout", 1, 0, 0, radius: 3)));
        await client.CloseEpisodeAsync(new Wire.CloseEpisodeRequest { EpisodeId = "done" });
        return batch;
    }

    [Fact]
    public async Task Episodes_survive_a_host_restart_exactly()
    {
        Seen before;
        Wire.ObservationBatch replay;
        await using (var first = MapHost.Start(_folder.Path))
        {
            replay = await FillAsync(first);
            before = await ReadAllAsync(first, "kept");
        }
        Assert.True(File.Exists(Path.Combine(_folder.Path, "episodes", "kept", "snapshot.bin")), "flushed at shutdown");

        await using var second = MapHost.Start(_folder.Path);
        Wire.ListEpisodesResponse listed = await second.Client.ListEpisodesAsync(new Wire.ListEpisodesRequest { IncludeClosed = true });
        Assert.Equal(new[] { "done", "kept" }, listed.Episodes.Select(e => e.EpisodeId).Order());
        Assert.True(listed.Episodes.Single(e => e.EpisodeId == "done").Closed);
        Seen after = await ReadAllAsync(second, "kept");

        Assert.Equal(before.Map, after.Map);
        Assert.Equal(before.Text, after.Text);
        Assert.Equal(before.Agents, after.Agents);
        Assert.Equal(before.Cows, after.Cows);
        Assert.Equal("Bessie", after.Cows.Matches[0].Label);
        Assert.Equal(before.Frontiers, after.Frontiers);
        Assert.Contains(after.Frontiers.SetAside, s => s.Reason.Contains("lava"));
        Assert.Equal(before.Stats.Version, after.Stats.Version);
        Assert.Equal(before.Stats.BlockObservations, after.Stats.BlockObservations);

        // A client retry after the restart is still recognised; the closed episode stays closed.
        Assert.True((await second.Client.ObserveBatchAsync(replay)).Duplicate);
        RpcException closed = await Rpc.FailsAsync(() => second.Client.ObserveBatchAsync(MapWire.Batch("done", "d2", MapWire.Packed("scout", 2, 0, 0, radius: 2))).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, closed.StatusCode);
    }

    [Fact]
    public async Task A_host_that_dies_without_flushing_loses_nothing_it_acknowledged()
    {
        await using var first = MapHost.Start(_folder.Path);
        await FillAsync(first);
        Seen before = await ReadAllAsync(first, "kept");
        Assert.False(File.Exists(Path.Combine(_folder.Path, "episodes", "kept", "snapshot.bin")), "no snapshot yet: only the log");
        // The files as a crash would leave them: copied while the first host still runs.
        CopyTree(_folder.Path, _copy.Path);

        await using var second = MapHost.Start(_copy.Path);
        Seen after = await ReadAllAsync(second, "kept");

        Assert.Equal(before.Map, after.Map);
        Assert.Equal(before.Text, after.Text);
        Assert.Equal(before.Cows, after.Cows);
        Assert.Equal(before.Stats.BlockObservations, after.Stats.BlockObservations);
    }

    [Fact]
    public async Task Idle_episodes_are_evicted_to_disk_and_come_back_on_the_next_call()
    {
        await using var host = MapHost.Start(_folder.Path, new Dictionary<string, string?>
        {
            ["Map:IdleEviction"] = "00:00:00.300",
            ["Map:MaintenanceInterval"] = "00:00:00.100",
        });
        await host.Client.OpenEpisodeAsync(new Wire.OpenEpisodeRequest { EpisodeId = "idle" });
        await host.Client.ObserveBatchAsync(MapWire.Batch("idle", "1", MapWire.Packed("scout", 1, 0, 0, radius: 6)));
        byte[] map = MapWire.Bytes(await host.MapAsync("idle"));
        Assert.True((await host.InfoAsync("idle")).Loaded);

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await host.InfoAsync("idle")).Loaded)
        {
            Assert.True(DateTime.UtcNow < deadline, "the idle episode was not evicted");
            await Task.Delay(50);
        }
        Assert.True(File.Exists(Path.Combine(_folder.Path, "episodes", "idle", "snapshot.bin")));

        Assert.Equal(map, MapWire.Bytes(await host.MapAsync("idle")));
        Assert.True((await host.InfoAsync("idle")).Loaded);
        // "Evicted N idle map episode(s)": the maintenance service logs it after the eviction returns, so the test
        // can see the episode unloaded a moment before the line is written.
        while (!host.Factory.Logs.Entries.Any(e => e.EventId.Id == 43))
        {
            Assert.True(DateTime.UtcNow < deadline, "the eviction was not logged");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task The_data_directory_is_created_on_the_first_map_call_not_at_start()
    {
        string dataDirectory = Path.Combine(_folder.Path, "later");
        await using var host = MapHost.Start(dataDirectory);
        await host.Factory.ReadyAsync(); // the host has started and loaded its model

        Assert.False(Directory.Exists(dataDirectory));
        await host.Client.ListEpisodesAsync(new Wire.ListEpisodesRequest());
        Assert.True(Directory.Exists(Path.Combine(dataDirectory, "episodes")));
    }

    [Fact]
    public async Task A_data_directory_that_cannot_be_created_is_UNAVAILABLE_with_the_key_to_set()
    {
        string file = Path.Combine(_folder.Path, "a-file");
        Directory.CreateDirectory(_folder.Path);
        await File.WriteAllTextAsync(file, "not a folder");
        await using var host = MapHost.Start(Path.Combine(file, "maps"));

        RpcException e = await Rpc.FailsAsync(() => host.Client.ListEpisodesAsync(new Wire.ListEpisodesRequest()).ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
        Assert.Contains("Map:DataDirectory", e.Status.Detail);
    }

    private static void CopyTree(string from, string to)
    {
        foreach (string file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
