using Expert.DynamicMap.Episodes;
using Expert.DynamicMap.Geometry;
using Expert.DynamicMap.Layers;
using Expert.DynamicMap.Observations;
using Expert.DynamicMap.Benchmarks;
using static Expert.DynamicMap.Tests.Build;

namespace Expert.DynamicMap.Tests;

public class PersistenceTests
{
    private static readonly LayerRequest WholeMap = new(new MapRegion(-64, -64, 160, 160, -64, 319));

    /// <summary>Terrain seen by two agents, a landmark named, a sound located, a place blacklisted.</summary>
    private static void Fill(EpisodeRegistry registry, string id, int batches = 6)
    {
        var world = new SyntheticWorld(seed: 3);
        var walk = world.Walk("a", 0, 0, batches, stride: 3, radius: 10).ToArray();
        for (int i = 0; i < walk.Length; i++)
        {
            var o = walk[i];
            var extra = new Observation("b", o.Tick + 5, world.StandAt(-5, 4), o.Palette, o.Blocks.Take(20).ToArray(),
                [new EntitySeen("villager", 3 + i * 0.2, 65, 3)],
                [new SoundHeard("zombie", 0.5f, Direction: new Vec3(1 + i, 0.1, 1 - i))]);
            registry.Observe(id, new ObservationBatch([o, extra], i % 2 == 0 ? $"batch-{i}" : null));
        }
        registry.NameLandmark(id, registry.Landmarks(id)[0].Id, "Trader");
        registry.MarkUnreachable(id, new Cell(10, 64, 10), "cliff");
    }

    [Fact]
    public void A_reopened_registry_recovers_the_identical_map()
    {
        using var folder = new TempFolder();
        byte[] state;
        MapLayers layers;
        using (var registry = new EpisodeRegistry(Options(folder.Path) with { SnapshotEveryRecords = 3 }, evictOnTimer: false))
        {
            registry.Open("e1");
            Fill(registry, "e1");
            state = registry.ExportState("e1");
            layers = registry.GetMap("e1", WholeMap);
        }

        using var reopened = new EpisodeRegistry(Options(folder.Path), evictOnTimer: false);
        var info = Assert.Single(reopened.List());
        Assert.Equal("e1", info.Id);
        Assert.Equal(state, reopened.ExportState("e1"));
        var again = reopened.GetMap("e1", WholeMap);
        for (int i = 0; i < layers.Planes.Count; i++) Assert.Equal(layers.Planes[i].Data, again.Planes[i].Data);
        Assert.Equal("Trader", reopened.Landmarks("e1")[0].Label);
    }

    [Fact]
    public void The_log_alone_recovers_the_map_when_the_snapshot_is_damaged_or_missing()
    {
        using var folder = new TempFolder();
        byte[] state;
        using (var registry = new EpisodeRegistry(Options(folder.Path) with { SnapshotEveryRecords = 2 }, evictOnTimer: false))
        {
            registry.Open("e1");
            Fill(registry, "e1");
            state = registry.ExportState("e1");
        }
        string snapshot = Path.Combine(folder.Path, "episodes", "e1", "snapshot.bin");
        var bytes = File.ReadAllBytes(snapshot);
        bytes[^10] ^= 0xFF;
        File.WriteAllBytes(snapshot, bytes);
        using (var registry = new EpisodeRegistry(Options(folder.Path), evictOnTimer: false))
            Assert.Equal(state, registry.ExportState("e1"));

        File.Delete(snapshot);
        using (var registry = new EpisodeRegistry(Options(folder.Path), evictOnTimer: false))
            Assert.Equal(state, registry.ExportState("e1"));
    }

