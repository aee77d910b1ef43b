using Steve2.Pipeline.Environment;
using Steve2.Pipeline.World;
using static Steve2.Pipeline.Tests.Environment.TestWorlds;

namespace Steve2.Pipeline.Tests.Environment;

public sealed class SoundTests
{
    private static IReadOnlyList<HeardSound> HeardAfterOneWait(int distance)
    {
        var world = Flat(256);
        // A chicken in a two-deep pit so it cannot wander between the sound and the check.
        var at = new BlockPos(0, Feet - 2, distance);
        world.Set(at, Block.Air);
        world.Set(at.Above, Block.Air);
        world.InitialAnimals = [("chicken", at)];
        using var env = Episode(world, options: new VoxelEnvironmentOptions(world.Options, SoundChance: 1));
        return env.Step(0, new Wait()).Observation.Sounds;
    }

    [Fact]
    public void Near_sounds_come_with_their_position()
    {
        var sound = Assert.Single(HeardAfterOneWait(10));
        Assert.Equal("chicken", sound.Source);
        Assert.NotNull(sound.Position);
        Assert.Equal(10.5, sound.Position!.Value.Z, 6);
        Assert.True(sound.Direction.Z > 0.9, $"direction {sound.Direction}");
        Assert.InRange(sound.Loudness, 0.8, 0.9);
    }

    [Fact]
    public void Far_sounds_give_only_direction_and_loudness()
    {
        var sound = Assert.Single(HeardAfterOneWait(40));
        Assert.Null(sound.Position);
        Assert.True(sound.Direction.Z > 0.99);
        Assert.Equal(1.0, Math.Sqrt(sound.Direction.X * sound.Direction.X + sound.Direction.Y * sound.Direction.Y + sound.Direction.Z * sound.Direction.Z), 6);
        Assert.InRange(sound.Loudness, 0.3, 0.4);
        Assert.True(sound.Loudness < HeardAfterOneWait(20)[0].Loudness);
    }

    [Fact]
    public void Sounds_beyond_hearing_are_not_heard()
    {
        Assert.Empty(HeardAfterOneWait(70));
    }

    [Fact]
    public void Sounds_are_delivered_once()
    {
        var world = Flat();
        world.InitialAnimals = [("sheep", new BlockPos(0, Feet, 5))];
        using var env = Episode(world, options: new VoxelEnvironmentOptions(world.Options, SoundChance: 1));
        Assert.Single(env.Step(0, new Wait()).Observation.Sounds);
        Assert.Empty(env.Observe(0).Sounds);
    }
}
