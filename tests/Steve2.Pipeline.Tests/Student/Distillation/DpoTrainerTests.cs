using Expert.VqVae.MlCore.Training;
using Steve2.Pipeline.Student.Data;
using Steve2.Pipeline.Student.Distillation;
using Steve2.Pipeline.Student.Training;
using Steve2.Pipeline.Tests.Trajectories;
using TorchSharp;

namespace Steve2.Pipeline.Tests.Student.Distillation;

/// <summary>DPO + MLE on pairs from a real DAgger rollout of an untrained student: theta starts as pi_ref, a killed run resumes bit-identically.</summary>
[Collection(StudentCollection.Name)]
public sealed class DpoTrainerTests
{
    private static readonly DpoOptions Options = new() { Steps = 6, BatchSize = 3, CheckpointEvery = 2, WarmupSteps = 2, LearningRate = 1e-3, Lambda = 0.5, Seed = 5 };

    [Fact]
    public async Task A_run_stopped_by_cancel_resumes_to_exactly_the_uninterrupted_run()
    {
        using var folder = new TestFolder();
        string reference = await StudentTestData.UntrainedCheckpointAsync(folder.Sub("reference.ckpt"));
        var store = new DaggerLabelStore(folder.Sub("labels"));
        using (var policy = DistillationTestData.Policy(reference))
            await DistillationTestData.RolloutAsync(policy, null, "collection", 1_000_004, beta: 0.5, folder.Sub("rollouts"), store, budget: 3);
        var (labels, images) = store.ReadAll();
        var pairs = PreferencePairs.Make(1, labels);
        Assert.NotEmpty(pairs);   // an untrained model's answers do not parse: each is a pair
        string pairDir = folder.Sub("pairs");
        PreferencePairs.Write(pairDir, pairs, images);

        string through = folder.Sub("through"), stopped = folder.Sub("stopped");
        var result = new DpoTrainer(Options).Train([pairDir], reference, through, torch.CPU);
        using (var cts = new CancellationTokenSource())
            Assert.ThrowsAny<OperationCanceledException>(() => new DpoTrainer(Options, new CancelAt(cts, 5)).Train([pairDir], reference, stopped, torch.CPU, cts.Token));
        Assert.Equal(4, StudentCheckpoint.Format.ReadHeader(Path.Combine(stopped, StudentTrainer.LatestName)).Step);
        File.Delete(Path.Combine(stopped, DpoTrainer.ReferenceName));   // computed again, to the same values
        torch.manual_seed(999);
        new DpoTrainer(Options with { Beta = 7 }).Train([pairDir], reference, stopped, torch.CPU);   // the run's own options win on resume

        Assert.Equal(File.ReadAllBytes(Path.Combine(through, StudentTrainer.ModelName)), File.ReadAllBytes(Path.Combine(stopped, StudentTrainer.ModelName)));
        Assert.Equal(File.ReadAllLines(Path.Combine(through, TrainingLog.FileName)), File.ReadAllLines(Path.Combine(stopped, TrainingLog.FileName)));
        var points = new TrainingLog(through, resume: true).Points;
        Assert.Equal(6, points.Count);
        foreach (string key in new[] { "loss", "rewards/chosen", "rewards/rejected", "rewards/accuracy", "rewards/margin", "mle", "weights", "lr" })
            Assert.Contains(key, points[0].Values.Keys);
        // Step 1 is computed before any update: theta = pi_ref, so the implicit rewards are zero.
        Assert.Equal(0, points[0].Values["rewards/chosen"], 3);
        Assert.Equal(0, points[0].Values["rewards/rejected"], 3);
        Assert.True(File.Exists(Path.Combine(through, "curves-dpo.png")));
        Assert.Equal(pairs.Count, result.Pairs);
        Assert.Equal(1, result.Weights.Mean, 9);
        Assert.Equal("dpo", StudentCheckpoint.Format.ReadHeader(result.ModelPath).Stage);
    }

