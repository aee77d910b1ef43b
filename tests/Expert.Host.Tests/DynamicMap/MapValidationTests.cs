using Expert.Host.Tests.Infrastructure;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Wire = Steve2.Expert.V1;

namespace Expert.Host.Tests.DynamicMap;

/// <summary>Each bad input gets its status code and names its field; a refused batch leaves the map as it was.</summary>
public sealed class MapValidationTests : IDisposable
{
    private readonly MapFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>Breaks a good two-observation batch in one way.</summary>
    public static TheoryData<string, string> BadBatches => new()
    {
        { "nan pose", "observations[1].pose.x" },
        { "infinite pose", "observations[0].pose.z" },
        { "pose above the world", "observations[0].pose.y" },
        { "missing pose", "observations[1].pose" },
        { "pitch", "observations[0].pose.pitch" },
        { "block beyond the bounds", "observations[0].blocks[3].y" },
        { "block out of sight", "observations[0].blocks[0]" },
        { "empty agent", "observations[1].agent_id" },
        { "empty block name", "observations[0].blocks[0].block" },
        { "palette index", "observations[0].blocks[2].block" },
        { "empty entity name", "observations[0].entities[0].name" },
        { "nan entity", "observations[0].entities[0].x" },
        { "entity confidence", "observations[0].entities[0].confidence" },
        { "empty sound name", "observations[1].sounds[0].name" },
        { "zero sound direction", "observations[1].sounds[0].direction" },
        { "sound without place", "observations[1].sounds[0]" },
        { "both block forms", "observations[0].packed_blocks" },
        { "torn packed blocks", "observations[0].packed_blocks.cells" },
        { "negative tick", "observations[1].tick" },
        { "no observations", "observations" },
    };

    private static Wire.ObservationBatch Break(string how)
    {
        var a = MapWire.Packed("scout", 10, 0, 0, radius: 6);
        var b = MapWire.Named("scout", 11, 2, 0, radius: 6);
        a.Entities.Add(MapWire.Entity("cow", 3, 70, 3));
        b.Sounds.Add(MapWire.SoundAt("bell", 5, 70, 5));
        switch (how)
        {
            case "nan pose": b.Pose.X = double.NaN; break;
            case "infinite pose": a.Pose.Z = double.PositiveInfinity; break;
            case "pose above the world": a.Pose.Y = 400; break;
            case "missing pose": b.Pose = null; break;
            case "pitch": a.Pose.Pitch = 120; break;
            case "block beyond the bounds": a.PackedBlocks = Packed(a.PackedBlocks, 3, (0, 330, 0)); break;
            case "block out of sight": a.PackedBlocks = Packed(a.PackedBlocks, 0, (500, 64, 0)); break;
            case "empty agent": b.AgentId = ""; break;
            case "empty block name": a.PackedBlocks.Palette[ReadIndex(a.PackedBlocks, 0)] = ""; break;
            case "palette index": a.PackedBlocks = Packed(a.PackedBlocks, 2, null, index: 99); break;
            case "empty entity name": a.Entities[0].Name = " "; break;
            case "nan entity": a.Entities[0].X = double.NaN; break;
            case "entity confidence": a.Entities[0].Confidence = 1.5f; break;
            case "empty sound name": b.Sounds[0].Name = ""; break;
            case "zero sound direction": b.Sounds[0].Direction = new Wire.MapVec3(); break;
            case "sound without place": b.Sounds[0].ClearPlace(); break;
            case "both block forms": a.Blocks.Add(new Wire.BlockSeen { X = 1, Y = 64, Z = 1, Block = "stone" }); break;
            case "torn packed blocks": a.PackedBlocks.Cells = ByteString.CopyFrom(a.PackedBlocks.Cells.Span[..^3]); break;
            case "negative tick": b.Tick = -1; break;
            case "no observations": return new Wire.ObservationBatch { EpisodeId = "v", BatchId = "bad" };
            default: throw new ArgumentException(how);
        }
        return MapWire.Batch("v", "bad", a, b);
    }

    private static int ReadIndex(Wire.PackedBlocks packed, int j) => BitConverter.ToInt32(packed.Cells.Span.Slice(j * 16 + 12, 4));

