using Expert.Host.Tests.Infrastructure;
using Google.Protobuf;
using Grpc.Core;
using Steve2.Expert.V1;
using VoxelGrid = Expert.VqVae.Voxels.OccupancyGrid;

namespace Expert.Host.Tests;

/// <summary>Every bad input is INVALID_ARGUMENT naming its field, and never reaches the model.</summary>
public sealed class ValidationTests : IAsyncLifetime
{
    private readonly ExpertHostFactory _host = new();
    private OccupancyExpert.OccupancyExpertClient _client = null!;

    public async Task InitializeAsync()
    {
        await _host.ReadyAsync();
        _client = _host.CreateExpertClient();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public static TheoryData<string, string> BadGenerateRequests() => new()
    {
        { "empty description", "description" },
        { "whitespace description", "description" },
        { "1001-character description", "description" },
        { "temperature 5.5", "temperature" },
        { "temperature -0.1", "temperature" },
        { "temperature NaN", "temperature" },
        { "top_k 4097", "top_k" },
        { "samples 9", "samples" },
        { "decode_steps 33", "decode_steps" },
        { "guidance 10.5", "guidance" },
        { "guidance -1", "guidance" },
        { "unknown view", "views" },
        { "view twice", "views" },
        { "render_size 31", "render_size" },
        { "render_size 1025", "render_size" },
    };

    private static GenerateOccupancyRequest Build(string name)
    {
        GenerateOccupancyRequest r = Requests.Generate();
        switch (name)
        {
            case "empty description": r.Description = ""; break;
            case "whitespace description": r.Description = " \t\n "; break;
            case "1001-character description": r.Description = new string('a', 1001); break;
            case "temperature 5.5": r.Temperature = 5.5f; break;
            case "temperature -0.1": r.Temperature = -0.1f; break;
            case "temperature NaN": r.Temperature = float.NaN; break;
            case "top_k 4097": r.TopK = 4097; break;
            case "samples 9": r.Samples = 9; break;
            case "decode_steps 33": r.DecodeSteps = 33; break;
            case "guidance 10.5": r.Guidance = 10.5f; break;
            case "guidance -1": r.Guidance = -1f; break;
            case "unknown view": r.Views.Add("front"); r.Views.Add("sideways"); break;
            case "view twice": r.Views.Add("top"); r.Views.Add("Top"); break;
            case "render_size 31": r.RenderSize = 31; break;
            case "render_size 1025": r.RenderSize = 1025; break;
            default: throw new ArgumentException(name);
        }
        return r;
    }

    [Theory]
    [MemberData(nameof(BadGenerateRequests))]
    public async Task GenerateOccupancy_refuses(string name, string field)
    {
        RpcException e = await Rpc.FailsAsync(() => _client.GenerateOccupancyAsync(Build(name)).ResponseAsync);

        Assert.Equal([field], Rpc.ViolatedFields(e));
        Assert.Equal(0, _host.Generator.Calls);
    }

    [Theory]
    [MemberData(nameof(BadGenerateRequests))]
    public async Task GenerateOccupancyStream_refuses_before_any_message(string name, string field)
    {
        using AsyncServerStreamingCall<GenerateOccupancyUpdate> call = _client.GenerateOccupancyStream(Build(name));

        RpcException e = await Rpc.FailsAsync(() => call.ResponseStream.MoveNext());

        Assert.Equal([field], Rpc.ViolatedFields(e));
        Assert.Equal(0, _host.Generator.Calls);
    }

    [Fact]
    public async Task All_bad_fields_are_reported_at_once()
    {
        GenerateOccupancyRequest r = Requests.Generate("");
        r.Samples = 100;
        r.RenderSize = 2;

        RpcException e = await Rpc.FailsAsync(() => _client.GenerateOccupancyAsync(r).ResponseAsync);

        Assert.Equal(["description", "samples", "render_size"], Rpc.ViolatedFields(e));
        Assert.Contains("description", e.Status.Detail);
    }

    public static TheoryData<string, string> BadGrids() => new()
    {
        { "missing", "grid" },
        { "size_x 0", "grid.size_x" },
        { "size_y 257", "grid.size_y" },
        { "size_z 0", "grid.size_z" },
        { "too few bytes", "grid.occupancy" },
        { "too many bytes", "grid.occupancy" },
        { "padding bits set", "grid.occupancy" },
    };

    private static Steve2.Expert.V1.OccupancyGrid? BadGrid(string name)
    {
        // 3x3x3 = 27 voxels: 4 bytes, the top 5 bits of the last byte are padding.
        Steve2.Expert.V1.OccupancyGrid g = Requests.Wire(new VoxelGrid(3, 3, 3));
        switch (name)
        {
            case "missing": return null;
            case "size_x 0": g.SizeX = 0; break;
            case "size_y 257": g.SizeY = 257; break;
            case "size_z 0": g.SizeZ = 0; break;
            case "too few bytes": g.Occupancy = ByteString.CopyFrom(new byte[3]); break;
            case "too many bytes": g.Occupancy = ByteString.CopyFrom(new byte[5]); break;
            case "padding bits set": g.Occupancy = ByteString.CopyFrom(0, 0, 0, 0b1000_0000); break;
            default: throw new ArgumentException(name);
        }
        return g;
    }

    [Theory]
    [MemberData(nameof(BadGrids))]
    public async Task RenderOccupancy_refuses_a_bad_grid(string name, string field)
    {
        var request = new RenderOccupancyRequest { Grid = BadGrid(name) };

        RpcException e = await Rpc.FailsAsync(() => _client.RenderOccupancyAsync(request).ResponseAsync);

        Assert.Equal([field], Rpc.ViolatedFields(e));
    }

    [Theory]
    [MemberData(nameof(BadGrids))]
    public async Task GetBuildOrder_refuses_a_bad_grid(string name, string field)
    {
        var request = new GetBuildOrderRequest { Grid = BadGrid(name) };

        RpcException e = await Rpc.FailsAsync(() => _client.GetBuildOrderAsync(request).ResponseAsync);

        Assert.Equal([field], Rpc.ViolatedFields(e));
    }

    [Fact]
    public async Task RenderOccupancy_refuses_unknown_views_and_sizes()
    {
        var request = new RenderOccupancyRequest { Grid = Requests.Wire(Requests.SmallBuilding()), RenderSize = 5000, Views = { "under" } };

        RpcException e = await Rpc.FailsAsync(() => _client.RenderOccupancyAsync(request).ResponseAsync);

        Assert.Equal(["views", "render_size"], Rpc.ViolatedFields(e));
    }

    [Fact]
    public async Task The_host_keeps_serving_after_bad_input()
    {
        await Rpc.FailsAsync(() => _client.GenerateOccupancyAsync(Requests.Generate("")).ResponseAsync);
        await Rpc.FailsAsync(() => _client.RenderOccupancyAsync(new RenderOccupancyRequest()).ResponseAsync);

        GenerateOccupancyResponse ok = await _client.GenerateOccupancyAsync(Requests.Generate());

        Assert.Equal(32u, ok.Grid.SizeX);
    }
}
