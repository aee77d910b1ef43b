using System.Text.Json;
using Expert.VqVae.MlCore.Runtime;
using Expert.VqVae.MlCore.Training;
using Expert.VqVae.Persistence;
using Expert.VqVae.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Expert.VqVae.Tests.Model;

/// <summary>
/// The imagination trainer's two stages (and the --prior-from fine-tune) resume bit-identically on
/// the CPU: a run stopped and resumed from its checkpoint-latest.ckpt ends as one that ran through.
/// Mechanics only: what the tiny runs learn differs from CPU to CPU, the equality does not.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class ImaginationResumeTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "expert-vqvae-tests", Guid.NewGuid().ToString("N"));

    public ImaginationResumeTests()
    {
        TorchRuntime.Initialize();
        Directory.CreateDirectory(_dir);
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    /// <summary>
    /// Catches: a batch-pick, mirroring, text-dropout or mask stream reseeded at the resume step (as
    /// they were: the losses part at the first step after the checkpoint); libtorch's stream reseeded
    /// instead of restored (the codebook's restarts, the prior's dropout and, for a stop in the
    /// autoencoder stage, the prior's initial weights part); the restart count starting over; Adam's
    /// state or the schedule not restored; steps past the checkpoint logged twice.
    /// </summary>
    [Theory]
    [InlineData("vqvae", 15)]   // resumes at autoencoder step 10; the prior is built after the resume
    [InlineData("prior", 5)]    // resumes from the finished autoencoder (prior step 0): the prior is built after the resume
    [InlineData("prior", 15)]   // resumes at prior step 10
    public void A_run_stopped_by_cancel_resumes_to_exactly_the_uninterrupted_run(string stage, int cancelAt)
    {
        var examples = Examples();
        var validation = examples.Take(2).ToList();
        var throughOptions = Options(Path.Combine(_dir, "through"));
        torch.manual_seed(21);   // the autoencoder is built before the trainer seeds
        var through = new ImaginationTrainer(throughOptions).Train(examples, validation);

        var options = Options(Path.Combine(_dir, "stopped"));
        torch.manual_seed(21);
        using (var cts = new CancellationTokenSource())
            Assert.ThrowsAny<OperationCanceledException>(() =>
                new ImaginationTrainer(options, new CancelAfter(cts, stage, cancelAt)).Train(examples, validation, cts.Token));
        var stopped = ModelCheckpoint.ReadHeader(Path.Combine(options.OutputDir, ImaginationTrainer.LatestName));
        Assert.Equal(stage == "vqvae" ? "vqvae" : "prior", stopped.Stage);
        Assert.Equal(stage == "vqvae" ? 10 : 20, stopped.VqVaeStep);
        Assert.Equal(stage == "vqvae" || cancelAt < 10 ? 0 : 10, stopped.PriorStep);
        Assert.NotNull(stopped.Resume);
        // The autoencoder's stream did draw: dead codes were restarted before the checkpoint.
        Assert.True(ReadPoints(options.OutputDir).Single(p => p.Stage == "vqvae" && p.Step == 10).Values["codebook/restarts"] > 0);

        torch.manual_seed(12345);   // whatever the process's stream is, the resume puts back the run's
        var resumed = new ImaginationTrainer(options).Train(examples, validation);

        AssertSameRun(throughOptions.OutputDir, through, options.OutputDir, resumed);
    }

    /// <summary>The fine-tune continues a finished prior through the same stage: it resumes bit-identically too.</summary>
    [Fact]
    public void A_prior_fine_tune_stopped_by_cancel_resumes_to_exactly_the_uninterrupted_one()
    {
        var examples = Examples();
        var validation = examples.Take(2).ToList();
        torch.manual_seed(21);
        var first = new ImaginationTrainer(Options(Path.Combine(_dir, "source")) with { VqVaeSteps = 10, PriorSteps = 10, PriorTextDropout = 0 })
            .Train(examples, validation);
        Assert.Null(ModelCheckpoint.ReadHeader(first.ModelPath).Resume);   // a finished file carries no resume state
        string source = Path.Combine(_dir, "source.ckpt");
        File.Copy(first.ModelPath, source);

        var throughOptions = Options(Path.Combine(_dir, "through")) with { PriorFrom = source };
        var through = new ImaginationTrainer(throughOptions).Train(examples, validation);

        var options = Options(Path.Combine(_dir, "stopped")) with { PriorFrom = source };
        using (var cts = new CancellationTokenSource())
            Assert.ThrowsAny<OperationCanceledException>(() =>
                new ImaginationTrainer(options, new CancelAfter(cts, "prior", 15)).Train(examples, validation, cts.Token));
        Assert.Equal(10, ModelCheckpoint.ReadHeader(Path.Combine(options.OutputDir, ImaginationTrainer.LatestName)).PriorStep);

        torch.manual_seed(12345);
        var resumed = new ImaginationTrainer(options).Train(examples, validation);

        AssertSameRun(throughOptions.OutputDir, through, options.OutputDir, resumed);
    }

    /// <summary>Every logged value, the finished header's steps and metrics, and every weight and buffer of both modules.</summary>
    private static void AssertSameRun(string throughDir, TrainingOutcome through, string resumedDir, TrainingOutcome resumed)
    {
        var expected = ReadPoints(throughDir);
        var actual = ReadPoints(resumedDir);
        Assert.Equal(expected.Select(p => (p.Stage, p.Step)), actual.Select(p => (p.Stage, p.Step)));
        for (int i = 0; i < expected.Count; i++)
            Assert.True(expected[i].Values.OrderBy(kv => kv.Key).SequenceEqual(actual[i].Values.OrderBy(kv => kv.Key)),
                $"{expected[i].Stage} step {expected[i].Step}: {Show(expected[i].Values)} uninterrupted, {Show(actual[i].Values)} resumed");

        var a = through.Header;
        var b = resumed.Header;
        Assert.Equal((a.Stage, a.VqVaeStep, a.PriorStep, a.EmptyCode, a.BestMetric), (b.Stage, b.VqVaeStep, b.PriorStep, b.EmptyCode, b.BestMetric));
        Assert.Equal(a.Metrics.OrderBy(kv => kv.Key), b.Metrics.OrderBy(kv => kv.Key));
        Assert.Equal(a.Prior, b.Prior);
        Assert.Null(ModelCheckpoint.ReadHeader(resumed.ModelPath).Resume);

        var straight = ModelCheckpoint.Load(through.ModelPath);
        var result = ModelCheckpoint.Load(resumed.ModelPath);
        try
        {
            AssertSameState(straight.VqVae, result.VqVae);
            AssertSameState(straight.Prior!, result.Prior!);
        }
        finally
        {
            foreach (var m in new nn.Module?[] { straight.VqVae, straight.Prior, result.VqVae, result.Prior }) m?.Dispose();
        }
    }

    private static void AssertSameState(nn.Module expected, nn.Module actual)
    {
        var a = expected.state_dict();
        var b = actual.state_dict();
        Assert.Equal(a.Keys, b.Keys);
        foreach (var (name, tensor) in a)
            Assert.True(tensor.dtype == b[name].dtype && tensor.Equals(b[name]), $"{name} differs");   // torch.equal: same shape, same values
    }

    private static List<MetricPoint> ReadPoints(string runDir) =>
        File.ReadLines(Path.Combine(runDir, "metrics.jsonl")).Select(l => JsonSerializer.Deserialize<MetricPoint>(l)!).ToList();

    private static string Show(IReadOnlyDictionary<string, double> values) => string.Join(", ", values.Select(kv => $"{kv.Key}={kv.Value:R}"));

    /// <summary>
    /// Tiny, with every random draw the stages make switched on: codes that die within a few steps
    /// (restarts draw from libtorch), dropout in the prior (libtorch), text dropout (a varying number
    /// of draws a step) and masks.
    /// </summary>
    private static TrainOptions Options(string outputDir) => new()
    {
        OutputDir = outputDir,
        VqVae = TinyModels.VqVae with { ReserveEmptyCode = true, EmaDecay = 0.9f, DeadCodeThreshold = 0.5f },
        Prior = TinyModels.Prior(3) with { Dropout = 0.1f },
        VqVaeSteps = 20,
        PriorSteps = 30,
        VqVaeBatch = 8,
        PriorBatch = 8,
        EvalEvery = 10,
        PriorWarmupSteps = 5,
        PriorTextDropout = 0.3,
        Device = "cpu",
    };

    private static List<TrainingExample> Examples() => TinyModels.BoxesAndRings([4, 6, 8], [3, 9]);

    private sealed class CancelAfter(CancellationTokenSource cts, string stage, int step) : ITrainingProgress
    {
        public void Step(string s, int i, int total, IReadOnlyDictionary<string, double> values)
        {
            if (s == stage && i >= step) cts.Cancel();
        }

        public void Message(string text) { }
    }
}
