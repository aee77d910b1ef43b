using Expert.VqVae.Inference;
using Expert.VqVae.Persistence;
using Expert.VqVae.Runtime;
using Expert.VqVae.Training;

namespace Expert.VqVae.Tests.Model;

[Collection(TorchCollection.Name)]
public sealed class TrainerTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "expert-vqvae-tests", Guid.NewGuid().ToString("N"));

    public TrainerTests() => TorchRuntime.Initialize();

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private static List<TrainingExample> Examples()
    {
        var list = new List<TrainingExample>();
        foreach (int w in new[] { 4, 6, 8 })
            foreach (int h in new[] { 3, 9 })
            {
                list.Add(new TrainingExample($"box-{w}-{h}", $"a solid box {w} wide and {h} tall", TinyModels.Box(16, w, h)));
                list.Add(new TrainingExample($"ring-{w}-{h}", $"a hollow ring {w} wide and {h} tall", TinyModels.Ring(16, w, h)));
            }
        return list;
    }

    private TrainOptions Options(int vqSteps, int priorSteps) => new()
    {
        OutputDir = _dir,
        VqVae = TinyModels.VqVae,
        Prior = TinyModels.Prior(3),
        VqVaeSteps = vqSteps,
        PriorSteps = priorSteps,
        VqVaeBatch = 8,
        PriorBatch = 8,
        EvalEvery = 10,
        ValidationCount = 2,
        PriorWarmupSteps = 5,
        Device = "cpu",
    };

    [Fact]
    public void A_tiny_run_writes_model_metrics_and_curves_and_resumes_where_it_stopped()
    {
        var examples = Examples();
        var outcome = new ImaginationTrainer(Options(20, 20)).Train(examples, examples.Take(2).ToList());
        Assert.True(File.Exists(outcome.ModelPath));
        Assert.Equal("done", outcome.Header.Stage);
        Assert.Equal(20, outcome.Header.PriorStep);
        Assert.True(File.Exists(Path.Combine(_dir, "curves-vqvae.png")));
        Assert.True(File.Exists(Path.Combine(_dir, "curves-prior.png")));
        Assert.Equal(40, File.ReadLines(Path.Combine(_dir, "metrics.jsonl")).Count());
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp*"));

        // Asking for more prior steps continues from step 20 of the same run.
        var more = new ImaginationTrainer(Options(20, 30)).Train(examples, examples.Take(2).ToList());
        Assert.Equal(30, more.Header.PriorStep);
        Assert.Equal(50, File.ReadLines(Path.Combine(_dir, "metrics.jsonl")).Count());
        using var model = OccupancyModel.Load(more.ModelPath, "cpu");
        var grid = model.Generate([new GenerationRequest("a solid box 6 wide and 9 tall", new SamplingOptions())])[0].Grids[0];
        Assert.Equal(16, grid.SizeY);
    }

    [Fact]
    public void A_cancelled_run_keeps_its_last_checkpoint_and_no_half_written_file()
    {
        var examples = Examples();
        using var cts = new CancellationTokenSource();
        var progress = new CancelAfter(cts, "vqvae", 15);
        Assert.ThrowsAny<OperationCanceledException>(() => new ImaginationTrainer(Options(40, 10), progress).Train(examples, examples.Take(2).ToList(), cts.Token));
        var header = ModelCheckpoint.ReadHeader(Path.Combine(_dir, ImaginationTrainer.LatestName));
        Assert.Equal("vqvae", header.Stage);
        Assert.Equal(10, header.VqVaeStep);
        Assert.True(header.HasOptimizerState);
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp*"));
    }

    private sealed class CancelAfter(CancellationTokenSource cts, string stage, int step) : ITrainingProgress
    {
        public void Step(string s, int i, int total, IReadOnlyDictionary<string, double> values)
        {
            if (s == stage && i >= step) cts.Cancel();
        }

        public void Message(string text) { }
    }
}
