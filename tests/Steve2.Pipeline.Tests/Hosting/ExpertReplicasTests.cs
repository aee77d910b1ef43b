using Steve2.Pipeline.Experts;
using Steve2.Pipeline.Hosting;
using VoxelGrid = Expert.VqVae.Voxels.OccupancyGrid;

namespace Steve2.Pipeline.Tests.Hosting;

/// <summary>
/// Client-side load balancing over expert host replicas (`--experts http://a,http://b` or dns:///name:port): occupancy
/// calls round-robin, each episode's map on the one replica that opened it. Two real hosts in process on loopback.
/// </summary>
public sealed class ExpertReplicasTests
{
    [Fact]
    public async Task Occupancy_calls_alternate_and_each_episode_map_stays_on_one_replica()
    {
        await using ExpertConnection a = await ExpertConnection.StartInProcessAsync();
        await using ExpertConnection b = await ExpertConnection.StartInProcessAsync();
        await using ExpertConnection both = await ExpertConnection.ConnectAsync($"{a.Address}, {b.Address}");
        ExpertClients clients = both.CreateClients();
        var grid = new VoxelGrid(4, 4, 4);
        grid.FillBox(0, 0, 0, 1, 1, 1);

        Assert.Equal(2, clients.Replicas);
        for (int i = 0; i < 4; i++) Assert.True((await clients.GetBuildOrderAsync(grid, CancellationToken.None)).Ok);
        Assert.Equal((2, 2), (clients.CallsTo(0), clients.CallsTo(1)));

        string[] episodes = ["e0", "e1", "e2", "e3"];
        foreach (string e in episodes)
        {
            Assert.True((await clients.OpenMapAsync(e, CancellationToken.None)).Ok);
            ExpertResult<byte[]> rendered = await clients.RenderMapAsync(e, 32, CancellationToken.None);
            Assert.True(rendered.Ok, $"{e}: {rendered.Error}");   // found where it was opened
        }
        Assert.Equal((6, 6), (clients.CallsTo(0), clients.CallsTo(1)));

        // Each map lives on exactly one host, two on each.
        var onA = new ExpertClients(a.Channel);
        var onB = new ExpertClients(b.Channel);
        var holders = new List<string>();
        foreach (string e in episodes)
        {
            bool inA = (await onA.RenderMapAsync(e, 32, CancellationToken.None)).Ok, inB = (await onB.RenderMapAsync(e, 32, CancellationToken.None)).Ok;
            Assert.True(inA ^ inB, $"{e}: on A {inA}, on B {inB}");
            holders.Add(inA ? "a" : "b");
        }
        Assert.Equal(["a", "b", "a", "b"], holders);
    }

    [Theory]
    [InlineData("dns:///steve2-experts-pods")]
    [InlineData("dns:///steve2-experts-pods:0")]
    public async Task A_dns_address_without_a_port_is_refused(string address) =>
        Assert.Contains("write dns:///name:port", (await Assert.ThrowsAsync<ExpertHostUnavailableException>(() => ExpertConnection.ConnectAsync(address))).Message);
}