    /// <summary>The packed blocks with block j moved to a cell and/or given another palette index.</summary>
    private static Wire.PackedBlocks Packed(Wire.PackedBlocks packed, int j, (int X, int Y, int Z)? cell, int? index = null)
    {
        byte[] bytes = packed.Cells.ToByteArray();
        if (cell is var (x, y, z))
        {
            BitConverter.TryWriteBytes(bytes.AsSpan(j * 16), x);
            BitConverter.TryWriteBytes(bytes.AsSpan(j * 16 + 4), y);
            BitConverter.TryWriteBytes(bytes.AsSpan(j * 16 + 8), z);
        }
        if (index is int i) BitConverter.TryWriteBytes(bytes.AsSpan(j * 16 + 12), i);
        var copy = new Wire.PackedBlocks { Cells = ByteString.CopyFrom(bytes) };
        copy.Palette.AddRange(packed.Palette);
        return copy;
    }

    [Theory]
    [MemberData(nameof(BadBatches))]
    public async Task A_bad_batch_is_INVALID_ARGUMENT_naming_its_field_and_changes_nothing(string how, string field)
    {
        await using var host = MapHost.Start(_folder.Path);
        await host.Client.OpenEpisodeAsync(new Wire.OpenEpisodeRequest { EpisodeId = "v" });
        await host.Client.ObserveBatchAsync(MapWire.Batch("v", "good", MapWire.Packed("scout", 1, -3, -3, radius: 5)));
        Wire.EpisodeInfo before = await host.InfoAsync("v");
        byte[] mapBefore = MapWire.Bytes(await host.MapAsync("v"));

        RpcException e = await Rpc.FailsAsync(() => host.Client.ObserveBatchAsync(Break(how)).ResponseAsync);

        Assert.Contains(field, Rpc.ViolatedFields(e));
        Assert.Equal(before.Stats, (await host.InfoAsync("v")).Stats);
        Assert.Equal(mapBefore, MapWire.Bytes(await host.MapAsync("v")));
    }

    [Fact]
    public async Task The_unbroken_batch_of_the_bad_batch_cases_is_accepted()
    {
        await using var host = MapHost.Start(_folder.Path);
        await host.Client.OpenEpisodeAsync(new Wire.OpenEpisodeRequest { EpisodeId = "v" });
        var good = Break("nan pose");
        good.Observations[1].Pose.X = 2.5;
        Wire.BatchResult result = await host.Client.ObserveBatchAsync(good);
        Assert.True(result.Applied);
        Assert.Equal(2, result.Observations);
    }

    [Fact]
    public async Task Oversized_batches_are_INVALID_ARGUMENT_on_observations()
    {
        await using var host = MapHost.Start(_folder.Path, new Dictionary<string, string?>
        {
            ["Map:MaxBlocksPerBatch"] = "300",
            ["Map:MaxObservationsPerBatch"] = "2",
        });
        await host.Client.OpenEpisodeAsync(new Wire.OpenEpisodeRequest { EpisodeId = "v" });

        RpcException tooManyBlocks = await Rpc.FailsAsync(() => host.Client.ObserveBatchAsync(MapWire.Batch("v", "", MapWire.Packed("a", 1, 0, 0, radius: 12))).ResponseAsync);
        RpcException tooMany = await Rpc.FailsAsync(() => host.Client.ObserveBatchAsync(MapWire.Batch("v", "",
            MapWire.Packed("a", 1, 0, 0, radius: 1), MapWire.Packed("a", 2, 0, 0, radius: 1), MapWire.Packed("a", 3, 0, 0, radius: 1))).ResponseAsync);

        Assert.Equal(new[] { "observations" }, Rpc.ViolatedFields(tooManyBlocks));
        Assert.Contains("at most 300", tooManyBlocks.Status.Detail);
        Assert.Equal(new[] { "observations" }, Rpc.ViolatedFields(tooMany));
        Assert.Equal(0, (await host.InfoAsync("v")).Stats.Version);
        Assert.True((await host.Client.ObserveBatchAsync(MapWire.Batch("v", "", MapWire.Packed("a", 1, 0, 0, radius: 1)))).Applied);
    }

