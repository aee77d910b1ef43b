using System.Buffers.Binary;
using Expert.DynamicMap.Episodes;
using Expert.DynamicMap.Persistence;
using static Expert.DynamicMap.Tests.Build;

namespace Expert.DynamicMap.Tests;

/// <summary>
/// Damaged files on disk (issue 12): a torn tail is the only thing recovery cuts; an acknowledged record that is
/// damaged is DATA_LOSS, never silence; a damaged episode.json never hides an episode; and a damaged episode can
/// always be deleted, which frees its slot. Real files under each test's own folder.
/// </summary>
public class DurabilityTests
{
    private sealed class Harness : IDisposable
    {
        private readonly TempFolder _folder = new();
        public List<MapStorageWarning> Warnings { get; } = [];
        public MapOptions Options { get; }

        public Harness(int maxOpen = 64) =>
            Options = Build.Options(_folder.Path) with { SnapshotEveryRecords = 1000, MaxOpenEpisodes = maxOpen };

        public string Root => System.IO.Path.Combine(_folder.Path, "episodes");
        public string Folder(string id) => System.IO.Path.Combine(Root, id);
        public string Log(string id) => System.IO.Path.Combine(Folder(id), "log.bin");
        public string Snapshot(string id) => System.IO.Path.Combine(Folder(id), "snapshot.bin");
        public string Meta(string id) => System.IO.Path.Combine(Folder(id), "episode.json");

        public EpisodeRegistry Registry() => new(Options, evictOnTimer: false, onWarning: Warnings.Add);

        /// <summary>
        /// An episode of <paramref name="batches"/> acknowledged batches, the last one putting gold at (8, 63, 8); returns
        /// its state. Without <paramref name="snapshot"/> the files are as a killed process leaves them: the log only
        /// (a clean shutdown writes a snapshot that covers the whole log, and then the log is not read again).
        /// </summary>
        public byte[] Write(string id, int batches = 4, bool snapshot = false)
        {
            byte[] state;
            using (var registry = Registry())
            {
                registry.Open(id);
                for (int i = 0; i < batches - 1; i++)
                    Assert.True(registry.Observe(id, Batch($"b{i}", Obs("a", i + 1, At(0.5, 64, 0.5), Floor(-3 + i, 3 + i, -3, 3, 63).ToArray()))).Applied);
                Assert.True(registry.Observe(id, Batch("last", Obs("a", 600, At(0.5, 64, 0.5), (8, 63, 8, "gold_block")))).Applied);
                state = registry.ExportState(id);
            }
            if (!snapshot) File.Delete(Snapshot(id));
            return state;
        }

        public void Dispose() => _folder.Dispose();
    }

    /// <summary>Start offsets of the records of a version 2 log.</summary>
    private static List<long> Records(byte[] log)
    {
        Assert.Equal(EpisodeLog.CurrentVersion, BinaryPrimitives.ReadInt32LittleEndian(log.AsSpan(4)));
        var starts = new List<long>();
        for (long at = EpisodeLog.HeaderSize; at < log.Length; at += 12 + BinaryPrimitives.ReadUInt32LittleEndian(log.AsSpan((int)at)))
            starts.Add(at);
        return starts;
    }

    private static void Damage(string path, Action<byte[]> change)
    {
        var bytes = File.ReadAllBytes(path);
        change(bytes);
        File.WriteAllBytes(path, bytes);
    }

    // ---- The log: torn tails are cut, damaged records are DATA_LOSS --------------------------------

