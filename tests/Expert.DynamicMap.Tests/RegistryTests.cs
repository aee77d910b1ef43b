using Expert.DynamicMap.Episodes;
using static Expert.DynamicMap.Tests.Build;

namespace Expert.DynamicMap.Tests;

public class RegistryTests
{
    [Fact]
    public void Open_list_close_and_the_errors_a_host_maps_to_status_codes()
    {
        using var registry = new EpisodeRegistry(Options());
        var chosen = registry.Open("ep-1");
        var assigned = registry.Open();
        Assert.Equal("ep-1", chosen.Id);
        Assert.Matches("^[0-9a-f]{32}$", assigned.Id);
        Assert.Equal(chosen.Created, registry.Open("ep-1").Created); // a retry returns the same episode
        Assert.Equal(2, registry.List().Count);

        var notFound = Assert.Throws<EpisodeNotFoundException>(() => registry.Observe("nope", Batch(Obs("a", 1, At(0, 64, 0)))));
        Assert.Equal(MapErrorKind.NotFound, notFound.Kind);
        var badId = Assert.Throws<MapValidationException>(() => registry.Open("../etc"));
        Assert.Equal("episode_id", Assert.Single(badId.Violations).Field);

        registry.Close("ep-1");
        Assert.True(registry.Info("ep-1").IsClosed);
        var closed = Assert.Throws<EpisodeClosedException>(() => registry.Observe("ep-1", Batch(Obs("a", 1, At(0, 64, 0)))));
        Assert.Equal(MapErrorKind.FailedPrecondition, closed.Kind);
        Assert.Single(registry.List(includeClosed: false));
        registry.Describe("ep-1"); // reads still work

        registry.Close("ep-1", delete: true);
        Assert.Throws<EpisodeNotFoundException>(() => registry.Info("ep-1"));
    }

    [Fact]
    public void Too_many_open_episodes_is_resource_exhausted()
    {
        using var registry = new EpisodeRegistry(Options() with { MaxOpenEpisodes = 2 });
        registry.Open("a");
        registry.Open("b");
        var error = Assert.Throws<MapLimitExceededException>(() => registry.Open("c"));
        Assert.Equal(MapErrorKind.ResourceExhausted, error.Kind);
        Assert.Equal(nameof(MapOptions.MaxOpenEpisodes), error.Limit);
        registry.Close("a");
        registry.Open("c");
    }

    [Fact]
    public void A_batch_over_the_chunk_limit_is_refused_whole()
    {
        using var registry = new EpisodeRegistry(Options() with { MaxChunksPerEpisode = 8, MaxLoadedChunks = 10 });
        registry.Open("small");
        registry.Observe("small", Batch(Obs("a", 1, At(0.5, 64, 0.5), (3, 63, 3, "stone"))));
        byte[] before = registry.ExportState("small");

        var far = Batch(Obs("a", 2, At(0.5, 64, 0.5), (3, 63, 3, "stone")), Obs("a", 3, At(0.5, 64, 0.5), (100, 63, 0, "stone")));
        var error = Assert.Throws<MapLimitExceededException>(() => registry.Observe("small", far));
        Assert.Equal(nameof(MapOptions.MaxChunksPerEpisode), error.Limit);
        Assert.Equal(before, registry.ExportState("small"));

        // Across episodes: the host-wide limit.
        registry.Open("other");
        registry.Observe("other", Batch(Obs("a", 1, At(0.5, 64, 0.5), (40, 63, 0, "stone"))));
        registry.Observe("other", Batch(Obs("a", 2, At(40.5, 64, 0.5), (60, 63, 0, "stone"))));
        var global = Assert.Throws<MapLimitExceededException>(() => registry.Observe("small", Batch(Obs("a", 9, At(0.5, 64, 0.5), (-20, 63, 0, "stone")))));
        Assert.Equal(nameof(MapOptions.MaxLoadedChunks), global.Limit);
    }

    [Fact]
    public void Too_many_block_names_is_resource_exhausted()
    {
        using var episode = Episode.CreateInMemory("names", new MapOptions { MaxPaletteSize = 4 });
        episode.Apply(Batch(Obs("a", 1, At(0.5, 64, 0.5), (1, 63, 0, "stone"), (2, 63, 0, "dirt"))));
        var error = Assert.Throws<MapLimitExceededException>(() => episode.Apply(Batch(Obs("a", 2, At(0.5, 64, 0.5), (3, 63, 0, "sand")))));
        Assert.Equal(nameof(MapOptions.MaxPaletteSize), error.Limit);
        Assert.Equal("", episode.CellAt(3, 63, 0).Block);
    }

    [Fact]
    public async Task Watchers_see_each_applied_change_and_the_close()
    {
        using var registry = new EpisodeRegistry(Options());
        registry.Open("live");
        using var watch = registry.Watch("live");
        var batch = Batch(Obs("a", 7, At(0.5, 64, 0.5), (3, 63, 3, "stone")));
        registry.Observe("live", batch);
        registry.Observe("live", batch); // a replay: no change
        registry.Close("live");

        var changes = new List<MapChange>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await foreach (var change in watch.Changes.ReadAllAsync(timeout.Token)) changes.Add(change);
        Assert.Equal([MapChangeKind.Observed, MapChangeKind.Closed], changes.Select(c => c.Kind).ToArray());
        Assert.Equal(["a"], changes[0].AgentIds);
        Assert.Equal(7, changes[0].Tick);
        Assert.NotNull(changes[0].Touched);
        Assert.True(changes[0].Touched!.Value.ContainsColumn(3, 3));
    }
}
