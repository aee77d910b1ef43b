using Expert.Host.Tests.Infrastructure;
using Grpc.Core;
using Steve2.Expert.V1;
using VoxelGrid = Expert.VqVae.Voxels.OccupancyGrid;

namespace Expert.Host.Tests;

/// <summary>RenderOccupancy and GetBuildOrder on grids the caller sends.</summary>
public sealed class RenderAndBuildOrderTests : IAsyncLifetime
{
    private readonly ExpertHostFactory _host = new(settings: new Dictionary<string, string?> { ["Rendering:MaxBuildSteps"] = "1000" });
    private OccupancyExpert.OccupancyExpertClient _client = null!;

    public async Task InitializeAsync()
    {
        await _host.ReadyAsync();
        _client = _host.CreateExpertClient();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task RenderOccupancy_renders_the_default_views_of_a_sent_grid()
    {
        VoxelGrid grid = Requests.SmallBuilding();

        RenderOccupancyResponse response = await _client.RenderOccupancyAsync(new RenderOccupancyRequest { Grid = Requests.Wire(grid) });

        Assert.Equal(["front", "side", "top", "isometric"], response.Views.Select(v => v.Name));
        Assert.All(response.Views, v => Assert.Equal((256, 256), Requests.DecodePng(v.Png)));
        Assert.Equal(4, response.Views.Select(v => v.Png).Distinct().Count()); // four different pictures
        Assert.Equal(0, _host.Generator.Calls); // rendering needs no model
    }

    [Fact]
    public async Task RenderOccupancy_draws_what_it_is_sent()
    {
        var empty = new VoxelGrid(8, 6, 5);
        var request = new RenderOccupancyRequest { Views = { "front" }, RenderSize = 48 };

        request.Grid = Requests.Wire(empty);
        RenderOccupancyResponse nothing = await _client.RenderOccupancyAsync(request);
        request.Grid = Requests.Wire(Requests.SmallBuilding());
        RenderOccupancyResponse building = await _client.RenderOccupancyAsync(request);

        Assert.Equal((48, 48), Requests.DecodePng(building.Views[0].Png));
        Assert.NotEqual(nothing.Views[0].Png, building.Views[0].Png);
    }

    [Fact]
    public async Task GetBuildOrder_places_every_block_once_each_on_the_ground_or_against_a_standing_block()
    {
        VoxelGrid grid = Requests.SmallBuilding();

        GetBuildOrderResponse response = await _client.GetBuildOrderAsync(new GetBuildOrderRequest { Grid = Requests.Wire(grid) });

        BuildOrder order = response.BuildOrder;
        Assert.Equal((uint)grid.Count(), order.PlaceCount);
        var standing = new HashSet<(int, int, int)>();
        var placed = new HashSet<(int, int, int)>();
        foreach (BuildStep step in order.Steps)
        {
            var at = ((int)step.X, (int)step.Y, (int)step.Z);
            switch (step.Action)
            {
                case BuildAction.Place or BuildAction.Scaffold:
                    bool supported = step.Y == 0 || Neighbours(at).Any(standing.Contains);
                    Assert.True(supported, $"{step.Action} at {at} floats");
                    Assert.True(standing.Add(at), $"{at} placed twice");
                    if (step.Action == BuildAction.Place)
                    {
                        Assert.True(grid[at.Item1, at.Item2, at.Item3], $"{at} is not part of the building");
                        placed.Add(at);
                    }
                    Assert.NotEqual(BlockSupport.Unspecified, step.Support);
                    break;
                case BuildAction.Remove:
                    Assert.True(standing.Remove(at), $"removes {at}, which is not standing");
                    break;
                default:
                    Assert.Fail($"unexpected action {step.Action}");
                    break;
            }
        }
        Assert.Equal(grid.Count(), placed.Count);
        Assert.Equal(order.ScaffoldCount, (uint)order.Steps.Count(s => s.Action == BuildAction.Remove));
        Assert.True(order.LayerCount >= (uint)grid.SizeY - 1);
    }

    [Fact]
    public async Task GenerateOccupancy_can_include_the_build_order_of_its_first_sample()
    {
        GenerateOccupancyRequest request = Requests.Generate("a small hut", seed: 3);
        request.IncludeBuildOrder = true;
        request.SkipRender = true;

        GenerateOccupancyResponse response = await _client.GenerateOccupancyAsync(request);
        GetBuildOrderResponse separately = await _client.GetBuildOrderAsync(new GetBuildOrderRequest { Grid = response.Grid });

        Assert.Equal((uint)Requests.Decode(response.Grid).Count(), response.BuildOrder.PlaceCount);
        Assert.Equal(separately.BuildOrder, response.BuildOrder);
    }

    [Fact]
    public async Task A_build_order_over_the_step_limit_is_RESOURCE_EXHAUSTED()
    {
        var solid = new VoxelGrid(11, 10, 10);
        solid.FillBox(0, 0, 0, 10, 9, 9); // 1,100 blocks > the 1,000 steps this host allows

        RpcException e = await Rpc.FailsAsync(() => _client.GetBuildOrderAsync(new GetBuildOrderRequest { Grid = Requests.Wire(solid) }).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
        Assert.Contains("Rendering:MaxBuildSteps", e.Status.Detail);
    }

    private static IEnumerable<(int, int, int)> Neighbours((int X, int Y, int Z) p) =>
    [
        (p.X - 1, p.Y, p.Z), (p.X + 1, p.Y, p.Z), (p.X, p.Y - 1, p.Z),
        (p.X, p.Y + 1, p.Z), (p.X, p.Y, p.Z - 1), (p.X, p.Y, p.Z + 1),
    ];
}