    [Fact]
    public void One_flipped_bit_in_the_last_record_at_full_length_is_data_loss_and_the_batch_stays_on_disk()
    {
        using var h = new Harness();
        h.Write("e1");
        var before = File.ReadAllBytes(h.Log("e1"));
        long last = Records(before)[^1];
        Damage(h.Log("e1"), log => log[(int)last + 20] ^= 0x04); // inside the last record's body, full length kept

        using var registry = h.Registry();
        var error = Assert.Throws<EpisodeCorruptedException>(() => registry.ExportState("e1"));
        Assert.Equal(MapErrorKind.DataLoss, error.Kind);
        Assert.Contains($"the last record at byte {last} is complete", error.Message);
        Assert.DoesNotContain(h.Root, error.Message); // the client's message holds no path...
        Assert.Contains(h.Warnings, w => w.EpisodeId == "e1" && w.Message.Contains(h.Folder("e1"))); // ...the server's log does
        // Nothing was cut: the damaged batch is still there for whoever repairs it, and every later call says DATA_LOSS.
        Assert.Equal(before.Length, new FileInfo(h.Log("e1")).Length);
        Assert.Throws<EpisodeCorruptedException>(() => registry.CellAt("e1", 8, 63, 8));
        Assert.Throws<EpisodeCorruptedException>(() => registry.Observe("e1", Batch(Obs("a", 700, At(0.5, 64, 0.5)))));
    }

    [Fact]
    public void A_flipped_bit_in_the_last_records_length_is_data_loss_not_a_torn_write()
    {
        using var h = new Harness();
        h.Write("e1");
        long last = Records(File.ReadAllBytes(h.Log("e1")))[^1];
        Damage(h.Log("e1"), log => log[(int)last + 2] ^= 0x01); // the length now runs 64 KiB past the end of the file

        using var registry = h.Registry();
        var error = Assert.Throws<EpisodeCorruptedException>(() => registry.ExportState("e1"));
        Assert.Contains("header", error.Message);
    }

    [Fact]
    public void A_truncated_last_record_is_cut_off_with_a_warning_that_says_how_many_bytes()
    {
        using var h = new Harness();
        h.Write("e1", batches: 4);
        byte[] whole;
        using (var same = new Harness()) whole = same.Write("e1", batches: 4); // the same batches, intact
        long full = new FileInfo(h.Log("e1")).Length;
        long last = Records(File.ReadAllBytes(h.Log("e1")))[^1];
        using (var stream = new FileStream(h.Log("e1"), FileMode.Open)) stream.SetLength(full - 5);

        using var registry = h.Registry();
        Assert.Equal("", registry.CellAt("e1", 8, 63, 8).Block); // the unfinished append is gone
        Assert.Equal("stone", registry.CellAt("e1", 0, 63, 0).Block); // the rest is there
        var warning = Assert.Single(h.Warnings);
        Assert.Contains($"at byte {last}, is torn", warning.Message);
        Assert.Contains($"cut off {full - 5 - last} byte(s)", warning.Message);
        Assert.Equal(last, new FileInfo(h.Log("e1")).Length);
        Assert.NotEqual(whole, registry.ExportState("e1"));
        // The log grows again from the cut.
        Assert.True(registry.Observe("e1", Batch("last", Obs("a", 600, At(0.5, 64, 0.5), (8, 63, 8, "gold_block")))).Applied);
        Assert.Equal(whole, registry.ExportState("e1"));
    }

    [Fact]
    public void A_zero_filled_tail_is_an_append_that_never_reached_the_disk()
    {
        using var h = new Harness();
        byte[] state = h.Write("e1");
        long full = new FileInfo(h.Log("e1")).Length;
        using (var stream = new FileStream(h.Log("e1"), FileMode.Open)) stream.SetLength(full + 300);

        using var registry = h.Registry();
        Assert.Equal(state, registry.ExportState("e1"));
        Assert.Contains("are zeros", Assert.Single(h.Warnings).Message);
        Assert.Equal(full, new FileInfo(h.Log("e1")).Length);
    }

    [Fact]
    public void A_damaged_record_in_the_middle_is_data_loss()
    {
        using var h = new Harness();
        h.Write("e1");
        var records = Records(File.ReadAllBytes(h.Log("e1")));
        Damage(h.Log("e1"), log => log[(int)records[1] + 30] ^= 0x80);

        using var registry = h.Registry();
        var error = Assert.Throws<EpisodeCorruptedException>(() => registry.Describe("e1"));
        Assert.Contains($"the record at byte {records[1]}", error.Message);
    }

