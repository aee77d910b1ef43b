using Expert.DynamicMap.Episodes;
using Expert.DynamicMap.Geometry;
using Expert.DynamicMap.Observations;
using Expert.DynamicMap.Sounds;
using static Expert.DynamicMap.Tests.Build;

namespace Expert.DynamicMap.Tests;

public class SoundTests
{
    private static readonly Vec3 Source = new(40.3, 70.0, -25.7);

    private static Vec3 Eye(MapPose pose) => new(pose.X, pose.Y + new MapOptions().EyeHeight, pose.Z);

    private static Observation Hears(long tick, MapPose pose, Vec3 direction, string name = "zombie") =>
        new("a", tick, pose, sounds: [new SoundHeard(name, 0.8f, Direction: direction)]);

    /// <summary>Turns a direction by a yaw (about y) and a pitch (about the horizontal) in degrees.</summary>
    private static Vec3 Perturb(Vec3 d, double yawDegrees, double pitchDegrees)
    {
        double horizontal = Math.Atan2(d.Z, d.X) + yawDegrees * Math.PI / 180;
        double elevation = Math.Atan2(d.Y, Math.Sqrt(d.X * d.X + d.Z * d.Z)) + pitchDegrees * Math.PI / 180;
        return new Vec3(Math.Cos(elevation) * Math.Cos(horizontal), Math.Sin(elevation), Math.Cos(elevation) * Math.Sin(horizontal));
    }

    private static readonly MapPose[] Listeners =
    [
        At(0.5, 64, 0.5), At(10.5, 64, 12.5), At(25.5, 66, 8.5), At(5.5, 63, -30.5), At(-8.5, 64, -10.5), At(30.5, 65, 15.5),
    ];

    [Fact]
    public void Exact_bearings_locate_a_source_within_one_block()
    {
        using var episode = Episode.CreateInMemory("exact");
        long tick = 0;
        foreach (var pose in Listeners.Take(4))
            episode.Apply(Batch(Hears(tick += 10, pose, Source - Eye(pose))));

        var source = Assert.Single(episode.SoundSources);
        Assert.True(source.Located);
        Assert.True(source.Position.DistanceTo(Source) <= 1.0, $"found {source.Position}, {source.Position.DistanceTo(Source):0.00} from the source");
        Assert.Equal(4, source.BearingsUsed);
        Assert.True(source.Uncertainty is >= 0.5 and < 3, $"uncertainty {source.Uncertainty}");
    }

    [Fact]
    public void Noisy_bearings_locate_a_source_within_three_blocks()
    {
        var random = new Random(20240404);
        double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

        using var episode = Episode.CreateInMemory("noisy");
        long tick = 0;
        foreach (var pose in Listeners)
        {
            var direction = Perturb(Source - Eye(pose), 2.0 * Gaussian(), 2.0 * Gaussian());
            episode.Apply(Batch(Hears(tick += 10, pose, direction)));
        }

        var source = Assert.Single(episode.SoundSources);
        Assert.True(source.Located);
        double error = source.Position.HorizontalDistanceTo(Source);
        Assert.True(source.Position.DistanceTo(Source) <= 3.0, $"found {source.Position}, {source.Position.DistanceTo(Source):0.00} from the source");
        Assert.True(source.Uncertainty >= error * 0.5, $"the uncertainty {source.Uncertainty:0.00} should not be far below the error {error:0.00}");
    }

    [Fact]
    public void One_bearing_or_parallel_bearings_do_not_locate()
    {
        using var episode = Episode.CreateInMemory("single");
        episode.Apply(Batch(Hears(1, At(0.5, 64, 0.5), new Vec3(1, 0, 0))));
        var source = Assert.Single(episode.SoundSources);
        Assert.False(source.Located);
        Assert.Equal("E", episode.LocateTargets("zombie").Matches.Single().Direction);

        // A second bearing parallel to the first, from a point on the same line: still no fix.
        episode.Apply(Batch(Hears(2, At(5.5, 64, 0.5), new Vec3(1, 0, 0))));
        Assert.False(Assert.Single(episode.SoundSources).Located);
        Assert.Null(BearingLocator.Locate([new Bearing(new Vec3(0, 0, 0), new Vec3(1, 0, 0), 0, 1, "a"), new Bearing(new Vec3(0, 0, 1), new Vec3(1, 0, 0.001), 0, 1, "a")]));
    }

    [Fact]
    public void Positioned_sounds_are_placed_directly_and_same_name_neighbours_merge()
    {
        using var episode = Episode.CreateInMemory("placed");
        episode.Apply(Batch(new Observation("a", 1, At(0.5, 64, 0.5), sounds:
        [
            new SoundHeard("minecraft:block.chest.open", 1, Position: new Vec3(10, 64, 10)),
            new SoundHeard("block.chest.open", 1, Position: new Vec3(12, 64, 11)),
            new SoundHeard("block.chest.open", 1, Position: new Vec3(40, 64, 10)),
            new SoundHeard("entity.cow.ambient", 1, Position: new Vec3(11, 64, 10)),
        ])));
        var sources = episode.SoundSources;
        Assert.Equal(3, sources.Count);
        var chest = sources.Single(s => s.Name == "block.chest.open" && s.Position.X < 20);
        Assert.Equal(2, chest.Hearings);
        Assert.Equal(12, chest.Position.X);
        Assert.Equal(0.5, chest.Uncertainty);
    }

    [Fact]
    public void A_located_bearing_source_merges_with_a_positioned_one_of_the_same_name()
    {
        using var episode = Episode.CreateInMemory("merge");
        long tick = 0;
        foreach (var pose in Listeners.Take(3))
            episode.Apply(Batch(Hears(tick += 10, pose, Source - Eye(pose))));
        episode.Apply(Batch(new Observation("b", tick + 10, At(38.5, 70, -20.5),
            sounds: [new SoundHeard("zombie", 1, Position: Source + new Vec3(1, 0, 1))])));
        var source = Assert.Single(episode.SoundSources);
        Assert.Equal(4, source.Hearings);
        Assert.Equal(0.5, source.Uncertainty);
    }

    [Fact]
    public void Two_sources_of_one_name_in_different_places_stay_apart()
    {
        var other = new Vec3(-40, 64, 35);
        using var episode = Episode.CreateInMemory("two");
        long tick = 0;
        foreach (var pose in Listeners.Take(3))
            episode.Apply(Batch(Hears(tick += 10, pose, Source - Eye(pose))));
        foreach (var pose in Listeners.Skip(3))
            episode.Apply(Batch(Hears(tick += 10, pose, other - Eye(pose))));
        var located = episode.SoundSources.Where(s => s.Located).ToArray();
        Assert.Equal(2, located.Length);
        Assert.Contains(located, s => s.Position.DistanceTo(Source) < 1.5);
        Assert.Contains(located, s => s.Position.DistanceTo(other) < 1.5);
    }
}