    [Fact]
    public async Task Unknown_episodes_are_NOT_FOUND_on_every_kind_of_call()
    {
        await using var host = MapHost.Start(_folder.Path);
        var client = host.Client;

        RpcException observe = await Rpc.FailsAsync(() => client.ObserveBatchAsync(MapWire.Batch("nope", "", MapWire.Packed("a", 1, 0, 0, radius: 2))).ResponseAsync);
        RpcException map = await Rpc.FailsAsync(() => host.MapAsync("nope"));
        RpcException close = await Rpc.FailsAsync(() => client.CloseEpisodeAsync(new Wire.CloseEpisodeRequest { EpisodeId = "nope" }).ResponseAsync);
        RpcException describe = await Rpc.FailsAsync(() => client.DescribeMapAsync(new Wire.DescribeMapRequest { EpisodeId = "nope" }).ResponseAsync);
        RpcException watch = await Rpc.FailsAsync(async () =>
        {
            using var call = client.WatchMap(new Wire.WatchMapRequest { EpisodeId = "nope" });
            await call.ResponseStream.MoveNext(CancellationToken.None);
        });

        Assert.All(new[] { observe, map, close, describe, watch }, e => Assert.Equal(StatusCode.NotFound, e.StatusCode));
        Assert.Equal("nope", MapErrors.Detail<ResourceInfo>(observe).ResourceName);
        Assert.Contains("'nope'", observe.Status.Detail);

        // Within an episode: an unknown agent or landmark is NOT_FOUND too.
        await client.OpenEpisodeAsync(new Wire.OpenEpisodeRequest { EpisodeId = "e" });
        RpcException agent = await Rpc.FailsAsync(() => client.GetFrontiersAsync(new Wire.GetFrontiersRequest { EpisodeId = "e", AgentId = "ghost" }).ResponseAsync);
        RpcException landmark = await Rpc.FailsAsync(() => client.NameLandmarkAsync(new Wire.NameLandmarkRequest { EpisodeId = "e", LandmarkId = 42, Label = "x" }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, agent.StatusCode);
        Assert.Equal(StatusCode.NotFound, landmark.StatusCode);
    }

    [Fact]
    public async Task A_closed_episode_is_FAILED_PRECONDITION_for_changes_and_still_readable()
    {
        await using var host = MapHost.Start(_folder.Path);
        var client = host.Client;
        await client.OpenEpisodeAsync(new Wire.OpenEpisodeRequest { EpisodeId = "c" });
        var seen = MapWire.Packed("a", 1, 0, 0, radius: 3);
        seen.Entities.Add(MapWire.Entity("cow", 1, 70, 1));
        await client.ObserveBatchAsync(MapWire.Batch("c", "1", seen));
        long cowId = (await client.LocateTargetsAsync(new Wire.LocateTargetsRequest { EpisodeId = "c", Name = "cow" })).Matches[0].Id;
        await client.CloseEpisodeAsync(new Wire.CloseEpisodeRequest { EpisodeId = "c" });

        RpcException observe = await Rpc.FailsAsync(() => client.ObserveBatchAsync(MapWire.Batch("c", "2", MapWire.Packed("a", 2, 0, 0, radius: 3))).ResponseAsync);
        RpcException name = await Rpc.FailsAsync(() => client.NameLandmarkAsync(new Wire.NameLandmarkRequest { EpisodeId = "c", LandmarkId = cowId, Label = "x" }).ResponseAsync);
        RpcException mark = await Rpc.FailsAsync(() => client.MarkFrontierUnreachableAsync(new Wire.MarkFrontierUnreachableRequest
        {
            EpisodeId = "c", Cell = new Wire.MapCell { X = 1, Y = 64, Z = 1 }, Reason = "wall",
        }).ResponseAsync);
        RpcException reopen = await Rpc.FailsAsync(() => client.OpenEpisodeAsync(new Wire.OpenEpisodeRequest { EpisodeId = "c" }).ResponseAsync);

        Assert.All(new[] { observe, name, mark, reopen }, e => Assert.Equal(StatusCode.FailedPrecondition, e.StatusCode));
        var violation = Assert.Single(MapErrors.Detail<PreconditionFailure>(observe).Violations);
        Assert.Equal(("EPISODE_CLOSED", "episodes/c"), (violation.Type, violation.Subject));
        Assert.Equal(1, MapWire.ValueAt(await host.MapAsync("c"), Wire.MapLayer.Explored, 0, 0));
    }

    [Fact]
    public async Task Too_many_episodes_is_RESOURCE_EXHAUSTED_with_the_limit_named()
    {
        await using var host = MapHost.Start(_folder.Path, new Dictionary<string, string?> { ["Map:MaxOpenEpisodes"] = "2" });
        var client = host.Client;
        await client.OpenEpisodeAsync(new Wire.OpenEpisodeRequest { EpisodeId = "one" });
        await client.OpenEpisodeAsync(new Wire.OpenEpisodeRequest { EpisodeId = "two" });

        RpcException e = await Rpc.FailsAsync(() => client.OpenEpisodeAsync(new Wire.OpenEpisodeRequest { EpisodeId = "three" }).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
        ErrorInfo info = MapErrors.Info(e, "MAP_LIMIT_EXCEEDED");
        Assert.Equal("MaxOpenEpisodes", info.Metadata["limit"]);
        Assert.Equal("2", info.Metadata["allowed"]);
        Assert.Equal("3", info.Metadata["requested"]);
        await client.CloseEpisodeAsync(new Wire.CloseEpisodeRequest { EpisodeId = "one" });
        Assert.Equal("three", (await client.OpenEpisodeAsync(new Wire.OpenEpisodeRequest { EpisodeId = "three" })).EpisodeId);
    }

    [Fact]
    public async Task Too_many_cells_is_RESOURCE_EXHAUSTED_and_the_batch_changes_nothing()
    {
        await using var host = MapHost.Start(_folder.Path, new Dictionary<string, string?> { ["Map:MaxChunksPerEpisode"] = "16" });
        var client = host.Client;
        await client.OpenEpisodeAsync(new Wire.OpenEpisodeRequest { EpisodeId = "small" });
        await client.ObserveBatchAsync(MapWire.Batch("small", "1", MapWire.Packed("a", 1, 0, 0, radius: 4)));
        Wire.EpisodeInfo before = await host.InfoAsync("small");
        Assert.InRange(before.Stats.Chunks, 1, 16);

        RpcException e = await Rpc.FailsAsync(() => client.ObserveBatchAsync(MapWire.Batch("small", "2",
            MapWire.Packed("a", 2, 0, 0, radius: 4), MapWire.Packed("a", 3, 200, 200, radius: 30))).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
        Assert.Equal("MaxChunksPerEpisode", MapErrors.Info(e, "MAP_LIMIT_EXCEEDED").Metadata["limit"]);
        Assert.Equal(before.Stats, (await host.InfoAsync("small")).Stats);
        Assert.Contains(host.Factory.Logs.Entries, l => l.Message.Contains("ObserveBatch refused") && l.Message.Contains("MaxChunksPerEpisode"));
    }

    [Fact]
    public async Task GetMap_without_a_region_answers_the_explored_columns_or_says_why_they_are_too_many()
    {
        await using var host = MapHost.Start(_folder.Path, new Dictionary<string, string?> { ["Map:MaxGetMapBytes"] = "200000" });
        var client = host.Client;
        await client.OpenEpisodeAsync(new Wire.OpenEpisodeRequest { EpisodeId = "e" });
        await client.ObserveBatchAsync(MapWire.Batch("e", "1", MapWire.Packed("a", 1, 0, 0, radius: 3)));

        Wire.MapLayers map = await client.GetMapAsync(new Wire.GetMapRequest { EpisodeId = "e", Layers = { Wire.MapLayer.Explored } });

        // The answer names the region it covers: every observed column is inside it, and it is no wider than the chunks seen.
        Wire.MapRegion r = map.Region;
        Assert.InRange(r.Width, 7, 64);
        Assert.InRange(r.Depth, 7, 64);
        Assert.True(r.X0 <= -2 && r.X0 + r.Width > 4 && r.Z0 <= -3 && r.Z0 + r.Depth > 3, $"{r}");
        byte[] explored = map.Planes.Single().Data.ToByteArray();
        Assert.Equal(r.Width * r.Depth, explored.Length);
        Assert.Contains(explored, b => b != 0);

        // An explored area too big for Map:MaxGetMapBytes is refused with the area it would have answered.
        await client.ObserveBatchAsync(MapWire.Batch("e", "2", MapWire.Packed("a", 2, 400, 400, radius: 3)));
        RpcException e = await Rpc.FailsAsync(() => client.GetMapAsync(new Wire.GetMapRequest { EpisodeId = "e" }).ResponseAsync);
        Assert.Equal(new[] { "region" }, Rpc.ViolatedFields(e));
        Assert.Contains("unset, so the explored", e.GetRpcStatus()!.GetDetail<Google.Rpc.BadRequest>().FieldViolations.Single().Description);
    }

    [Fact]
    public async Task Bad_fields_of_the_other_calls_are_INVALID_ARGUMENT_with_their_names()
    {
        await using var host = MapHost.Start(_folder.Path, new Dictionary<string, string?> { ["Map:MaxGetMapBytes"] = "200000" });
        var client = host.Client;
        await client.OpenEpisodeAsync(new Wire.OpenEpisodeRequest { EpisodeId = "e" });
        await client.ObserveBatchAsync(MapWire.Batch("e", "1", MapWire.Packed("a", 1, 0, 0, radius: 3)));

        async Task<IReadOnlyList<string>> Fields(Func<Task> call) => Rpc.ViolatedFields(await Rpc.FailsAsync(call));

        Assert.Equal(new[] { "episode_id" }, await Fields(() => client.OpenEpisodeAsync(new Wire.OpenEpisodeRequest { EpisodeId = "../etc" }).ResponseAsync));
        Assert.Equal(new[] { "episode_id" }, await Fields(() => client.ObserveBatchAsync(MapWire.Batch("", "", MapWire.Packed("a", 1, 0, 0, radius: 1))).ResponseAsync));
        Assert.Equal(new[] { "region" }, await Fields(() => client.GetMapAsync(new Wire.GetMapRequest { EpisodeId = "e", Region = MapWire.Around(0, 0, 100) }).ResponseAsync));
        Assert.Equal(new[] { "layers[1]" }, await Fields(() => client.GetMapAsync(new Wire.GetMapRequest
        {
            EpisodeId = "e", Region = MapWire.Around(0, 0, 4), Layers = { Wire.MapLayer.Height, Wire.MapLayer.Unspecified },
        }).ResponseAsync));
        Assert.Contains("region.width", await Fields(() => client.GetMapAsync(new Wire.GetMapRequest
        {
            EpisodeId = "e", Region = new Wire.MapRegion { Width = 0, Depth = 4, YMin = 0, YMax = 100 },
        }).ResponseAsync));
        Assert.Equal(new[] { "name" }, await Fields(() => client.LocateTargetsAsync(new Wire.LocateTargetsRequest { EpisodeId = "e", Name = " " }).ResponseAsync));
        Assert.Equal(new[] { "agent_id" }, await Fields(() => client.GetFrontiersAsync(new Wire.GetFrontiersRequest { EpisodeId = "e" }).ResponseAsync));
        Assert.Equal(new[] { "radius" }, await Fields(() => client.GetFrontiersAsync(new Wire.GetFrontiersRequest { EpisodeId = "e", AgentId = "a", Radius = -5 }).ResponseAsync));
        Assert.Equal(new[] { "cell" }, await Fields(() => client.MarkFrontierUnreachableAsync(new Wire.MarkFrontierUnreachableRequest { EpisodeId = "e", Reason = "x" }).ResponseAsync));
        Assert.Equal(new[] { "reason" }, await Fields(() => client.MarkFrontierUnreachableAsync(new Wire.MarkFrontierUnreachableRequest
        {
            EpisodeId = "e", Cell = new Wire.MapCell { X = 1, Y = 64, Z = 1 },
        }).ResponseAsync));
        Assert.Equal(new[] { "width_px" }, await Fields(() => client.RenderMapAsync(new Wire.RenderMapRequest { EpisodeId = "e", WidthPx = 5000 }).ResponseAsync));
        Assert.Equal(new[] { "max_sounds" }, await Fields(() => client.DescribeMapAsync(new Wire.DescribeMapRequest { EpisodeId = "e", MaxSounds = -1 }).ResponseAsync));

        var seen = MapWire.Packed("a", 2, 0, 0, radius: 1);
        seen.Entities.Add(MapWire.Entity("cow", 1, 70, 1));
        await client.ObserveBatchAsync(MapWire.Batch("e", "2", seen));
        long cow = (await client.LocateTargetsAsync(new Wire.LocateTargetsRequest { EpisodeId = "e", Name = "cow" })).Matches[0].Id;
        Assert.Equal(new[] { "label" }, await Fields(() => client.NameLandmarkAsync(new Wire.NameLandmarkRequest { EpisodeId = "e", LandmarkId = cow }).ResponseAsync));
    }
}