    [Fact]
    public void A_version_1_log_is_still_read_and_appended_to_in_its_own_format()
    {
        using var h = new Harness();
        byte[] state = h.Write("e1");
        // Rewrite the log as version 1: 8-byte record headers (length, body CRC), no header CRC.
        var v2 = File.ReadAllBytes(h.Log("e1"));
        using (var v1 = new MemoryStream())
        {
            v1.Write("S2ML"u8);
            v1.Write(BitConverter.GetBytes(1));
            foreach (long at in Records(v2))
            {
                int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(v2.AsSpan((int)at));
                v1.Write(v2, (int)at, 8);
                v1.Write(v2, (int)at + 12, length);
            }
            File.WriteAllBytes(h.Log("e1"), v1.ToArray());
        }

        using (var registry = h.Registry())
        {
            Assert.Equal(state, registry.ExportState("e1"));
            Assert.True(registry.Observe("e1", Batch("more", Obs("a", 700, At(0.5, 64, 0.5), (3, 63, 3, "diamond_block")))).Applied);
            state = registry.ExportState("e1");
        }
        Assert.Equal(1, BinaryPrimitives.ReadInt32LittleEndian(File.ReadAllBytes(h.Log("e1")).AsSpan(4)));
        File.Delete(h.Snapshot("e1")); // read the appended version 1 record from the log
        using (var registry = h.Registry()) Assert.Equal(state, registry.ExportState("e1"));
        File.Delete(h.Snapshot("e1"));

        // And in version 1 too, a complete last record that fails its CRC is DATA_LOSS, not a torn write.
        Damage(h.Log("e1"), log => log[^3] ^= 0x10);
        using (var registry = h.Registry()) Assert.Throws<EpisodeCorruptedException>(() => registry.ExportState("e1"));
    }

    [Fact]
    public void A_damaged_snapshot_is_passed_over_with_a_warning_and_the_log_replayed()
    {
        using var h = new Harness();
        byte[] state = h.Write("e1", snapshot: true);
        Damage(h.Snapshot("e1"), s => s[^4] ^= 0xFF);

        using var registry = h.Registry();
        Assert.Equal(state, registry.ExportState("e1"));
        Assert.Contains("snapshot.bin fails its CRC", Assert.Single(h.Warnings).Message);
    }

    // ---- episode.json: never NOT_FOUND for an episode whose log is there -----------------------------

    [Theory]
    [InlineData("empty")]
    [InlineData("garbage")]
    [InlineData("missing")]
    [InlineData("other id")]
    public void A_damaged_episode_json_is_recovered_from_the_log(string damage)
    {
        using var h = new Harness();
        byte[] state = h.Write("e1", snapshot: true);
        switch (damage)
        {
            case "empty": File.WriteAllText(h.Meta("e1"), ""); break;
            case "garbage": File.WriteAllBytes(h.Meta("e1"), [0x7B, 0x00, 0xFF, 0x13]); break;
            case "missing": File.Delete(h.Meta("e1")); break;
            case "other id": File.WriteAllText(h.Meta("e1"), File.ReadAllText(h.Meta("e1")).Replace("\"e1\"", "\"e2\"")); break;
        }

        using (var registry = h.Registry())
        {
            Assert.Equal("e1", Assert.Single(registry.List()).Id);
            Assert.Equal(state, registry.ExportState("e1"));
            Assert.Contains("recovered from its log", Assert.Single(h.Warnings).Message);
            Assert.True(registry.Observe("e1", Batch("after", Obs("a", 700, At(0.5, 64, 0.5), (3, 63, 3, "stone")))).Applied);
        }
        h.Warnings.Clear();
        using (var registry = h.Registry())
        {
            Assert.Equal("stone", registry.CellAt("e1", 3, 63, 3).Block);
            Assert.Empty(h.Warnings); // episode.json was written again
        }
    }

    [Fact]
    public void A_damaged_episode_json_without_a_log_is_data_loss_not_not_found()
    {
        using var h = new Harness();
        h.Write("e1");
        File.WriteAllText(h.Meta("e1"), "{ not json");
        File.Delete(h.Log("e1"));

        using var registry = h.Registry();
        var error = Assert.Throws<EpisodeCorruptedException>(() => registry.ExportState("e1"));
        Assert.Equal(MapErrorKind.DataLoss, error.Kind);
        Assert.Throws<EpisodeCorruptedException>(() => registry.Open("e1"));
    }

