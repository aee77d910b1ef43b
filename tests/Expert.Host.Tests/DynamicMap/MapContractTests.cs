using Expert.DynamicMap.Geometry;
using Expert.Host.Tests.Infrastructure;
using Grpc.Core;
using SkiaSharp;
using Wire = Steve2.Expert.V1;

namespace Expert.Host.Tests.DynamicMap;

/// <summary>The DynamicMapExpert contract in process: each rpc does what its proto comment says.</summary>
public sealed class MapContractTests : IDisposable
{
    private readonly MapFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Open_observe_and_GetMap_report_the_terrain_the_agent_saw()
    {
        await using var host = MapHost.Start(_folder.Path);
        var client = host.Client;

        Wire.EpisodeInfo opened = await client.OpenEpisodeAsync(new Wire.OpenEpisodeRequest { EpisodeId = "ep-1" });
        Wire.EpisodeInfo assigned = await client.OpenEpisodeAsync(new Wire.OpenEpisodeRequest());
        Wire.EpisodeInfo again = await client.OpenEpisodeAsync(new Wire.OpenEpisodeRequest { EpisodeId = "ep-1" });
        Assert.Equal("ep-1", opened.EpisodeId);
        Assert.Matches("^[0-9a-f]{32}$", assigned.EpisodeId);
        Assert.Equal(opened.Created, again.Created); // a retried open returns the same episode

        var observation = MapWire.Packed("scout", tick: 100, x: 0, z: 0, radius: 10);
        Wire.BatchResult result = await client.ObserveBatchAsync(MapWire.Batch("ep-1", "b1", observation));
        Assert.True(result.Applied);
        Assert.False(result.Duplicate);
        Assert.Equal(observation.PackedBlocks.Cells.Length / 16, result.Blocks);
        Assert.Equal(100, result.Tick);
        Assert.True(result.NewChunks > 0);

        Wire.MapLayers map = await host.MapAsync("ep-1", MapWire.Around(0, 0, 12));
        Assert.Equal(Enumerable.Range(1, 8), map.Planes.Select(p => (int)p.Layer)); // all layers, in enum order
        Assert.Equal(25 * 25 * 2, map.Planes[0].Data.Length); // int16 height
        foreach ((int x, int z) in new[] { (0, 0), (5, -3), (-7, 6), (9, 0) })
        {
            Assert.Equal(MapWire.SurfaceY(x, z), MapWire.ValueAt(map, Wire.MapLayer.Height, x, z));
            Assert.Equal(1, MapWire.ValueAt(map, Wire.MapLayer.Explored, x, z));
            long surface = MapWire.ValueAt(map, Wire.MapLayer.SurfaceBlock, x, z);
            Assert.Contains(map.Palette[(int)surface], new[] { "grass_block", "sand", "water" });
        }
        Assert.Equal(-32768, MapWire.ValueAt(map, Wire.MapLayer.Height, 12, 12)); // beyond the radius: unknown
        Assert.Equal(0, MapWire.ValueAt(map, Wire.MapLayer.Explored, 12, 12));
        Assert.Equal(1, MapWire.ValueAt(map, Wire.MapLayer.Visits, 0, 0));
        Assert.Equal(-1, MapWire.ValueAt(map, Wire.MapLayer.LastVisitAge, 5, 5));

        // Only the layers asked for, in the order asked.
        var two = await client.GetMapAsync(new Wire.GetMapRequest
        {
            EpisodeId = "ep-1", Region = MapWire.Around(0, 0, 4), Layers = { Wire.MapLayer.Walkable, Wire.MapLayer.Height },
        });
        Assert.Equal(new[] { Wire.MapLayer.Walkable, Wire.MapLayer.Height }, two.Planes.Select(p => p.Layer));
        Assert.Equal(Wire.LayerElementType.Uint8, two.Planes[0].ElementType);
        Assert.Equal(9 * 9, two.Planes[0].Data.Length);
    }

