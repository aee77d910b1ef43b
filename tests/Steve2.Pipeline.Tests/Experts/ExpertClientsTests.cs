using Grpc.Net.Client;
using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Experts;
using Steve2.Pipeline.Tests.Tasks;
using VoxelGrid = Expert.VqVae.Voxels.OccupancyGrid;

namespace Steve2.Pipeline.Tests.Experts;

[Collection(ExpertHostCollection.Name)]
public sealed class ExpertClientsTests(ExpertHostFixture host)
{
    [Fact]
    public async Task Imagines_a_building_with_renders_and_a_build_order()
    {
        var r = await host.Clients.ImagineBuildingAsync("a tall stone tower with a flat roof", 3, ["front", "isometric"], 64, CancellationToken.None);
        Assert.True(r.Ok, r.Error);
        ImaginedBuilding b = r.Value!;
        Assert.True(b.Grid.Count() > 0);
        Assert.Equal(["front", "isometric"], b.Views.Select(v => v.Name));
        Assert.All(b.Views, v => Assert.Equal(0x89, v.Png[0])); // PNG signature
        Assert.Equal(b.Grid.Count(), b.BuildOrder.Count(s => s.Action == PlannedBlockAction.Place));
        var order = await host.Clients.GetBuildOrderAsync(b.Grid, CancellationToken.None);
        Assert.Equal(b.BuildOrder, order.Value);
    }

    [Fact]
    public async Task A_map_episode_takes_observations_and_answers_frontiers_targets_text_and_a_picture()
    {
        string id = "test-" + Guid.NewGuid().ToString("N")[..8];
        Assert.True((await host.Clients.OpenMapAsync(id, CancellationToken.None)).Ok);
        var ground = new List<SeenBlock>();
        for (int x = -6; x <= 6; x++)
            for (int z = -6; z <= 6; z++)
                ground.Add(new SeenBlock(new BlockPos(x, 9, z), Block.Grass));
        var pig = new SeenEntity(1, "pig", new Vec3(3.5, 10, 2.5));
        var o = TaskTestSupport.Observation(0, new Vec3(0.5, 10, 0.5), ground, [pig]);
        var applied = await host.Clients.ObserveAsync(id, [o], 1, CancellationToken.None);
        Assert.True(applied.Ok, applied.Error);
        Assert.True(applied.Value > 0);

        var frontiers = await host.Clients.GetFrontiersAsync(id, 0, 64, 8, CancellationToken.None);
        Assert.True(frontiers.Ok, frontiers.Error);
        Assert.True(frontiers.Value!.Frontiers.Count > 0 || frontiers.Value.WhyNone.Length > 0);
        var located = await host.Clients.LocateTargetsAsync(id, "pig", 0, CancellationToken.None);
        Assert.Contains(located.Value!, t => t.Located && t.Position.DistanceTo(pig.Position) < 1.5);
        Assert.Contains("pig", (await host.Clients.DescribeMapAsync(id, 0, CancellationToken.None)).Value);
        Assert.Equal(0x89, (await host.Clients.RenderMapAsync(id, 128, CancellationToken.None)).Value![0]);
        Assert.True((await host.Clients.CloseMapAsync(id, delete: true, CancellationToken.None)).Ok);
    }

    [Fact]
    public async Task Failures_come_back_as_sentences_not_exceptions()
    {
        var unknown = await host.Clients.GetFrontiersAsync("no-such-episode", 0, 64, 8, CancellationToken.None);
        Assert.False(unknown.Ok);
        Assert.Contains("NotFound", unknown.Error);
        Assert.Contains("open the episode", unknown.Error);

        var bad = await host.Clients.ImagineBuildingAsync("   ", 1, null, 64, CancellationToken.None);
        Assert.Contains("InvalidArgument", bad.Error);

        using var nowhere = GrpcChannel.ForAddress("http://127.0.0.1:9");
        var down = new ExpertClients(nowhere) { CallTimeout = TimeSpan.FromSeconds(5) };
        var r = await down.GetBuildOrderAsync(new VoxelGrid(2, 2, 2), CancellationToken.None);
        Assert.False(r.Ok);
        Assert.Contains("Unavailable", r.Error);
        Assert.Equal(1, down.CallCount);
    }
}