    // ---- A damaged episode can always be deleted, and holds no slot after ----------------------------

    public static TheoryData<string> Damages => ["last record", "middle record", "snapshot", "episode.json and no log", "episode.json garbage", "log unreadable", "log header"];

    private static void Break(Harness h, string damage)
    {
        var records = Records(File.ReadAllBytes(h.Log("e1")));
        switch (damage)
        {
            case "last record": Damage(h.Log("e1"), log => log[(int)records[^1] + 20] ^= 0x01); break;
            case "middle record": Damage(h.Log("e1"), log => log[(int)records[1] + 20] ^= 0x01); break;
            case "snapshot": Damage(h.Snapshot("e1"), s => s[30] ^= 0x01); break;
            case "episode.json and no log": File.WriteAllText(h.Meta("e1"), ""); File.Delete(h.Log("e1")); File.Delete(h.Snapshot("e1")); break;
            case "episode.json garbage": File.WriteAllText(h.Meta("e1"), "]]"); Damage(h.Log("e1"), log => log[(int)records[0] + 20] ^= 0x01); break;
            case "log unreadable": File.Delete(h.Log("e1")); Directory.CreateDirectory(h.Log("e1")); File.WriteAllText(System.IO.Path.Combine(h.Log("e1"), "x"), "x"); break;
            case "log header": Damage(h.Log("e1"), log => log[1] = (byte)'X'); break;
        }
    }

    [Theory]
    [MemberData(nameof(Damages))]
    public void Close_with_delete_removes_a_damaged_episode_and_frees_its_slot(string damage)
    {
        using var h = new Harness(maxOpen: 2);
        h.Write("e1", snapshot: damage == "snapshot");
        Break(h, damage);

        using var registry = h.Registry();
        // Before: the damaged episode holds one of the two slots.
        registry.Open("a");
        Assert.Throws<MapLimitExceededException>(() => registry.Open("b"));
        if (damage != "snapshot")
        {
            Assert.Equal(MapErrorKind.DataLoss, Assert.Throws<EpisodeCorruptedException>(() => registry.Open("e1")).Kind);
            Assert.Equal(MapErrorKind.DataLoss, Assert.Throws<EpisodeCorruptedException>(() => registry.Close("e1")).Kind);
        }

        var info = registry.Close("e1", delete: true);

        Assert.Equal("e1", info.Id);
        Assert.True(info.IsClosed);
        Assert.False(Directory.Exists(h.Folder("e1")));
        Assert.Equal(["a"], Directory.EnumerateDirectories(h.Root).Select(System.IO.Path.GetFileName)); // nothing set aside left
        Assert.Throws<EpisodeNotFoundException>(() => registry.Info("e1"));
        registry.Open("b");
        registry.Close("a");
        registry.Open("e1"); // the id is free again, and fresh
        Assert.Equal(0, registry.Info("e1").Stats!.Version);
    }

    [Fact]
    public void Eviction_drops_an_episode_whose_snapshot_cannot_be_written_and_nothing_is_lost()
    {
        using var h = new Harness();
        var time = new ManualTime(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));
        var options = h.Options with { IdleEviction = TimeSpan.FromMinutes(5) };
        using var registry = new EpisodeRegistry(options, time, evictOnTimer: false, h.Warnings.Add);
        registry.Open("e1");
        registry.Observe("e1", Batch(Obs("a", 1, At(0.5, 64, 0.5), (8, 63, 8, "gold_block"))));
        byte[] state = registry.ExportState("e1");
        Directory.CreateDirectory(h.Snapshot("e1")); // the snapshot's name is taken: it cannot be written

        time.Now += TimeSpan.FromMinutes(6);
        Assert.Equal(1, registry.EvictIdle());
        Assert.False(registry.IsLoaded("e1"));
        Assert.Contains("the snapshot could not be written", Assert.Single(h.Warnings).Message);
        Directory.Delete(h.Snapshot("e1"));
        Assert.Equal(state, registry.ExportState("e1")); // reloaded from the log
    }
}
