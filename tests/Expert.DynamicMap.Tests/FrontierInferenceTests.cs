using Expert.DynamicMap.Episodes;
using Expert.DynamicMap.Frontiers;
using static Expert.DynamicMap.Tests.Build;

namespace Expert.DynamicMap.Tests;

/// <summary>
/// Frontiers from what a 64 × 64 view gives: a dense patch of ground around the agent and single ground blocks
/// every 8 columns farther out (one pixel ray each), with unknown columns between them.
/// </summary>
public class FrontierInferenceTests
{
    /// <summary>The agent at (0.5, 64, 0.5) on a 5 × 5 stone patch at y 63, looking east.</summary>
    private static Episode Patch(string id, params (int, int, int, string)[] far)
    {
        var episode = Episode.CreateInMemory(id);
        var near = Floor(-2, 2, -2, 2, 63).ToArray();
        episode.Apply(Batch(Obs("a", 1, At(0.5, 64, 0.5, yaw: 270, pitch: 10), near.Concat(far).ToArray())));
        return episode;
    }

    /// <summary>Single ground blocks (no air given: the rays from the eye carve it) every 8 columns east, on three rows.</summary>
    private static (int, int, int, string)[] SparseGround(int y, int x0, int x1, string block = "stone") =>
        (from x in Enumerable.Range(0, (x1 - x0) / 8 + 1).Select(i => x0 + 8 * i)
         from z in new[] { -8, 0, 8 }
         select (x, y, z, block)).ToArray();

    [Fact]
    public void Sparse_ground_samples_give_reachable_frontiers_beyond_the_neighbourhood()
    {
        using var episode = Patch("sparse", SparseGround(63, 8, 40));

        // The observations alone: the samples are islands nobody can walk to.
        var observed = episode.GetFrontiers(new FrontierRequest("a", MinSize: 1, ObservedOnly: true));
        Assert.DoesNotContain(observed.Frontiers, f => f.Goal.X > 6);
        Assert.True(observed.Stats.StandingCells <= 40, $"observed standing {observed.Stats.StandingCells}");

        // Ground inferred between them: frontiers out past the farthest samples, reachable over inferred cells.
        var report = episode.GetFrontiers(new FrontierRequest("a", MinSize: 1));
        Assert.Null(report.WhyNone);
        Assert.True(report.Stats.InferredCells > 100, $"inferred {report.Stats.InferredCells}");
        Assert.True(report.Frontiers.Any(f => f.Centroid.X >= 36 && f.InferredCells > 0 && f.PathDistance >= 40),
            string.Join("; ", report.Frontiers.Select(f => $"{f.Goal} n{f.Size} p{f.PathDistance} u{f.UnseenArea} i{f.InferredCells}")));
        Assert.All(report.Frontiers, f => Assert.True(Math.Abs(f.Goal.X) + Math.Abs(f.Goal.Z) >= 3, $"goal {f.Goal} at the agent"));
        Assert.All(report.Frontiers, f => Assert.Equal(64, f.Goal.Y));
        // What going there may reveal: the unexplored columns around the goal.
        Assert.All(report.Frontiers, f => Assert.InRange(f.UnseenArea, 1, 33 * 33));
    }

    [Fact]
    public void The_agent_own_place_is_never_a_frontier_goal()
    {
        // Only the 5 x 5 patch is known: every frontier cell lies within 2 columns of the agent... or beyond the
        // inferred rim, 6 columns out.
        using var episode = Patch("alone");
        var observed = episode.GetFrontiers(new FrontierRequest("a", MinSize: 1, ObservedOnly: true));
        Assert.All(observed.Frontiers, f => Assert.True(Math.Max(Math.Abs(f.Goal.X), Math.Abs(f.Goal.Z)) >= 2, $"goal {f.Goal}"));
        Assert.All(observed.Frontiers, f => Assert.False(f.Goal.X == 0 && f.Goal.Z == 0));
        var inferred = episode.GetFrontiers(new FrontierRequest("a", MinSize: 1));
        Assert.NotEmpty(inferred.Frontiers);
        Assert.All(inferred.Frontiers, f => Assert.True(Math.Max(Math.Abs(f.Goal.X), Math.Abs(f.Goal.Z)) >= 7, $"goal {f.Goal}"));
    }

    [Fact]
    public void A_cliff_between_samples_is_not_walked_up()
    {
        // Samples at y 63 up to x 16, then on a plateau 10 blocks higher from x 24 on (seen from above: air given).
        var low = SparseGround(63, 8, 16);
        var high = (from x in new[] { 24, 32, 40 } from z in new[] { -8, 0, 8 } from b in Floor(x, x, z, z, 73) select b).ToArray();
        using var episode = Patch("cliff", low.Concat(high).ToArray());

        var report = episode.GetFrontiers(new FrontierRequest("a", MinSize: 1));
        Assert.NotEmpty(report.Frontiers);
        Assert.DoesNotContain(report.Frontiers, f => f.Goal.Y > 66);
        Assert.DoesNotContain(report.Frontiers, f => f.Goal.X > 22);
        Assert.Contains(report.SetAside, s => s.Reason.StartsWith("unreachable") && s.Centroid.Y > 72);
    }

    [Fact]
    public void Water_between_samples_is_not_standing_ground()
    {
        // A lake: the samples east of the patch are water surface blocks.
        using var episode = Patch("lake", SparseGround(62, 8, 40, "water"));
        var report = episode.GetFrontiers(new FrontierRequest("a", MinSize: 1));
        var dry = episode.GetFrontiers(new FrontierRequest("a", MinSize: 1, ObservedOnly: true));
        Assert.True(report.Stats.InferredCells > 0);
        Assert.DoesNotContain(report.Frontiers, f => f.Goal.X > 8);

        // The same samples as ground do lead east.
        using var ground = Patch("ground", SparseGround(62, 8, 40));
        var g = ground.GetFrontiers(new FrontierRequest("a", MinSize: 1));
        Assert.True(g.Frontiers.Any(f => f.Goal.X > 30), string.Join("; ", g.Frontiers.Select(f => $"{f.Goal} {f.Size} {f.PathDistance}")) + " | " + string.Join("; ", g.SetAside.Select(f => $"{f.Centroid} {f.Size} {f.Reason}")));
        Assert.NotNull(dry);
    }
}