    [Fact]
    public async Task Named_and_packed_blocks_build_the_same_map()
    {
        await using var host = MapHost.Start(_folder.Path);
        await host.Client.OpenEpisodeAsync(new Wire.OpenEpisodeRequest { EpisodeId = "packed" });
        await host.Client.OpenEpisodeAsync(new Wire.OpenEpisodeRequest { EpisodeId = "named" });

        await host.Client.ObserveBatchAsync(MapWire.Batch("packed", "", MapWire.Packed("a", 5, 3, -2, radius: 8)));
        await host.Client.ObserveBatchAsync(MapWire.Batch("named", "", MapWire.Named("a", 5, 3, -2, radius: 8)));

        Wire.MapLayers packed = await host.MapAsync("packed", MapWire.Around(3, -2, 10));
        Wire.MapLayers named = await host.MapAsync("named", MapWire.Around(3, -2, 10));
        Assert.Equal(MapWire.Bytes(packed), MapWire.Bytes(named));
        Assert.Contains("grass_block", named.Palette);
        Assert.DoesNotContain(named.Palette, n => n.StartsWith("minecraft:", StringComparison.Ordinal)); // the prefix is dropped
        Assert.Equal(MapWire.SurfaceY(3, -2), MapWire.ValueAt(named, Wire.MapLayer.Height, 3, -2));
    }

    [Fact]
    public async Task Frontiers_are_ranked_and_a_place_marked_unreachable_is_set_aside_with_its_reason()
    {
        await using var host = MapHost.Start(_folder.Path);
        var client = host.Client;
        await client.OpenEpisodeAsync(new Wire.OpenEpisodeRequest { EpisodeId = "f" });
        await client.ObserveBatchAsync(MapWire.Batch("f", "1", MapWire.Packed("scout", 1, 0, 0, radius: 12)));

        Wire.FrontierReport report = await client.GetFrontiersAsync(new Wire.GetFrontiersRequest { EpisodeId = "f", AgentId = "scout", IncludeCells = true });
        Assert.Equal("scout", report.AgentId);
        Assert.Equal("", report.WhyNone);
        Assert.NotEmpty(report.Frontiers);
        Assert.Equal(Enumerable.Range(1, report.Frontiers.Count), report.Frontiers.Select(f => f.Rank));
        Assert.True(report.Frontiers.Zip(report.Frontiers.Skip(1)).All(p => p.First.Score >= p.Second.Score), "highest score first");
        Assert.All(report.Frontiers, f => Assert.Equal(f.Size, f.Cells.Count));
        Assert.All(report.Frontiers, f => Assert.True(f.Size >= 3, "min_size defaults to 3"));
        Assert.All(report.Frontiers, f => Assert.InRange(f.UnseenArea, 1, 33 * 33)); // unexplored columns around the goal
        Assert.True(report.Stats.InferredCells > 0, "ground is inferred past the observed disc");
        Assert.Contains(report.Frontiers, f => f.InferredCells > 0);
        Wire.FrontierReport observed = await client.GetFrontiersAsync(new Wire.GetFrontiersRequest { EpisodeId = "f", AgentId = "scout", ObservedOnly = true });
        Assert.Equal(0, observed.Stats.InferredCells);
        Assert.All(observed.Frontiers, f => Assert.Equal(0, f.InferredCells));

        Wire.Frontier best = report.Frontiers[0];
        Wire.BlacklistEntry entry = await client.MarkFrontierUnreachableAsync(new Wire.MarkFrontierUnreachableRequest
        {
            EpisodeId = "f", Cell = best.Goal, Reason = "cliff in the way",
        });
        Assert.Equal(3, entry.Radius); // 0 means 3
        Assert.Equal("", entry.AgentId);

        Wire.FrontierReport after = await client.GetFrontiersAsync(new Wire.GetFrontiersRequest { EpisodeId = "f", AgentId = "scout" });
        Assert.Contains(after.SetAside, s => s.Reason.Contains("cliff in the way") && s.Size == best.Size);
        Assert.DoesNotContain(after.Frontiers, f => f.Goal.Equals(best.Goal));
        Assert.Empty(after.Frontiers.SelectMany(f => f.Cells)); // cells only when asked for

        // No frontier at all: the report says why instead.
        Wire.FrontierReport none = await client.GetFrontiersAsync(new Wire.GetFrontiersRequest { EpisodeId = "f", AgentId = "scout", MinSize = 100_000 });
        Assert.Empty(none.Frontiers);
        Assert.NotEqual("", none.WhyNone);
    }