    /// <summary>
    /// Catches: the anchor term (DAgger's aggregate: the teacher's label at every labelled state, not only the pairs' chosen
    /// answers) not read from the rounds' labels/, not in the loss, or silently off when the labels are missing.
    /// </summary>
    [Fact]
    public async Task The_anchor_term_trains_on_every_labelled_state_of_the_rounds()
    {
        using var folder = new TestFolder();
        var (reference, round, labels, images) = await RoundAsync(folder, 1_000_004);

        var options = Options with { Steps = 2, CheckpointEvery = 2 };
        string plain = folder.Sub("plain"), anchored = folder.Sub("anchored");
        new DpoTrainer(options).Train([round], reference, plain, torch.CPU);
        new DpoTrainer(options with { Anchor = 1 }).Train([round], reference, anchored, torch.CPU);

        var points = new TrainingLog(anchored, resume: true).Points;
        Assert.All(points, p => Assert.True(p.Values.TryGetValue("anchor", out double nll) && double.IsFinite(nll) && nll > 0, "anchor NLL logged"));
        Assert.DoesNotContain("anchor", new TrainingLog(plain, resume: true).Points[0].Values.Keys);
        // Step 1's pair terms are the same (theta = pi_ref, the same pair batch); only the anchor term adds to the loss.
        Assert.Equal(new TrainingLog(plain, resume: true).Points[0].Values["mle"], points[0].Values["mle"], 4);
        Assert.True(points[0].Values["loss"] > new TrainingLog(plain, resume: true).Points[0].Values["loss"]);
        Assert.NotEqual(File.ReadAllBytes(Path.Combine(plain, StudentTrainer.ModelName)), File.ReadAllBytes(Path.Combine(anchored, StudentTrainer.ModelName)));

        // --anchor-data: the reference's own demonstrations join the anchor set (DAgger's first data).
        string recordings = folder.Sub("recordings");
        await StudentTestData.RecordAsync(recordings, "exploration", 1_000_010, null, budget: 2);
        int demonstrations = StudentDataset.Build(recordings).Training.Count();
        var messages = new Messages();
        new DpoTrainer(options with { Anchor = 1, AnchorData = recordings }, messages).Train([round], reference, folder.Sub("with-data"), torch.CPU);
        int labelled = labels.Count(l => PreferencePairs.Teaches(l));
        Assert.Contains(messages.Lines, m => m.Contains($"anchor 1 on {labelled + demonstrations} labelled states", StringComparison.Ordinal));
        Assert.Throws<ArgumentException>(() => (options with { AnchorData = recordings }).Validated());

        string bare = folder.Sub("bare");
        PreferencePairs.Write(bare, PreferencePairs.Make(1, labels), images);   // pairs without their labels/
        var e = Assert.Throws<ArgumentException>(() => new DpoTrainer(options with { Anchor = 1 }).Train([bare], reference, folder.Sub("refused"), torch.CPU));
        Assert.Contains("--anchor", e.Message);
    }

    /// <summary>
    /// Catches: a held-out episode's pairs or labels trained on (pairs, anchor set); the kept model not the best measured
    /// step's (the reference's own weights when no step beats it: an untrained student agrees with no label, so every step
    /// ties and step 0 must be kept); a resumed run measuring or keeping differently.
    /// </summary>
    [Fact]
    public async Task The_kept_step_is_the_best_on_held_out_episodes_that_are_never_trained_on()
    {
        using var folder = new TestFolder();
        var (reference, round, labels, _) = await RoundAsync(folder, 1_000_004, 1_000_005);
        var pairs = PreferencePairs.Make(1, labels);

        var options = Options with { Anchor = 1, HoldoutFraction = 0.2 };
        var messages = new Messages();
        string through = folder.Sub("through");
        var result = new DpoTrainer(options, messages).Train([round], reference, through, torch.CPU);

        var selection = Assert.IsType<SelectionSummary>(result.Selection);
        int held = int.Parse(Assert.Single(selection.HeldOutEpisodes).Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture);   // one of the two
        Assert.Equal(pairs.Count(p => p.Seed != held), result.Pairs);
        Assert.Equal(pairs.Count(p => p.Seed == held), selection.HeldOutPairs);
        Assert.Contains(messages.Lines, m => m.Contains($"anchor 1 on {labels.Count(l => PreferencePairs.Teaches(l) && l.Seed != held)} labelled states", StringComparison.Ordinal));
        Assert.Equal(labels.Count(l => PreferencePairs.Teaches(l) && l.Seed == held), selection.States);
        Assert.Equal([0, 2, 4, 6], selection.Points.Select(p => p.Step));
        Assert.Equal(0, selection.SelectedStep);
        Assert.Equal(0, StudentTestData.AssertSameWeights(reference, result.ModelPath).Step);

        string stopped = folder.Sub("stopped");
        using (var cts = new CancellationTokenSource())
            Assert.ThrowsAny<OperationCanceledException>(() => new DpoTrainer(options, new CancelAt(cts, 5)).Train([round], reference, stopped, torch.CPU, cts.Token));
        Assert.Equal([0, 2, 4], DpoSelection.ReadPoints(stopped, int.MaxValue).Select(p => p.Step));
        new DpoTrainer(options).Train([round], reference, stopped, torch.CPU);
        Assert.Equal(File.ReadAllBytes(result.ModelPath), File.ReadAllBytes(Path.Combine(stopped, StudentTrainer.ModelName)));
        Assert.Equal(File.ReadAllText(Path.Combine(through, DpoSelection.FileName)), File.ReadAllText(Path.Combine(stopped, DpoSelection.FileName)));
    }

