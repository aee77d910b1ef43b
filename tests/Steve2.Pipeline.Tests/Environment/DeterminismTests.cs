using Steve2.Pipeline.Cli;
using Steve2.Pipeline.Environment;
using Steve2.Pipeline.World;

namespace Steve2.Pipeline.Tests.Environment;

public sealed class DeterminismTests
{
    private static readonly VoxelEnvironmentFactory Factory = new(new VoxelEnvironmentOptions(new WorldOptions(96, 64, 96, 30), ImageWidth: 32, ImageHeight: 32));

    private static CodeAction Policy(int episode, int step, int agent, Observation last) => WorldBenchCommand.BenchPolicy(episode, step, agent, last);

    private static string Fingerprint(ActionOutcome o) =>
        $"{o.Success}|{o.Message}|{o.BlocksMoved}|{o.Observation.Pose}|{string.Join(",", o.Observation.Inventory)}|{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(o.Observation.Image.Pixels))}|{o.Observation.Sounds.Count}|{o.Observation.VisibleEntities.Count}";

    [Fact]
    public void Same_seed_and_actions_give_the_same_episode()
    {
        var a = ParallelEpisodeRunner.Run(Factory, 1, 15, _ => new EpisodeSpec(11, 2), Policy, 1)[0];
        var b = ParallelEpisodeRunner.Run(new VoxelEnvironmentFactory(Factory.Options), 1, 15, _ => new EpisodeSpec(11, 2), Policy, 1)[0];
        Assert.Equal(a.Select(Fingerprint), b.Select(Fingerprint));
        Assert.Contains(a, o => o.BlocksMoved > 0);
    }

    [Fact]
    public void Episodes_do_not_change_the_cached_world()
    {
        var before = Factory.WorldFor(12).RawBlocks.ToArray();
        using (var env = Factory.CreateVoxel(new EpisodeSpec(12)))
        {
            var spawn = env.Observe(0).Pose.Block;
            env.World.SetBlock(spawn.Offset(1, 0, 0), Block.Cobblestone);
        }
        Assert.True(before.AsSpan().SequenceEqual(Factory.WorldFor(12).RawBlocks));
    }

    [Fact]
    public void Parallel_runner_gives_the_serial_results()
    {
        var serial = ParallelEpisodeRunner.Run(Factory, 4, 8, e => new EpisodeSpec(20 + e % 2), Policy, 1);
        var parallel = ParallelEpisodeRunner.Run(Factory, 4, 8, e => new EpisodeSpec(20 + e % 2), Policy);
        Assert.Equal(4, parallel.Count);
        for (int e = 0; e < 4; e++) Assert.Equal(serial[e].Select(Fingerprint), parallel[e].Select(Fingerprint));
    }
}
