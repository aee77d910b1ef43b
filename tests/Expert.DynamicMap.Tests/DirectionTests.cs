using Expert.DynamicMap.Episodes;
using Expert.DynamicMap.Geometry;
using Expert.DynamicMap.Observations;
using static Expert.DynamicMap.Tests.Build;

namespace Expert.DynamicMap.Tests;

/// <summary>A sound's direction: any finite non-zero vector is a direction, normalised without overflow or underflow.</summary>
public class DirectionTests
{
    [Theory]
    [InlineData(1e308, 1e308, 1e308)]
    [InlineData(-1e308, 0, 1e308)]
    [InlineData(1e-200, 0, 1e-200)]
    [InlineData(double.Epsilon, 0, 0)]
    [InlineData(3, 4, 0)]
    public void Any_finite_non_zero_direction_normalises_to_a_unit_vector_along_it(double x, double y, double z)
    {
        var d = new Vec3(x, y, z);
        Vec3 unit = d.Normalized();

        Assert.True(d.IsDirection);
        Assert.Equal(1.0, unit.Length, 12);
        // Same direction: each component keeps its sign and its share of the largest one.
        double max = Math.Max(Math.Abs(x), Math.Max(Math.Abs(y), Math.Abs(z)));
        double unitMax = Math.Max(Math.Abs(unit.X), Math.Max(Math.Abs(unit.Y), Math.Abs(unit.Z)));
        Assert.Equal(x / max, unit.X / unitMax, 12);
        Assert.Equal(y / max, unit.Y / unitMax, 12);
        Assert.Equal(z / max, unit.Z / unitMax, 12);
    }

    [Fact]
    public void Only_an_exact_zero_or_a_non_finite_vector_is_not_a_direction()
    {
        Assert.False(new Vec3(0, 0, 0).IsDirection);
        Assert.False(new Vec3(0, -0.0, 0).IsDirection);
        Assert.False(new Vec3(double.NaN, 1, 0).IsDirection);
        Assert.False(new Vec3(double.PositiveInfinity, 0, 0).IsDirection);
        Assert.Equal(new Vec3(0, 0, 0), new Vec3(0, 0, 0).Normalized());
    }

    [Fact]
    public void Huge_and_tiny_bearings_are_accepted_and_point_the_right_way_while_zero_is_refused()
    {
        using var episode = Episode.CreateInMemory("dirs");
        var pose = At(0.5, 64, 0.5);

        episode.Apply(Batch(new Observation("a", 1, pose, sounds: [new SoundHeard("huge", 0.8f, Direction: new Vec3(1e308, 1e308, 1e308))])));
        episode.Apply(Batch(new Observation("a", 2, pose, sounds: [new SoundHeard("tiny", 0.8f, Direction: new Vec3(1e-200, 0, 1e-200))])));
        var zero = Assert.Throws<MapValidationException>(() =>
            episode.Apply(Batch(new Observation("a", 3, pose, sounds: [new SoundHeard("none", 0.8f, Direction: new Vec3(0, 0, 0))]))));

        Assert.Equal("SE", episode.LocateTargets("huge").Matches.Single().Direction);
        Assert.Equal("SE", episode.LocateTargets("tiny").Matches.Single().Direction);
        Assert.Contains(zero.Violations, v => v.Field.EndsWith(".direction", StringComparison.Ordinal));
    }
}
