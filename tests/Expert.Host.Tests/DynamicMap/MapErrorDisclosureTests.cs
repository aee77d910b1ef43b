using Expert.Host.Tests.Infrastructure;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Wire = Steve2.Expert.V1;

namespace Expert.Host.Tests.DynamicMap;

/// <summary>What the map service's errors tell a client: the right field, and never the server's file layout.</summary>
public sealed class MapErrorDisclosureTests : IDisposable
{
    private readonly MapFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task DATA_LOSS_names_the_episode_and_its_file_but_no_server_path_which_stays_in_the_log()
    {
        await using (var first = MapHost.Start(_folder.Path))
        {
            await first.Client.OpenEpisodeAsync(new Wire.OpenEpisodeRequest { EpisodeId = "ep" });
            await first.Client.ObserveBatchAsync(MapWire.Batch("ep", "b1", MapWire.Packed("scout", 10, 0, 0, radius: 4)));
        }
        string log = Path.Combine(_folder.Path, "episodes", "ep", "log.bin");
        byte[] bytes = await File.ReadAllBytesAsync(log);
        bytes[0] ^= 0xFF; // the header's magic
        await File.WriteAllBytesAsync(log, bytes);

        await using var second = MapHost.Start(_folder.Path);
        RpcException e = await Rpc.FailsAsync(() => second.Client.DescribeMapAsync(new Wire.DescribeMapRequest { EpisodeId = "ep" }).ResponseAsync);

        Assert.Equal(StatusCode.DataLoss, e.StatusCode);
        Assert.Contains("'ep'", e.Status.Detail);
        Assert.Contains("log.bin", e.Status.Detail);
        Assert.DoesNotContain(_folder.Path, e.Status.Detail);
        Assert.DoesNotContain("/episodes/", e.Status.Detail);
        string everything = e.Status.Detail + string.Concat(e.Trailers.Select(t => t.IsBinary ? Convert.ToBase64String(t.ValueBytes) : t.Value));
        Assert.DoesNotContain(Path.GetTempPath().TrimEnd('/'), e.GetRpcStatus()?.ToString() ?? "");
        Assert.DoesNotContain(_folder.Path, everything);
        // The operator still has the full path.
        // The operator still has the full path: the episode's folder and the damaged file.
        string folder = Path.GetDirectoryName(log)!;
        Assert.Contains(second.Factory.Logs.Entries, l => l.Level >= LogLevel.Warning && l.Message.Contains(folder) && l.Message.Contains("log.bin"));
    }

    [Fact]
    public async Task An_unusable_data_directory_is_UNAVAILABLE_without_its_path()
    {
        Directory.CreateDirectory(_folder.Path);
        string file = Path.Combine(_folder.Path, "a-file");
        await File.WriteAllTextAsync(file, "not a folder");
        await using var host = MapHost.Start(Path.Combine(file, "maps"));

        RpcException e = await Rpc.FailsAsync(() => host.Client.ListEpisodesAsync(new Wire.ListEpisodesRequest()).ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
        Assert.Contains("Map:DataDirectory", e.Status.Detail);
        Assert.DoesNotContain(_folder.Path, e.Status.Detail);
        Assert.Contains(host.Factory.Logs.Entries, l => l.Message.Contains(_folder.Path));
    }

    [Theory]
    [InlineData(-1.0, 0.5, "gain_weight")]
    [InlineData(1.0, -0.5, "distance_weight")]
    [InlineData(1.0, double.NaN, "distance_weight")]
    public async Task A_bad_frontier_weight_names_its_own_field(double gain, double distance, string field)
    {
        await using var host = MapHost.Start(_folder.Path);
        await host.Client.OpenEpisodeAsync(new Wire.OpenEpisodeRequest { EpisodeId = "ep" });

        RpcException e = await Rpc.FailsAsync(() => host.Client.GetFrontiersAsync(new Wire.GetFrontiersRequest
        {
            EpisodeId = "ep", AgentId = "scout", GainWeight = gain, DistanceWeight = distance,
        }).ResponseAsync);

        Assert.Equal([field], Rpc.ViolatedFields(e));
    }
}