    [Fact]
    public void A_torn_last_record_is_ignored_and_cut_off()
    {
        using var folder = new TempFolder();
        byte[] state;
        var options = Options(folder.Path) with { SnapshotEveryRecords = 1000 };
        using (var registry = new EpisodeRegistry(options, evictOnTimer: false))
        {
            registry.Open("e1");
            Fill(registry, "e1", batches: 3);
            state = registry.ExportState("e1");
            registry.Observe("e1", Batch(Obs("a", 999, At(0.5, 64, 0.5), (2, 63, 2, "gold_block"))));
        }
        string log = Path.Combine(folder.Path, "episodes", "e1", "log.bin");
        File.Delete(Path.Combine(folder.Path, "episodes", "e1", "snapshot.bin"));
        long full = new FileInfo(log).Length;
        // Tear the last record: its header and part of its body reached the disk, the rest did not.
        using (var stream = new FileStream(log, FileMode.Open)) stream.SetLength(full - 7);

        using (var registry = new EpisodeRegistry(options, evictOnTimer: false))
        {
            Assert.Equal(state, registry.ExportState("e1"));
            Assert.Equal("", registry.CellAt("e1", 2, 63, 2).Block);
            // The log was cut back to the last good record, so it can grow again.
            Assert.True(registry.Observe("e1", Batch(Obs("a", 1000, At(0.5, 64, 0.5), (2, 63, 2, "gold_block")))).Applied);
            state = registry.ExportState("e1");
        }
        using (var registry = new EpisodeRegistry(options, evictOnTimer: false))
        {
            Assert.Equal(state, registry.ExportState("e1"));
            Assert.Equal("gold_block", registry.CellAt("e1", 2, 63, 2).Block);
        }
    }

    [Fact]
    public void A_damaged_record_in_the_middle_of_the_log_is_data_loss_not_silence()
    {
        using var folder = new TempFolder();
        var options = Options(folder.Path) with { SnapshotEveryRecords = 1000 };
        using (var registry = new EpisodeRegistry(options, evictOnTimer: false))
        {
            registry.Open("e1");
            Fill(registry, "e1", batches: 3);
        }
        string folderPath = Path.Combine(folder.Path, "episodes", "e1");
        File.Delete(Path.Combine(folderPath, "snapshot.bin"));
        var log = File.ReadAllBytes(Path.Combine(folderPath, "log.bin"));
        log[40] ^= 0x55; // inside the first record's body
        File.WriteAllBytes(Path.Combine(folderPath, "log.bin"), log);

        using var damaged = new EpisodeRegistry(options, evictOnTimer: false);
        var error = Assert.Throws<EpisodeCorruptedException>(() => damaged.ExportState("e1"));
        Assert.Equal(MapErrorKind.DataLoss, error.Kind);
    }

    [Fact]
    public void Idle_episodes_are_evicted_and_reloaded_unchanged()
    {
        using var folder = new TempFolder();
        var time = new ManualTime(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));
        var options = Options(folder.Path) with { IdleEviction = TimeSpan.FromMinutes(5), SnapshotEveryRecords = 1000 };
        using var registry = new EpisodeRegistry(options, time, evictOnTimer: false);
        registry.Open("idle");
        registry.Open("busy");
        Fill(registry, "idle");
        byte[] state = registry.ExportState("idle");

        time.Now += TimeSpan.FromMinutes(3);
        registry.Observe("busy", Batch(Obs("a", 1, At(0.5, 64, 0.5), (1, 63, 1, "stone"))));
        Assert.Equal(0, registry.EvictIdle());
        time.Now += TimeSpan.FromMinutes(3);
        Assert.Equal(1, registry.EvictIdle());
        Assert.False(registry.IsLoaded("idle"));
        Assert.True(registry.IsLoaded("busy"));
        Assert.NotNull(registry.Info("idle").Stats); // still listed with its sizes

        Assert.Equal(state, registry.ExportState("idle"));
        Assert.True(registry.IsLoaded("idle"));
        // Evicted and reloaded, it takes new observations.
        Assert.True(registry.Observe("idle", Batch(Obs("a", 5000, At(0.5, 64, 0.5), (1, 63, 1, "stone")))).Applied);
    }

    [Fact]
    public void A_closed_episode_survives_a_restart_as_closed_and_readable()
    {
        using var folder = new TempFolder();
        using (var registry = new EpisodeRegistry(Options(folder.Path), evictOnTimer: false))
        {
            registry.Open("done");
            Fill(registry, "done", batches: 2);
            registry.Close("done");
        }
        using var reopened = new EpisodeRegistry(Options(folder.Path), evictOnTimer: false);
        Assert.True(reopened.Info("done").IsClosed);
        Assert.NotEmpty(reopened.Agents("done"));
        Assert.Throws<EpisodeClosedException>(() => reopened.Observe("done", Batch(Obs("a", 1, At(0, 64, 0)))));
        Assert.Throws<EpisodeClosedException>(() => reopened.Open("done"));
    }
}
