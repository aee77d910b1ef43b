using Expert.DynamicMap.Episodes;
using Expert.DynamicMap.Frontiers;
using Expert.DynamicMap.Geometry;
using static Expert.DynamicMap.Tests.Build;

namespace Expert.DynamicMap.Tests;

public class FrontierTests
{
    private static IEnumerable<(int, int, int, string)> Walls(int x0, int x1, int z)
    {
        for (int x = x0; x <= x1; x++)
        {
            yield return (x, 64, z, "stone");
            yield return (x, 65, z, "stone");
        }
    }

    /// <summary>
    /// A corridor along x from -20 to 20 (z -1..1, walls at z ±2, floor at y 63), opening east into a
    /// plaza x 21..25, z -5..5; the agent stands in cell x -5. West end: 3 frontier cells, 15 steps away;
    /// the plaza's rim: many cells, about 26 steps away.
    /// </summary>
    private static Episode Corridor()
    {
        var episode = Episode.CreateInMemory("corridor");
        var blocks = Floor(-20, 20, -1, 1, 63).Concat(Walls(-20, 20, -2)).Concat(Walls(-20, 20, 2)).Concat(Floor(21, 25, -5, 5, 63)).ToArray();
        // Observed in two halves so every block stays within sight.
        episode.Apply(Batch(Obs("a", 1, At(-4.5, 64, 0.5), blocks.Where(b => b.Item1 <= 0).ToArray())));
        episode.Apply(Batch(Obs("a", 2, At(-4.5, 64, 0.5), blocks.Where(b => b.Item1 > 0).ToArray())));
        return episode;
    }

    [Fact]
    public void Frontier_cells_are_grouped_and_ranked_by_size_against_distance()
    {
        using var episode = Corridor();
        var report = episode.GetFrontiers(new FrontierRequest("a", ObservedOnly: true));

        Assert.Null(report.WhyNone);
        Assert.Equal(2, report.Frontiers.Count);
        var best = report.Frontiers[0];
        var west = report.Frontiers[1];
        Assert.Equal(1, best.Rank);
        Assert.True(best.Centroid.X > 20, $"the plaza should rank first, got {best.Centroid}");
        Assert.True(best.Size > 10);
        Assert.Equal(3, west.Size);
        Assert.Equal(-20, west.Goal.X);
        Assert.Equal(15, west.PathDistance); // from cell x -5 to x -20
        Assert.Equal(west.Size + FrontierRequest.DefaultUnseenWeight * west.UnseenArea - 0.5 * west.PathDistance, west.Score, 6);
        Assert.All(west.Cells, c => Assert.Equal(-20, c.X));

        // Distance alone: the near west end first.
        var near = episode.GetFrontiers(new FrontierRequest("a", GainWeight: 0, DistanceWeight: 1, UnseenWeight: 0, ObservedOnly: true));
        Assert.Equal(-20, near.Frontiers[0].Goal.X);
    }

    [Fact]
    public void Unreachable_and_blacklisted_frontiers_are_set_aside_with_a_reason()
    {
        using var episode = Corridor();
        // An island of floor nobody can walk to.
        episode.Apply(Batch(Obs("scout", 3, At(2.5, 64, 25.5), Floor(0, 4, 30, 34, 63).ToArray())));
        episode.MarkUnreachable(new Cell(-20, 64, 0), "lava ahead", radius: 2);

        var report = episode.GetFrontiers(new FrontierRequest("a", ObservedOnly: true));
        var offered = Assert.Single(report.Frontiers);
        Assert.True(offered.Centroid.X > 20);
        Assert.Contains(report.SetAside, s => s.Reason.StartsWith("unreachable") && s.Centroid.Z > 29);
        Assert.Contains(report.SetAside, s => s.Reason.Contains("blacklisted") && s.Reason.Contains("lava ahead"));

        // The blacklist may be for another agent only.
        using var other = Corridor();
        other.MarkUnreachable(new Cell(-20, 64, 0), "lava", agentId: "b", radius: 2);
        Assert.Equal(2, other.GetFrontiers(new FrontierRequest("a", ObservedOnly: true)).Frontiers.Count);
    }

    [Fact]
    public void A_fully_explored_enclosed_room_explains_why_there_is_no_frontier()
    {
        using var episode = Episode.CreateInMemory("room");
        var blocks = Floor(0, 4, 0, 4, 63)
            .Concat(Walls(-1, 5, -1)).Concat(Walls(-1, 5, 5))
            .Concat(Enumerable.Range(0, 5).SelectMany(z => new[] { (-1, 64, z, "stone"), (-1, 65, z, "stone"), (5, 64, z, "stone"), (5, 65, z, "stone") }))
            .ToArray();
        episode.Apply(Batch(Obs("a", 1, At(2.5, 64, 2.5), blocks)));

        var report = episode.GetFrontiers(new FrontierRequest("a"));
        Assert.Empty(report.Frontiers);
        Assert.NotNull(report.WhyNone);
        Assert.Contains("fully explored and enclosed", report.WhyNone);
        Assert.Equal(25, report.Stats.StandingCells);
        Assert.Equal(25, report.Stats.ReachableCells);
        Assert.Equal(0, report.Stats.FrontierCells);
    }

    [Fact]
    public void An_empty_map_explains_why_there_is_no_frontier()
    {
        using var episode = Episode.CreateInMemory("empty");
        episode.Apply(Batch(Obs("a", 1, At(0.5, 64, 0.5))));
        var report = episode.GetFrontiers(new FrontierRequest("a"));
        Assert.Empty(report.Frontiers);
        Assert.Contains("empty", report.WhyNone);
        Assert.Equal(0, report.Stats.KnownCells);
    }

    [Fact]
    public void Frontiers_smaller_than_the_minimum_are_set_aside()
    {
        using var episode = Corridor();
        var report = episode.GetFrontiers(new FrontierRequest("a", MinSize: 4, ObservedOnly: true));
        Assert.Single(report.Frontiers);
        Assert.Contains(report.SetAside, s => s.Reason.StartsWith("too small") && s.Size == 3);
    }

    [Fact]
    public void Asking_for_an_unknown_agent_is_not_found()
    {
        using var episode = Corridor();
        Assert.Throws<MapNotFoundException>(() => episode.GetFrontiers(new FrontierRequest("nobody")));
        Assert.Throws<MapValidationException>(() => episode.GetFrontiers(new FrontierRequest("a", Radius: 0)));
    }
}
