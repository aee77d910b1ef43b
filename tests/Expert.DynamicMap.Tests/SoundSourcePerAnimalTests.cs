using Expert.DynamicMap.Episodes;
using Expert.DynamicMap.Geometry;
using Expert.DynamicMap.Observations;
using static Expert.DynamicMap.Tests.Build;

namespace Expert.DynamicMap.Tests;

/// <summary>One sound source per animal: sounds of one name from several animals form one source each (grouped by source, not by name).</summary>
public class SoundSourcePerAnimalTests
{
    private static readonly MapOptions Hearing = new() { SoundHearingRadius = 64 };

    private static Vec3 Eye(MapPose pose) => new(pose.X, pose.Y + new MapOptions().EyeHeight, pose.Z);

    /// <summary>A direction-only hearing as the pipeline world makes it: the direction to the source and volume 1 - distance / 64.</summary>
    private static Observation Hears(long tick, MapPose pose, Vec3 source, string agent = "a")
    {
        Vec3 d = source - Eye(pose);
        return new(agent, tick, pose, sounds: [new SoundHeard("pig", (float)(1 - d.Length / 64), Direction: d)]);
    }

    private static readonly Vec3 PigA = new(30.5, 64.5, 10.5), PigB = new(-20.5, 64.5, 35.5), PigC = new(5.5, 64.5, -40.5);

    private static readonly MapPose[] Listeners = [At(0.5, 64, 0.5), At(2.5, 64, 0.5), At(8.5, 64, 6.5), At(-4.5, 64, 3.5), At(6.5, 64, -8.5), At(12.5, 64, 12.5)];

    [Fact]
    public void Three_pigs_heard_in_turn_make_three_located_sources_each_near_its_pig()
    {
        using var episode = Episode.CreateInMemory("pigs", Hearing);
        long tick = 0;
        foreach (var pose in Listeners)
            foreach (var pig in new[] { PigA, PigB, PigC })
                episode.Apply(Batch(Hears(tick += 1, pose, pig)));

        var sources = episode.SoundSources.Where(s => s.Name == "pig").ToArray();
        Assert.Equal(3, sources.Length);
        foreach (var pig in new[] { PigA, PigB, PigC })
        {
            var source = Assert.Single(sources, s => s.Position.DistanceTo(pig) < 3);
            Assert.True(source.Located);
            Assert.True(source.Uncertainty < 8, $"uncertainty {source.Uncertainty:0.0} for the pig at {pig}");
        }
    }

    [Fact]
    public void A_single_hearing_is_placed_at_the_range_its_volume_gives_with_a_radius()
    {
        using var episode = Episode.CreateInMemory("one", Hearing);
        episode.Apply(Batch(Hears(1, Listeners[0], PigA)));
        var source = Assert.Single(episode.SoundSources);
        Assert.True(source.Located);
        Assert.True(source.Position.DistanceTo(PigA) < 1, $"{source.Position}");
        Assert.InRange(source.Uncertainty, 2, 8);
        var match = Assert.Single(episode.LocateTargets("pig").Matches);
        Assert.Equal(source.Uncertainty, match.Uncertainty, 3);
    }

    [Fact]
    public void Without_a_hearing_radius_two_pigs_from_nearby_listeners_still_do_not_share_one_fix()
    {
        // Two bearings from one place toward two pigs meet only at the listener: no source may sit between the pigs.
        using var episode = Episode.CreateInMemory("noradius");
        long tick = 0;
        foreach (var pose in Listeners.Take(3))
        {
            episode.Apply(Batch(Hears(tick += 1, pose, PigA)));
            episode.Apply(Batch(Hears(tick += 1, pose, PigB)));
        }
        foreach (var s in episode.SoundSources.Where(s => s.Located))
            Assert.True(s.Position.DistanceTo(PigA) < 3 || s.Position.DistanceTo(PigB) < 3, $"a source at {s.Position} belongs to neither pig");
    }
}
