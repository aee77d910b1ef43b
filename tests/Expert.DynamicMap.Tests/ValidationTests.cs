using Expert.DynamicMap.Episodes;
using Expert.DynamicMap.Geometry;
using Expert.DynamicMap.Observations;
using static Expert.DynamicMap.Tests.Build;

namespace Expert.DynamicMap.Tests;

public class ValidationTests
{
    private static Observation Good(long tick = 1) => Obs("a", tick, At(0.5, 64, 0.5), (3, 63, 0, "stone"), (4, 63, 1, "dirt"));

    public static TheoryData<string, Func<Observation>, string> BadObservations => new()
    {
        { "NaN x", () => Obs("a", 1, At(double.NaN, 64, 0.5)), "observations[2].pose.x" },
        { "infinite z", () => Obs("a", 1, At(0.5, 64, double.PositiveInfinity)), "observations[2].pose.z" },
        { "y beyond bounds", () => Obs("a", 1, At(0.5, 400, 0.5)), "observations[2].pose.y" },
        { "x beyond bounds", () => Obs("a", 1, At(31_000_000, 64, 0.5)), "observations[2].pose.x" },
        { "pitch", () => Obs("a", 1, At(0.5, 64, 0.5, pitch: 120)), "observations[2].pose.pitch" },
        { "NaN yaw", () => Obs("a", 1, At(0.5, 64, 0.5, yaw: float.NaN)), "observations[2].pose.yaw" },
        { "empty agent", () => Obs("", 1, At(0.5, 64, 0.5)), "observations[2].agent_id" },
        { "negative tick", () => Obs("a", -5, At(0.5, 64, 0.5)), "observations[2].tick" },
        { "block beyond bounds", () => Obs("a", 1, At(0.5, 64, 0.5), (1, 63, 0, "stone"), (2, -100, 0, "stone")), "observations[2].blocks[1].y" },
        { "empty block name", () => Obs("a", 1, At(0.5, 64, 0.5), (1, 63, 0, " ")), "observations[2].blocks[0].block" },
        { "block out of sight", () => Obs("a", 1, At(0.5, 64, 0.5), (500, 63, 0, "stone")), "observations[2].blocks[0]" },
        { "palette index", () => new Observation("a", 1, At(0.5, 64, 0.5), ["stone"], [new BlockSeen(1, 63, 0, 3)]), "observations[2].blocks[0].block" },
        { "empty entity name", () => new Observation("a", 1, At(0.5, 64, 0.5), entities: [new EntitySeen("", 1, 64, 1)]), "observations[2].entities[0].name" },
        { "NaN entity", () => new Observation("a", 1, At(0.5, 64, 0.5), entities: [new EntitySeen("cow", 1, double.NaN, 1)]), "observations[2].entities[0].y" },
        { "confidence", () => new Observation("a", 1, At(0.5, 64, 0.5), entities: [new EntitySeen("cow", 1, 64, 1, 1.5f)]), "observations[2].entities[0].confidence" },
        { "sound without place", () => new Observation("a", 1, At(0.5, 64, 0.5), sounds: [new SoundHeard("cow", 1)]), "observations[2].sounds[0]" },
        { "zero direction", () => new Observation("a", 1, At(0.5, 64, 0.5), sounds: [new SoundHeard("cow", 1, Direction: new Vec3(0, 0, 0))]), "observations[2].sounds[0].direction" },
        { "empty sound name", () => new Observation("a", 1, At(0.5, 64, 0.5), sounds: [new SoundHeard("", 1, Position: new Vec3(0, 64, 0))]), "observations[2].sounds[0].name" },
        { "negative volume", () => new Observation("a", 1, At(0.5, 64, 0.5), sounds: [new SoundHeard("cow", -1, Position: new Vec3(0, 64, 0))]), "observations[2].sounds[0].volume" },
    };

    [Theory]
    [MemberData(nameof(BadObservations))]
    public void A_bad_observation_rejects_the_whole_batch_with_its_field_path(string what, Func<Observation> bad, string field)
    {
        using var episode = Episode.CreateInMemory("v");
        episode.Apply(Batch(Good(0)));
        byte[] before = episode.ExportState();

        var error = Assert.Throws<MapValidationException>(() => episode.Apply(Batch(Good(1), Good(2), bad())));
        Assert.Equal(MapErrorKind.InvalidArgument, error.Kind);
        Assert.True(error.Violations.Any(v => v.Field == field), $"{what}: expected {field}, got {string.Join("; ", error.Violations)}");
        Assert.Equal(before, episode.ExportState()); // the good observations before it were not applied either
    }

    [Fact]
    public void Oversized_and_empty_batches_are_invalid()
    {
        using var episode = Episode.CreateInMemory("size", new MapOptions { MaxBlocksPerBatch = 3, MaxObservationsPerBatch = 2 });
        var tooManyBlocks = Assert.Throws<MapValidationException>(() => episode.Apply(Batch(Good(1), Good(2))));
        Assert.Contains(tooManyBlocks.Violations, v => v.Field == "observations" && v.Description.Contains("blocks"));
        var tooMany = Assert.Throws<MapValidationException>(() => episode.Apply(Batch(Obs("a", 1, At(0, 64, 0)), Obs("a", 2, At(0, 64, 0)), Obs("a", 3, At(0, 64, 0)))));
        Assert.Contains(tooMany.Violations, v => v.Field == "observations");
        var empty = Assert.Throws<MapValidationException>(() => episode.Apply(new ObservationBatch([])));
        Assert.Contains(empty.Violations, v => v.Field == "observations");
        Assert.Equal(0, episode.Stats.Version);
    }

    [Fact]
    public void Every_violation_is_listed_not_only_the_first()
    {
        using var episode = Episode.CreateInMemory("many");
        var error = Assert.Throws<MapValidationException>(() => episode.Apply(Batch(Obs("", -1, At(double.NaN, 64, double.NaN)))));
        Assert.Equal(["observations[0].agent_id", "observations[0].tick", "observations[0].pose.x", "observations[0].pose.z"],
            error.Violations.Select(v => v.Field).ToArray());
    }

    [Fact]
    public void Configured_world_bounds_are_enforced()
    {
        var options = new MapOptions { Bounds = new WorldBounds(-100, 100, 0, 128, -100, 100) };
        using var episode = Episode.CreateInMemory("bounds", options);
        var error = Assert.Throws<MapValidationException>(() => episode.Apply(Batch(Obs("a", 1, At(0.5, 64, 0.5), (101, 63, 0, "stone")))));
        Assert.Equal("observations[0].blocks[0].x", Assert.Single(error.Violations).Field);
        Assert.Throws<ArgumentException>(() => new MapOptions { Bounds = new WorldBounds(10, 0, 0, 1, 0, 1) }.Validate());
    }
}