    [Fact]
    public async Task Landmarks_and_sounds_are_located_named_and_found_by_name()
    {
        await using var host = MapHost.Start(_folder.Path);
        var client = host.Client;
        await client.OpenEpisodeAsync(new Wire.OpenEpisodeRequest { EpisodeId = "t" });
        var first = MapWire.Packed("scout", 10, 0, 0, radius: 6);
        first.Entities.Add(MapWire.Entity("minecraft:cow", 4.5, 70, 2.5));
        first.Sounds.Add(MapWire.SoundAt("bell", 20, 70, -20));
        var second = MapWire.Packed("scout", 20, 0, 0, radius: 6);
        second.Entities.Add(MapWire.Entity("cow", 5.5, 70, 2.5, confidence: 0.5f)); // within 3 blocks: the same cow
        await client.ObserveBatchAsync(MapWire.Batch("t", "1", first, second));

        Wire.LocateTargetsResponse cows = await client.LocateTargetsAsync(new Wire.LocateTargetsRequest { EpisodeId = "t", Name = "COW", AgentId = "scout" });
        Wire.TargetMatch cow = Assert.Single(cows.Matches);
        Assert.Equal(Wire.TargetKind.Landmark, cow.Kind);
        Assert.Equal(2, cow.Sightings);
        Assert.Equal(5.5, cow.Position.X, 3);
        Assert.True(cow.HasDistance);
        Assert.NotEqual("", cow.Direction);

        Wire.Landmark named = await client.NameLandmarkAsync(new Wire.NameLandmarkRequest { EpisodeId = "t", LandmarkId = cow.Id, Label = "Bessie" });
        Assert.Equal("Bessie", named.Label);
        Assert.Equal("cow", named.Kind);
        Assert.Equal(20, named.LastTick);
        Assert.Equal(1.0, named.DetectionConfidence, 6); // unset confidence is 1
        Assert.Equal(named.DetectionConfidence, named.Confidence, 6); // seen at the latest tick: no decay yet
        Assert.Equal(cow.Id, Assert.Single((await client.LocateTargetsAsync(new Wire.LocateTargetsRequest { EpisodeId = "t", Name = "bessie" })).Matches).Id);

        Wire.TargetMatch bell = Assert.Single((await client.LocateTargetsAsync(new Wire.LocateTargetsRequest { EpisodeId = "t", Name = "bell" })).Matches);
        Assert.Equal(Wire.TargetKind.Sound, bell.Kind);
        Assert.True(bell.Located);
        Assert.Equal(20, bell.Position.X, 3);
        Assert.Equal(-20, bell.Position.Z, 3);
        Assert.False(bell.HasDistance); // no agent given

        Assert.Empty((await client.LocateTargetsAsync(new Wire.LocateTargetsRequest { EpisodeId = "t", Name = "zombie" })).Matches);
    }

    [Fact]
    public async Task A_sound_heard_only_as_bearings_from_two_places_is_located()
    {
        await using var host = MapHost.Start(_folder.Path);
        var client = host.Client;
        await client.OpenEpisodeAsync(new Wire.OpenEpisodeRequest { EpisodeId = "s" });
        var source = new Vec3(30, 70, 10);
        var one = MapWire.Packed("scout", 1, 0, 0, radius: 2);
        var two = MapWire.Packed("scout", 2, 0, 30, radius: 2);
        one.Sounds.Add(MapWire.SoundToward("zombie", Eye(one.Pose), source));
        two.Sounds.Add(MapWire.SoundToward("zombie", Eye(two.Pose), source));
        await client.ObserveBatchAsync(MapWire.Batch("s", "1", one, two));

        Wire.TargetMatch zombie = Assert.Single((await client.LocateTargetsAsync(new Wire.LocateTargetsRequest { EpisodeId = "s", Name = "zombie" })).Matches);
        Assert.True(zombie.Located);
        Assert.InRange(Math.Sqrt(Math.Pow(zombie.Position.X - source.X, 2) + Math.Pow(zombie.Position.Z - source.Z, 2)), 0, 1.0);
    }

    private static Vec3 Eye(Wire.Pose pose) => new(pose.X, pose.Y + 1.62, pose.Z);

