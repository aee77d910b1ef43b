using Expert.VqVae.Inference;
using Expert.VqVae.MlCore.Runtime;
using Expert.VqVae.MlCore.Training;
using Expert.VqVae.Persistence;
using Expert.VqVae.Text;
using Expert.VqVae.Model;
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

    private static List<TrainingExample> Examples() => TinyModels.BoxesAndRings([4, 6, 8], [3, 9]);

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
    public void A_tiny_run_with_a_material_channel_trains_on_blocks_and_its_model_answers_blocks()
    {
        var examples = new List<TrainingExample>();
        foreach (var (name, block) in new[] { ("stone", Expert.VqVae.Materials.BlockMaterial.Stone), ("glass", Expert.VqVae.Materials.BlockMaterial.Glass) })
            foreach (var e in Examples())
                examples.Add(e with { Id = $"{name}-{e.Id}", Description = $"{e.Description}, made of {name}", Blocks = Expert.VqVae.Voxels.MaterialGrid.Uniform(e.Grid, block) });
        var options = Options(20, 10) with { VqVae = TinyModels.VqVae with { Materials = Expert.VqVae.Materials.BlockMaterials.Count - 1 } };

        var outcome = new ImaginationTrainer(options).Train(examples, examples.Take(2).ToList());

        var lines = File.ReadLines(Path.Combine(_dir, "metrics.jsonl")).ToList();
        Assert.Contains(lines, l => l.Contains("\"loss/material\"", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("\"val/material_accuracy\"", StringComparison.Ordinal));
        using var model = OccupancyModel.Load(outcome.ModelPath, "cpu");
        Assert.Equal(6, model.Info.MaterialPalette.Count);
        var result = model.Generate([new GenerationRequest("a solid box 6 wide and 9 tall, made of glass", new SamplingOptions())])[0];
        Assert.NotNull(result.Blocks);
        Assert.Equal(result.Grids[0], result.Blocks![0].ToOccupancy());
        // A record without blocks cannot feed a material channel.
        Assert.Throws<InvalidDataException>(() => new ImaginationTrainer(options with { OutputDir = _dir + "-bare" }).Train(Examples(), Examples().Take(2).ToList()));
        if (Directory.Exists(_dir + "-bare")) Directory.Delete(_dir + "-bare", recursive: true);
    }

    [Fact]
    public void A_material_run_can_start_from_a_trained_occupancy_autoencoder_and_keeps_its_shape()
    {
        var examples = Examples();
        var wide = Options(10, 2) with { VqVae = TinyModels.VqVae with { ReserveEmptyCode = true, DecoderChannels = 24, DecoderUpResBlocks = 1 } };
        var source = new ImaginationTrainer(wide).Train(examples, examples.Take(2).ToList());

        var blocks = examples.Select(e => e with { Description = e.Description + ", made of stone", Blocks = Expert.VqVae.Voxels.MaterialGrid.Uniform(e.Grid, Expert.VqVae.Materials.BlockMaterial.Stone) }).ToList();
        var grow = Options(6, 2) with
        {
            OutputDir = _dir + "-grown",
            AutoencoderInit = source.ModelPath,
            VqVae = TinyModels.VqVae with { Materials = Expert.VqVae.Materials.BlockMaterials.Count - 1, CodebookSize = 64 },
            Prior = TinyModels.Prior(3) with { CodebookSize = 64 },
        };
        try
        {
            var outcome = new ImaginationTrainer(grow).Train(blocks, blocks.Take(2).ToList());
            // The source's shape (its wider decoder, its empty code) with this run's material channel and codebook.
            Assert.Equal(wide.VqVae with { Materials = 6, CodebookSize = 64 }, outcome.Header.VqVae);
            Assert.Equal(64, outcome.Header.Prior!.CodebookSize);
            Assert.Equal(6, outcome.Header.VqVaeStep);
            using var model = OccupancyModel.Load(outcome.ModelPath, "cpu");
            Assert.Equal(6, model.Info.MaterialPalette.Count);
            // A new prior on that autoencoder, frozen, takes its shape whatever this run's options say.
            var prior = new ImaginationTrainer(Options(0, 2) with { OutputDir = _dir + "-prior", AutoencoderFrom = outcome.ModelPath }).Train(blocks, blocks.Take(2).ToList());
            Assert.Equal(outcome.Header.VqVae, prior.Header.VqVae);
            Assert.Equal(64, prior.Header.Prior!.CodebookSize);
            // The same folder goes on from its own checkpoint, not from the source again.
            var more = new ImaginationTrainer(grow with { PriorSteps = 4 }).Train(blocks, blocks.Take(2).ToList());
            Assert.Equal((6, 4), (more.Header.VqVaeStep, more.Header.PriorStep));
            // A material source cannot start an occupancy-only run, nor one with fewer codes; a frozen-autoencoder option cannot be added.
            Assert.Throws<InvalidOperationException>(() => new ImaginationTrainer(Options(2, 2) with { OutputDir = _dir + "-back", AutoencoderInit = outcome.ModelPath }));
            Assert.Throws<InvalidOperationException>(() => new ImaginationTrainer(grow with { OutputDir = _dir + "-back", AutoencoderInit = outcome.ModelPath, VqVae = grow.VqVae with { CodebookSize = 48 }, Prior = grow.Prior with { CodebookSize = 48 } }));
            var both = Assert.Throws<ArgumentException>(() => (grow with { AutoencoderFrom = source.ModelPath }).Validate());
            Assert.Contains("--autoencoder-init", both.Message);
        }
        finally
        {
            foreach (var folder in new[] { _dir + "-grown", _dir + "-prior" })
                if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

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

    [Fact]
    public void A_prior_fine_tune_continues_a_finished_prior_with_text_dropout_and_records_its_guidance()
    {
        var examples = Examples();
        var first = new ImaginationTrainer(Options(20, 20) with { PriorTextDropout = 0 }).Train(examples, examples.Take(2).ToList());
        // The source's decoding defaults were re-chosen (`vqvae decoding`): the fine-tune is new weights, not that source's.
        string source = Path.Combine(_dir, "source.ckpt");
        DecodingDefaults.Write(first.ModelPath, source, p => p with { MirrorTied = true });
        string tuneDir = Path.Combine(_dir, "tune");
        var options = Options(20, 10) with
        {
            OutputDir = tuneDir,
            PriorFrom = source,
            PriorTextDropout = 0.5,
            VqVae = TinyModels.VqVae with { Channels = 8 },          // ignored: the source's autoencoder is kept
            Prior = TinyModels.Prior(3) with { Guidance = 1.5f, GuidanceStart = 0.5f, DecodeSteps = 2 },
        };

        var tuned = new ImaginationTrainer(options).Train(examples, examples.Take(2).ToList());

        Assert.Equal(10, tuned.Header.PriorStep);
        Assert.Equal(first.Header.VqVaeStep, tuned.Header.VqVaeStep);
        Assert.Equal(1.5f, tuned.Header.Prior!.Guidance);
        Assert.Equal(0.5f, tuned.Header.Prior.GuidanceStart);
        Assert.Equal(2, tuned.Header.Prior.DecodeSteps);
        Assert.False(tuned.Header.Prior.MirrorTied);
        Assert.Null(tuned.Header.DecodingFrom);
        Assert.Null(ModelCheckpoint.ReadHeader(tuned.ModelPath).DecodingFrom);
        var lines = File.ReadLines(Path.Combine(tuneDir, "metrics.jsonl")).ToList();
        Assert.Equal(10, lines.Count);
        Assert.All(lines, l => Assert.Contains("\"prior\"", l));
        var before = ModelCheckpoint.Load(source);
        var after = ModelCheckpoint.Load(tuned.ModelPath);
        using (before.VqVae) using (before.Prior) using (after.VqVae) using (after.Prior)
        {
            Assert.Equal(before.Header.VqVae, after.Header.VqVae);
            var vb = before.VqVae.state_dict();
            Assert.All(after.VqVae.state_dict(), kv => Assert.True(kv.Value.eq(vb[kv.Key]).all().item<bool>(), $"{kv.Key} changed"));
            var pb = before.Prior!.state_dict();
            Assert.Contains(after.Prior!.state_dict(), kv => !kv.Value.eq(pb[kv.Key]).all().item<bool>());
        }
        using var model = OccupancyModel.Load(tuned.ModelPath, "cpu");
        Assert.Equal(new Decoding(2, 1.5f, 1), model.DecodingOf(new SamplingOptions()));
        Assert.Equal(new Decoding(4, 0f, 2), model.DecodingOf(new SamplingOptions { DecodeSteps = 4, Guidance = 0f }));
        var grids = model.Generate([new GenerationRequest("a solid box 6 wide and 9 tall", new SamplingOptions { Temperature = 0f })])[0].Grids;
        Assert.Equal(16, grids[0].SizeY);
    }

    [Fact]
    public void A_prior_fine_tune_on_a_corpus_with_new_words_grows_the_vocabulary_and_keeps_the_old_ids()
    {
        var examples = Examples();
        var first = new ImaginationTrainer(Options(10, 10)).Train(examples, examples.Take(2).ToList());
        string source = Path.Combine(_dir, "source.ckpt");
        File.Copy(first.ModelPath, source);
        var before = ModelCheckpoint.ReadHeader(source);
        var other = examples.Select(e => e with { Description = e.Description.Replace("solid box", "stone cube") }).ToList();
        var options = Options(10, 5) with { OutputDir = Path.Combine(_dir, "tune"), PriorFrom = source };

        var tuned = new ImaginationTrainer(options).Train(other, other.Take(2).ToList());

        var after = ModelCheckpoint.ReadHeader(tuned.ModelPath);
        Assert.Equal(before.TokenizerBpeIds, after.TokenizerBpeIds.Take(before.TokenizerBpeIds.Length));
        Assert.True(after.TokenizerBpeIds.Length > before.TokenizerBpeIds.Length);
        Assert.Equal(TextTokenIds.FirstWord + after.TokenizerBpeIds.Length, after.Prior!.VocabularySize);
        Assert.Equal(5, after.PriorStep);
        var tokenizer = new DescriptionTokenizer(after.TokenizerBpeIds);
        Assert.DoesNotContain(TextTokenIds.Unknown, tokenizer.Encode(other[0].Description, 64));
        using var model = OccupancyModel.Load(tuned.ModelPath, "cpu");
        Assert.Single(model.Generate([new GenerationRequest(other[0].Description, new SamplingOptions { Seed = 1 })]));
    }

    [Theory]
    [InlineData(-0.1, null, null)]
    [InlineData(1.0, null, null)]
    [InlineData(0.1, 11f, null)]
    [InlineData(0.1, null, "autoencoder")]
    public void Prior_options_out_of_range_are_refused_with_the_flag_to_change(double dropout, float? guidance, string? conflict)
    {
        string source = Expert.VqVae.Cli.DefaultPaths.ShippedCheckpoint;
        var options = new TrainOptions
        {
            PriorTextDropout = dropout,
            Prior = new Expert.VqVae.Model.PriorConfig { Guidance = guidance ?? 0f },
            PriorFrom = conflict is null ? null : source,
            AutoencoderFrom = conflict is null ? null : source,
        };
        var e = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Contains(conflict is not null ? "--prior-from" : guidance is not null ? "--guidance" : "--text-dropout", e.Message);
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