    [Fact]
    public void A_step_is_kept_only_when_it_beats_the_reference_significantly_on_the_same_states()
    {
        // 40 held-out states; the reference gets the first 20 right.
        static SelectionPoint Point(int step, string correct) => new(step, correct.Count(c => c == '1') / (double)correct.Length, correct);
        string reference = new string('1', 20) + new string('0', 20);
        string oneMore = new string('1', 21) + new string('0', 19);                              // 1 win, 0 losses: p = 0.5
        string tenMore = new string('1', 20) + new string('1', 10) + new string('0', 10);         // 10 wins, 0 losses: p = 1/1024
        string tenMoreOtherStates = new string('0', 5) + new string('1', 15) + new string('1', 15) + new string('0', 5); // 15 wins, 5 losses: p = 0.021
        string tiedAgreement = new string('0', 8) + new string('1', 12) + new string('1', 8) + new string('0', 12);     // 8 wins, 8 losses

        Assert.Equal(0, SelectionSummary.Best([Point(0, reference), Point(50, oneMore), Point(100, tiedAgreement)]));
        Assert.Equal(100, SelectionSummary.Best([Point(0, reference), Point(50, oneMore), Point(100, tenMore)]));
        Assert.Equal(50, SelectionSummary.Best([Point(0, reference), Point(50, tenMoreOtherStates), Point(100, tenMore)])); // equal agreement: the earlier
        Assert.True(SelectionSummary.BeatsReference(Point(0, reference), Point(50, tenMoreOtherStates)));
        Assert.False(SelectionSummary.BeatsReference(Point(0, reference), Point(50, oneMore)));
        Assert.False(SelectionSummary.BeatsReference(Point(0, reference), new SelectionPoint(50, 0.9)));      // no per-state results
        Assert.False(SelectionSummary.BeatsReference(Point(0, reference), Point(50, tenMore[..30])));        // other states

        // An older file without per-state results keeps the reference; one without the reference's point keeps the highest agreement.
        Assert.Equal(0, SelectionSummary.Best([new(0, 0.5), new(50, 0.6)]));
        Assert.Equal(100, SelectionSummary.Best([new(50, 0.55), new(100, 0.6), new(150, 0.6)]));
    }

    [Fact]
    public void The_sign_tests_tail_is_the_binomials()
    {
        Assert.Equal(11 / 1024.0, SelectionSummary.SignTestTail(9, 10), 12);
        Assert.Equal(56 / 1024.0, SelectionSummary.SignTestTail(8, 10), 12);
        Assert.Equal(1, SelectionSummary.SignTestTail(0, 0), 12);
        Assert.Equal(0.5, SelectionSummary.SignTestTail(100, 199), 9);   // symmetric: P(X >= 100) for n = 199
    }

    /// <summary>An untrained reference and a round folder (round-001: labels/ and the pairs) of short collection rollouts on <paramref name="seeds"/>.</summary>
    private static async Task<(string Reference, string Round, IReadOnlyList<DaggerLabel> Labels, IReadOnlyDictionary<string, byte[]> Images)> RoundAsync(TestFolder folder, params int[] seeds)
    {
        string reference = await StudentTestData.UntrainedCheckpointAsync(folder.Sub("reference.ckpt"));
        string round = folder.Sub("round-001");
        var store = new DaggerLabelStore(Path.Combine(round, "labels"));
        using (var policy = DistillationTestData.Policy(reference))
            foreach (int seed in seeds)
                await DistillationTestData.RolloutAsync(policy, null, "collection", seed, beta: 0.5, folder.Sub("rollouts"), store, budget: 3);
        var (labels, images) = store.ReadAll();
        PreferencePairs.Write(round, PreferencePairs.Make(1, labels), images);
        return (reference, round, labels, images);
    }

    private sealed class Messages : ITrainingProgress
    {
        public List<string> Lines { get; } = [];

        public void Step(string stage, int s, int totalSteps, IReadOnlyDictionary<string, double> values)
        {
        }

        public void Message(string text) => Lines.Add(text);
    }

    private sealed class CancelAt(CancellationTokenSource cts, int step) : ITrainingProgress
    {
        public void Step(string stage, int s, int totalSteps, IReadOnlyDictionary<string, double> values)
        {
            if (s == step) cts.Cancel();
        }

        public void Message(string text)
        {
        }
    }
}