    [Fact]
    public async Task RenderMap_answers_a_PNG_of_the_size_asked_and_DescribeMap_a_text_about_the_agents()
    {
        await using var host = MapHost.Start(_folder.Path);
        var client = host.Client;
        await client.OpenEpisodeAsync(new Wire.OpenEpisodeRequest { EpisodeId = "r" });
        var seen = MapWire.Packed("scout", 40, 0, 0, radius: 10);
        seen.Entities.Add(MapWire.Entity("villager", 3.5, 70, 3.5));
        await client.ObserveBatchAsync(MapWire.Batch("r", "1", seen, MapWire.Packed("miner", 60, 6, 6, radius: 5)));

        Wire.RenderedMap picture = await client.RenderMapAsync(new Wire.RenderMapRequest { EpisodeId = "r", WidthPx = 320, HeightPx = 200 });
        using (SKBitmap bitmap = SKBitmap.Decode(picture.Png.ToByteArray()))
        {
            Assert.NotNull(bitmap);
            Assert.Equal((320, 200), (bitmap.Width, bitmap.Height));
            Assert.True(Enumerable.Range(0, 50).Select(i => bitmap.GetPixel(i * 6, 100)).Distinct().Count() > 3, "the picture shows something");
        }
        Assert.Equal(60, picture.Tick);

        Wire.RenderedMap defaults = await client.RenderMapAsync(new Wire.RenderMapRequest { EpisodeId = "r", Region = MapWire.Around(0, 0, 16), Base = Wire.RenderBase.Height });
        Assert.Equal((512, 512), Requests.DecodePng(defaults.Png));
        Assert.Equal((512, 512), (defaults.WidthPx, defaults.HeightPx));

        Wire.MapDescription text = await client.DescribeMapAsync(new Wire.DescribeMapRequest { EpisodeId = "r", AgentId = "scout" });
        Assert.Contains("scout", text.Text);
        Assert.Contains("miner", text.Text);
        Assert.Contains("villager", text.Text);
        Assert.Equal(60, text.Tick);
    }

    [Fact]
    public async Task ListAgents_ListEpisodes_and_CloseEpisode()
    {
        await using var host = MapHost.Start(_folder.Path);
        var client = host.Client;
        await client.OpenEpisodeAsync(new Wire.OpenEpisodeRequest { EpisodeId = "a" });
        await client.OpenEpisodeAsync(new Wire.OpenEpisodeRequest { EpisodeId = "b" });
        await client.ObserveBatchAsync(MapWire.Batch("a", "1",
            MapWire.Packed("scout", 1, 0, 0, radius: 3), MapWire.Packed("scout", 2, 4, 0, radius: 3), MapWire.Packed("miner", 2, 0, 4, radius: 3)));

        Wire.ListAgentsResponse agents = await client.ListAgentsAsync(new Wire.ListAgentsRequest { EpisodeId = "a", IncludeTrails = true });
        Assert.Equal(new[] { "miner", "scout" }, agents.Agents.Select(a => a.AgentId));
        Wire.AgentInfo scout = agents.Agents[1];
        Assert.Equal(2, scout.Observations);
        Assert.Equal(new long[] { 1, 2 }, scout.Trail.Select(p => p.Tick));
        Assert.Equal(4.5, scout.Pose.X, 6);
        Assert.Equal(4.0, scout.PathLength, 1);
        Assert.Empty((await client.ListAgentsAsync(new Wire.ListAgentsRequest { EpisodeId = "a" })).Agents[1].Trail);

        Wire.EpisodeInfo closed = await client.CloseEpisodeAsync(new Wire.CloseEpisodeRequest { EpisodeId = "b" });
        Assert.True(closed.Closed);
        Assert.NotNull(closed.ClosedAt);
        Assert.True((await client.CloseEpisodeAsync(new Wire.CloseEpisodeRequest { EpisodeId = "b" })).Closed); // idempotent

        Wire.ListEpisodesResponse open = await client.ListEpisodesAsync(new Wire.ListEpisodesRequest());
        Wire.ListEpisodesResponse all = await client.ListEpisodesAsync(new Wire.ListEpisodesRequest { IncludeClosed = true });
        Assert.Equal(new[] { "a" }, open.Episodes.Select(e => e.EpisodeId));
        Assert.Equal(new[] { "a", "b" }, all.Episodes.Select(e => e.EpisodeId).Order());
        Wire.EpisodeInfo a = open.Episodes[0];
        Assert.Equal(2, a.Stats.Agents);
        Assert.Equal(2, a.Stats.Tick);
        Assert.True(a.Stats.BlockObservations > 0 && a.Stats.Chunks > 0);

        // Closed: still readable; delete forgets it and its files.
        await host.MapAsync("b");
        await client.CloseEpisodeAsync(new Wire.CloseEpisodeRequest { EpisodeId = "b", Delete = true });
        Assert.False(Directory.Exists(Path.Combine(_folder.Path, "episodes", "b")));
        Assert.True(Directory.Exists(Path.Combine(_folder.Path, "episodes", "a")));
        RpcException gone = await Rpc.FailsAsync(() => host.MapAsync("b"));
        Assert.Equal(StatusCode.NotFound, gone.StatusCode);
    }
}
