using Expert.DynamicMap.Episodes;
using static Expert.DynamicMap.Tests.Build;

namespace Expert.DynamicMap.Tests;

public class ReplayTests
{
    [Fact]
    public void The_same_batch_twice_counts_once()
    {
        using var episode = Episode.CreateInMemory("replay");
        var batch = Batch(Obs("a", 5, At(0.5, 64, 0.5), (6, 65, 0, "stone")));
        var first = episode.Apply(batch);
        byte[] state = episode.ExportState();
        var again = episode.Apply(Batch(Obs("a", 5, At(0.5, 64, 0.5), (6, 65, 0, "stone")))); // equal content, new objects

        Assert.True(first.Applied);
        Assert.True(again.Duplicate);
        Assert.False(again.Applied);
        Assert.Equal(first.BatchKey, again.BatchKey);
        Assert.StartsWith("h:", first.BatchKey);
        Assert.Equal(1, episode.CellAt(6, 65, 0).SeenCount);
        Assert.Equal(state, episode.ExportState());
    }

    [Fact]
    public void A_batch_id_is_the_replay_key_per_agent_and_tick()
    {
        using var episode = Episode.CreateInMemory("ids");
        Assert.True(episode.Apply(Batch("7", Obs("a", 5, At(0.5, 64, 0.5), (6, 65, 0, "stone")))).Applied);
        // A retry of batch 7 by agent a at tick 5, even re-encoded differently, is the same batch.
        Assert.True(episode.Apply(Batch("7", Obs("a", 5, At(0.5, 64, 0.5), (6, 65, 0, "stone")))).Duplicate);
        // Another agent may use the same id.
        Assert.True(episode.Apply(Batch("7", Obs("b", 5, At(0.5, 64, 0.5), (6, 65, 0, "stone")))).Applied);
        Assert.Equal(2, episode.CellAt(6, 65, 0).SeenCount);
        // Different content without an id is a different batch.
        Assert.True(episode.Apply(Batch(Obs("a", 6, At(0.5, 64, 0.5), (6, 65, 0, "stone")))).Applied);
        Assert.Equal(3, episode.CellAt(6, 65, 0).SeenCount);
    }

    [Fact]
    public void Replays_are_recognised_after_a_restart()
    {
        using var folder = new TempFolder();
        var batch = Batch(Obs("a", 5, At(0.5, 64, 0.5), (6, 65, 0, "stone")));
        using (var registry = new EpisodeRegistry(Options(folder.Path), evictOnTimer: false))
        {
            registry.Open("e");
            Assert.True(registry.Observe("e", batch).Applied);
        }
        using (var registry = new EpisodeRegistry(Options(folder.Path), evictOnTimer: false))
        {
            Assert.True(registry.Observe("e", batch).Duplicate);
            Assert.Equal(1, registry.CellAt("e", 6, 65, 0).SeenCount);
        }
    }
}
