using System.Buffers.Binary;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Wire = Steve2.Expert.V1;

namespace Expert.Host.Tests.DynamicMap;

/// <summary>
/// Damaged episode files over gRPC (issue 12): a damaged acknowledged record is DATA_LOSS with a path-free message
/// (the path is in the server's log), a torn tail is cut with a warning, and a damaged episode is deleted with
/// CloseEpisode(delete) and frees its MaxOpenEpisodes slot.
/// </summary>
public sealed class MapDamageTests : IDisposable
{
    private readonly MapFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Episode(string id, string file) => Path.Combine(_folder.Path, "episodes", id, file);

    /// <summary>The start of the last record of a version 2 log (12-byte record headers).</summary>
    private static int LastRecord(byte[] log)
    {
        int at = 8, last = at;
        while (at < log.Length)
        {
            last = at;
            at += 12 + (int)BinaryPrimitives.ReadUInt32LittleEndian(log.AsSpan(at));
        }
        return last;
    }

    [Fact]
    public async Task A_damaged_episode_answers_DATA_LOSS_and_close_with_delete_removes_it_and_frees_its_slot()
    {
        var settings = new Dictionary<string, string?> { ["Map:MaxOpenEpisodes"] = "2" };
        await using (var first = MapHost.Start(_folder.Path, settings))
        {
            foreach (string id in new[] { "hurt", "torn" })
            {
                await first.Client.OpenEpisodeAsync(new Wire.OpenEpisodeRequest { EpisodeId = id });
                await first.Client.ObserveBatchAsync(MapWire.Batch(id, "b1", MapWire.Packed("scout", 10, 0, 0, radius: 6)));
                await first.Client.ObserveBatchAsync(MapWire.Batch(id, "b2", MapWire.Packed("scout", 20, 4, 4, radius: 6)));
            }
        }
        // As a killed host leaves them (no shutdown snapshot), then: one flipped bit in "hurt"'s last record, at full
        // length; "torn"'s last record cut short.
        foreach (string id in new[] { "hurt", "torn" }) File.Delete(Episode(id, "snapshot.bin"));
        byte[] log = File.ReadAllBytes(Episode("hurt", "log.bin"));
        log[LastRecord(log) + 40] ^= 0x08;
        File.WriteAllBytes(Episode("hurt", "log.bin"), log);
        long tornLength = new FileInfo(Episode("torn", "log.bin")).Length;
        using (var stream = new FileStream(Episode("torn", "log.bin"), FileMode.Open)) stream.SetLength(tornLength - 9);

        await using var host = MapHost.Start(_folder.Path, settings);
        var client = host.Client;

        // The torn tail is cut (b2 was never completely written), with a warning; the episode works.
        await host.MapAsync("torn");
        Assert.Contains(host.Factory.Logs.Entries, l => l.EventId.Id == 47 && l.Level == LogLevel.Warning && l.Message.Contains("torn")
            && l.Message.Contains(Path.Combine(_folder.Path, "episodes", "torn")));

        // The damaged record is DATA_LOSS, for reads, writes and a re-open alike; the message names no path.
        RpcException read = await Assert.ThrowsAsync<RpcException>(() => host.MapAsync("hurt"));
        RpcException write = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.ObserveBatchAsync(MapWire.Batch("hurt", "b3", MapWire.Packed("scout", 30, 0, 0, radius: 3))));
        RpcException reopen = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.OpenEpisodeAsync(new Wire.OpenEpisodeRequest { EpisodeId = "hurt" }));
        Assert.All(new[] { read, write, reopen }, e => Assert.Equal(StatusCode.DataLoss, e.StatusCode));
        Assert.DoesNotContain(_folder.Path, read.Status.Detail);
        Assert.Contains("fails its CRC", read.Status.Detail);
        Assert.Contains(host.Factory.Logs.Entries, l => l.EventId.Id == 47 && l.Message.Contains(Path.Combine(_folder.Path, "episodes", "hurt")));

        // It holds a slot...
        RpcException full = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.OpenEpisodeAsync(new Wire.OpenEpisodeRequest { EpisodeId = "next" }));
        Assert.Equal(StatusCode.ResourceExhausted, full.StatusCode);

        // ...until it is deleted: OK, its files are gone, and the slot is free.
        Wire.EpisodeInfo deleted = await client.CloseEpisodeAsync(new Wire.CloseEpisodeRequest { EpisodeId = "hurt", Delete = true });
        Assert.Equal("hurt", deleted.EpisodeId);
        Assert.False(Directory.Exists(Path.Combine(_folder.Path, "episodes", "hurt")));
        Assert.Contains(host.Factory.Logs.Entries, l => l.EventId.Id == 47 && l.Message.Contains("a damaged episode was deleted"));
        await client.OpenEpisodeAsync(new Wire.OpenEpisodeRequest { EpisodeId = "next" });
        RpcException gone = await Assert.ThrowsAsync<RpcException>(() => host.MapAsync("hurt"));
        Assert.Equal(StatusCode.NotFound, gone.StatusCode);
    }
}
