using Expert.VqVae.MlCore.Training;
using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Student.Distillation;
using Steve2.Pipeline.Tests.Trajectories;

namespace Steve2.Pipeline.Tests.Student.Distillation;

/// <summary>DAgger's round bookkeeping: a run killed between stages and inside the trainer resumes to the uninterrupted run's checkpoint.</summary>
[Collection(StudentCollection.Name)]
public sealed class DaggerRunTests
{
    private static readonly DaggerRunOptions Options = new()
    {
        Rounds = 1, Tasks = ["collection"], SeedsPerRound = 1, MaxIterations = 3, Parallel = 1, MaxRetries = 0, Device = "cpu",
        Dpo = new DpoOptions { Steps = 3, BatchSize = 2, CheckpointEvery = 1, WarmupSteps = 1 },
    };

    [Fact]
    public async Task A_round_killed_before_training_and_inside_it_resumes_to_the_uninterrupted_rounds_checkpoint()
    {
        using var folder = new TestFolder();
        string reference = await StudentTestData.UntrainedCheckpointAsync(folder.Sub("reference.ckpt"));
        string through = folder.Sub("through"), stopped = folder.Sub("stopped");
        var done = await new DaggerRun(Options, new VoxelEnvironmentFactory()).RunAsync(through, reference, null);
        Assert.Single(done);
        Assert.True(done[0].Pairs > 0);

        // killed when the trainer starts (rollouts and pairs on disk), then inside it after step 2, then run to the end
        foreach (var kill in new Func<CancellationTokenSource, ITrainingProgress>[] { c => new CancelOn(c, m => m.StartsWith("DPO + MLE", StringComparison.Ordinal)), c => new CancelOn(c, step: 2) })
        {
            using var cts = new CancellationTokenSource();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new DaggerRun(Options, new VoxelEnvironmentFactory(), kill(cts)).RunAsync(stopped, reference, null, cts.Token));
            Assert.False(File.Exists(Path.Combine(DaggerRun.RoundDir(stopped, 1), DaggerRun.SummaryName)));
        }
        var resumed = await new DaggerRun(Options, new VoxelEnvironmentFactory()).RunAsync(stopped, reference, null);

        string a = DaggerRun.RoundDir(through, 1), b = DaggerRun.RoundDir(stopped, 1);
        Assert.Equal(File.ReadAllBytes(Path.Combine(a, PreferencePairs.FileName)), File.ReadAllBytes(Path.Combine(b, PreferencePairs.FileName)));
        Assert.Equal(File.ReadAllBytes(Path.Combine(a, DaggerRun.ModelName)), File.ReadAllBytes(Path.Combine(b, DaggerRun.ModelName)));
        Assert.Equal(done[0].Pairs, resumed[0].Pairs);
        Assert.Equal(File.ReadAllBytes(reference), File.ReadAllBytes(Path.Combine(DaggerRun.RoundDir(through, 0), DaggerRun.ModelName)));
    }

    /// <summary>Round bookkeeping over two rounds: each round's beta from the schedule, new seeds, round 2 aggregating round 1's pairs, the summaries read back.</summary>
    [Fact]
    public async Task Two_rounds_follow_the_schedule_play_new_seeds_and_aggregate_the_pairs()
    {
        using var folder = new TestFolder();
        string reference = await StudentTestData.UntrainedCheckpointAsync(folder.Sub("reference.ckpt"));
        var options = Options with { Rounds = 2, Schedule = "linear", Dpo = Options.Dpo with { Steps = 1 } };
        var rounds = await new DaggerRun(options, new VoxelEnvironmentFactory()).RunAsync(folder.Sub("run"), reference, null);

        Assert.Equal([1, 2], rounds.Select(r => r.Round));
        Assert.Equal(2.0 / 3, rounds[0].Beta, 12);
        Assert.Equal(1.0 / 3, rounds[1].Beta, 12);
        Assert.Equal([options.FirstSeed], rounds[0].Seeds);
        Assert.Equal([options.FirstSeed + 1], rounds[1].Seeds);
        Assert.Equal(rounds[0].Pairs + rounds[1].Pairs, rounds[1].AggregatedPairs);
        var (labels, _) = new DaggerLabelStore(Path.Combine(DaggerRun.RoundDir(folder.Sub("run"), 2), "labels")).ReadAll();
        Assert.All(labels, l => Assert.Equal(1.0 / 3, l.Beta, 12));
        Assert.All(labels, l => Assert.Equal(options.FirstSeed + 1, l.Seed));

        var again = await new DaggerRun(options, new VoxelEnvironmentFactory()).RunAsync(folder.Sub("run"), reference, null);
        Assert.Equal(rounds.Select(r => (r.Round, r.Pairs, r.AggregatedPairs, r.Labels)), again.Select(r => (r.Round, r.Pairs, r.AggregatedPairs, r.Labels)));
    }

    private sealed class CancelOn(CancellationTokenSource cts, Func<string, bool>? message = null, int step = -1) : ITrainingProgress
    {
        public void Step(string stage, int s, int totalSteps, IReadOnlyDictionary<string, double> values)
        {
            if (s == step) cts.Cancel();
        }

        public void Message(string text)
        {
            if (message?.Invoke(text) == true) cts.Cancel();
        }
    }
}
