using System.Text.Json;
using Expert.VqVae.Composition;
using Expert.VqVae.Corpus;
using Expert.VqVae.Inference;
using Expert.VqVae.Materials;
using Expert.VqVae.MlCore.Runtime;
using Expert.VqVae.MlCore.Training;
using Expert.VqVae.Model;
using Expert.VqVae.Persistence;
using Expert.VqVae.Text;
using Expert.VqVae.Training;
using Expert.VqVae.Voxels;
using TorchSharp;
using static TorchSharp.torch;

namespace Expert.VqVae.Tests.Model;

/// <summary>
/// The painter stage (`vqvae train --stage painter`, Training/PainterTrainer.cs) and the checkpoints that carry a painter:
/// the file layout, the source kept bit-identical, resume, the refusals, and stages that start from a painted checkpoint.
/// Mechanics only: the sources are untrained (the painter does not read them), what a tiny run learns differs from CPU to CPU.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class PainterStageTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "expert-vqvae-tests", Guid.NewGuid().ToString("N"));

    public PainterStageTests()
    {
        TorchRuntime.Initialize();
        Directory.CreateDirectory(_dir);
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void A_checkpoint_with_a_painter_writes_it_after_the_prior_and_loads_it_bit_identical()
    {
        torch.manual_seed(40);
        var (header, vqvae, prior) = Source(PaintedExamples());
        var tokenizer = DescriptionTokenizer.Fit(["a stone roof", "oak walls"]);
        var painted = header with
        {
            Painter = MaterialPainterTests.Tiny(tokenizer.VocabularySize),
            PainterTokenizerBpeIds = tokenizer.BpeIds.ToArray(),
            PainterStep = 12,
            PainterFrom = header.ModelVersion,
        };
        using var painter = new MaterialPainter(painted.Painter!);
        string path = Path.Combine(_dir, "painted.ckpt");
        ModelCheckpoint.Save(path, painted, vqvae, prior, painter: painter);

        // The layout: magic, header, the autoencoder's state, the prior's, the painter's.
        string legacy = Path.Combine(_dir, "by-hand.ckpt");
        using (var stream = File.Create(legacy))
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write("S2VQCKPT"u8.ToArray());
            byte[] json = JsonSerializer.SerializeToUtf8Bytes(painted, ModelCheckpoint.Json);
            writer.Write(json.Length);
            writer.Write(json);
            vqvae.save(writer);
            prior.save(writer);
            painter.save(writer);
        }
        Assert.Equal(File.ReadAllBytes(legacy), File.ReadAllBytes(path));

        var loaded = ModelCheckpoint.Load(path);
        Assert.NotNull(loaded.Painter);
        Assert.Equal(painted.Painter, loaded.Header.Painter);
        Assert.Equal(painted.PainterTokenizerBpeIds, loaded.Header.PainterTokenizerBpeIds);
        Assert.Equal(12, loaded.Header.PainterStep);
        AssertSameState(painter, loaded.Painter!, _ => true);
        string again = Path.Combine(_dir, "again.ckpt");
        ModelCheckpoint.Save(again, loaded.Header, loaded.VqVae, loaded.Prior, painter: loaded.Painter);
        Assert.Equal(File.ReadAllBytes(path), File.ReadAllBytes(again));
        loaded.DisposeModules();

        // Without a painter none of its fields is written: the header of every checkpoint before it.
        string plain = HeaderJson(header);
        Assert.DoesNotContain("painter", plain, StringComparison.OrdinalIgnoreCase);
        vqvae.Dispose();
        prior.Dispose();
    }

    [Fact]
    public void Nothing_writes_a_header_that_says_painter_without_its_weights()
    {
        torch.manual_seed(41);
        var (header, vqvae, prior) = Source(PaintedExamples());
        var tokenizer = DescriptionTokenizer.Fit(["a stone roof"]);
        var config = MaterialPainterTests.Tiny(tokenizer.VocabularySize);
        using var painter = new MaterialPainter(config);
        var painted = header with { Painter = config, PainterTokenizerBpeIds = tokenizer.BpeIds.ToArray() };
        string path = Path.Combine(_dir, "model.ckpt");
        Assert.Throws<ArgumentException>(() => ModelCheckpoint.Save(path, painted, vqvae, prior));                       // header says painter, no weights
        Assert.Throws<ArgumentException>(() => ModelCheckpoint.Save(path, header, vqvae, prior, painter: painter));       // weights the header does not name
        Assert.Throws<ArgumentException>(() => ModelCheckpoint.Save(path, painted with { PainterTokenizerBpeIds = null }, vqvae, prior, painter: painter));
        Assert.Throws<ArgumentException>(() => ModelCheckpoint.Save(path, painted with { Painter = config with { Layers = 2 } }, vqvae, prior, painter: painter));
        Assert.Throws<ArgumentException>(() => ModelCheckpoint.Save(path, painted with { Prior = null }, vqvae, null, painter: painter)); // a painter follows a prior
        Assert.False(File.Exists(path));
        vqvae.Dispose();
        prior.Dispose();
    }

    [Fact]
    public void The_painter_stage_trains_only_a_painter_and_keeps_the_source_bit_identical()
    {
        var examples = PaintedExamples();
        var validation = examples.Take(4).ToList();
        string sourcePath = SaveSource(examples);
        var options = PainterOptions(sourcePath, Path.Combine(_dir, "painter"), steps: 20);

        var outcome = new PainterTrainer(options).Train(examples, validation);

        var points = ReadPoints(options.OutputDir);
        Assert.Equal(Enumerable.Range(1, 20), points.Select(p => p.Step));
        var evaluations = points.Where(p => p.Values.ContainsKey("val/painter_material_accuracy")).ToList();
        Assert.Equal(new[] { 10, 20 }, evaluations.Select(p => p.Step));
        Assert.All(points, p => Assert.InRange(p.Values["train/painter_material_accuracy"], 0, 1));
        Assert.True(File.Exists(Path.Combine(options.OutputDir, "curves-painter.png")));
        Assert.Empty(Directory.GetFiles(options.OutputDir, "*.tmp*"));

        var source = ModelCheckpoint.Load(sourcePath);
        var result = ModelCheckpoint.Load(outcome.ModelPath);
        var h = result.Header;
        Assert.Equal("done", h.Stage);
        Assert.EndsWith("-paint", h.ModelVersion);
        Assert.Equal(source.Header.ModelVersion, h.PainterFrom);
        Assert.Equal(20, h.PainterStep);
        Assert.False(h.HasOptimizerState);
        Assert.Equal(source.Header.TokenizerBpeIds, h.TokenizerBpeIds);
        Assert.Equal(source.Header.VqVae, h.VqVae);
        Assert.Equal(source.Header.Prior, h.Prior);
        Assert.Equal(source.Header.EmptyCode, h.EmptyCode);
        // The painter's own tokenizer, fitted on the training descriptions, and the grid of the source.
        var painterTokenizer = DescriptionTokenizer.Fit(examples.Select(e => e.Description));
        Assert.Equal(painterTokenizer.BpeIds, h.PainterTokenizerBpeIds);
        Assert.Equal(options.Painter with { GridSize = 16, VocabularySize = painterTokenizer.VocabularySize }, h.Painter);
        // model.ckpt carries the best painter seen: it scores what the best evaluation logged.
        double bestLogged = evaluations.Max(p => p.Values["val/painter_material_accuracy"]);
        if (bestLogged > 0) Assert.Equal(bestLogged, h.Metrics["val/painter_material_accuracy"]);
        var valTokens = validation.Select(v => painterTokenizer.Encode(v.Description, h.Painter!.MaxTextTokens)).ToList();
        if (bestLogged > 0) Assert.Equal(bestLogged, PainterTrainer.MaterialAccuracy(result.Painter!, validation.Select(v => v.Blocks!).ToList(), valTokens, CPU));
        AssertSameState(source.VqVae, result.VqVae, _ => true);
        AssertSameState(source.Prior!, result.Prior!, _ => true);
        source.DisposeModules();
        result.DisposeModules();

        // The finished model paints: its blocks have the generated grid's occupancy, in the painter's palette.
        using var model = OccupancyModel.Load(outcome.ModelPath, "cpu");
        Assert.True(model.HasPainter);
        Assert.Equal(BlockMaterials.Blocks, model.Info.MaterialPalette);
        var generated = model.Generate([new GenerationRequest("a solid box 6 wide and 9 tall with stone walls and an oak roof", new SamplingOptions { Seed = 3 })])[0];
        Assert.NotNull(generated.Blocks);
        Assert.Equal(generated.Grids[0], generated.Blocks![0].ToOccupancy());
    }

    [Theory]
    [InlineData(PainterInput.True, 0, SlotReading.Encoded)]
    [InlineData(PainterInput.Reconstructed, 0, SlotReading.Encoded)]   // the frozen autoencoder reconstructs every batch and validation slice
    [InlineData(PainterInput.True, 7, SlotReading.Encoded)]            // the factored painter: its slot reader and heads saved and restored too
    [InlineData(PainterInput.True, 7, SlotReading.Neighbours)]         // ... reading by the words' neighbours (the window and the self scores)
    public void A_painter_run_stopped_by_cancel_resumes_to_exactly_the_uninterrupted_run(PainterInput input, int slots, SlotReading reading)
    {
        // Catches: the batch picks or mirrorings reseeded at the resume step, libtorch's stream (the painter's dropout)
        // reseeded instead of restored, AdamW's moments or the schedule not restored, steps past the checkpoint logged
        // twice, a resumed run that trains nothing.
        var examples = PaintedExamples();
        var validation = examples.Take(4).ToList();
        string sourcePath = SaveSource(examples);
        var withDropout = MaterialPainterTests.Tiny(3) with { Dropout = 0.1f, Slots = slots, SlotReading = reading };
        var throughOptions = PainterOptions(sourcePath, Path.Combine(_dir, "through"), steps: 30) with { Painter = withDropout, PainterInput = input };
        var through = new PainterTrainer(throughOptions).Train(examples, validation);

        var options = PainterOptions(sourcePath, Path.Combine(_dir, "stopped"), steps: 30) with { Painter = withDropout, PainterInput = input };
        using (var cts = new CancellationTokenSource())
            Assert.ThrowsAny<OperationCanceledException>(() => new PainterTrainer(options, new CancelAfter(cts, 15)).Train(examples, validation, cts.Token));
        var stopped = ModelCheckpoint.ReadHeader(Path.Combine(options.OutputDir, ImaginationTrainer.LatestName));
        Assert.Equal(TrainOptions.PainterStage, stopped.Stage);
        Assert.Equal(10, stopped.PainterStep);
        Assert.True(stopped.HasOptimizerState);
        Assert.NotNull(stopped.Resume);
        Assert.Equal(15, ReadPoints(options.OutputDir).Count);
        // The run's options record what it painted, by name; a resume with the other input is refused and says so.
        Assert.Equal(input, PainterTrainer.RecordedInput(stopped));
        Assert.Equal(input.ToString(), stopped.TrainingOptions!.Value.GetProperty("painterInput").GetString());
        var other = input == PainterInput.True ? PainterInput.Reconstructed : PainterInput.True;
        var refused = Assert.Throws<InvalidOperationException>(() => new PainterTrainer(options with { PainterInput = other }).Train(examples, validation));
        Assert.Contains("--painter-input", refused.Message);
        if (slots >= PainterSlots.Owners)
        {
            // A slot loss the stopped run did not have is refused too, not mixed into its schedule.
            var weighted = Assert.Throws<InvalidOperationException>(() => new PainterTrainer(options with { PainterSlotWeight = 1 }).Train(examples, validation));
            Assert.Contains("--painter-slot-weight", weighted.Message);
            Assert.Equal(0f, PainterTrainer.RecordedSlotWeight(stopped));
        }

        var resumed = new PainterTrainer(options).Train(examples, validation);

        var expected = ReadPoints(throughOptions.OutputDir);
        var actual = ReadPoints(options.OutputDir);
        Assert.Equal(Enumerable.Range(1, 30), actual.Select(p => p.Step));
        for (int i = 0; i < expected.Count; i++)
            Assert.True(expected[i].Values.OrderBy(kv => kv.Key).SequenceEqual(actual[i].Values.OrderBy(kv => kv.Key)),
                $"step {expected[i].Step}: {Show(expected[i].Values)} uninterrupted, {Show(actual[i].Values)} resumed");
        Assert.Equal(through.Header.Metrics.OrderBy(kv => kv.Key), resumed.Header.Metrics.OrderBy(kv => kv.Key));
        var straight = ModelCheckpoint.Load(through.ModelPath);
        var result = ModelCheckpoint.Load(resumed.ModelPath);
        AssertSameState(straight.Painter!, result.Painter!, _ => true);

        // The frozen autoencoder is written unchanged, whatever the painter painted.
        var source = ModelCheckpoint.Load(sourcePath);
        AssertSameState(source.VqVae, result.VqVae, _ => true);
        source.DisposeModules();
        straight.DisposeModules();
        result.DisposeModules();

        // The same command on the finished folder trains nothing and writes the same painter again.
        var again = new PainterTrainer(options).Train(examples, validation);
        Assert.Equal(30, again.Header.PainterStep);
        Assert.Equal(30, ReadPoints(options.OutputDir).Count);
    }

    [Fact]
    public void The_painter_stage_refuses_what_it_cannot_train_on_and_says_what_to_change()
    {
        var examples = PaintedExamples();
        string sourcePath = SaveSource(examples);
        var options = PainterOptions(sourcePath, Path.Combine(_dir, "refused"), steps: 5);
        // A record without blocks, by name.
        var bare = examples.Select((e, i) => i == 7 ? e with { Blocks = null } : e).ToList();
        var noBlocks = Assert.Throws<InvalidDataException>(() => new PainterTrainer(options).Train(bare, bare.Take(4).ToList()));
        Assert.Contains(examples[7].Id, noBlocks.Message);
        Assert.Contains("--stage painter", noBlocks.Message);
        // Options.
        Assert.Contains("--from", Assert.Throws<ArgumentException>(() => new TrainOptions { Stage = TrainOptions.PainterStage }.Validate()).Message);
        Assert.Contains("--painter-batch", Assert.Throws<ArgumentException>(() => (options with { PainterBatch = 0 }).Validate()).Message);
        Assert.Contains("--painter-lr", Assert.Throws<ArgumentException>(() => (options with { PainterLearningRate = 0 }).Validate()).Message);
        Assert.Contains("--materials", Assert.Throws<ArgumentException>(() => (options with { VqVae = options.VqVae with { Materials = 6 } }).Validate()).Message);
        Assert.Contains("painter", Assert.Throws<ArgumentException>(() => (options with { Painter = options.Painter with { Heads = 3 } }).Validate()).Message);
        Assert.Contains("--painter-input", Assert.Throws<ArgumentException>(() => (options with { PainterInput = (PainterInput)7 }).Validate()).Message);
        Assert.Contains("reconstructed", Assert.Throws<ArgumentException>(() => PainterInputs.Parse("decoded")).Message);
        Assert.Equal(PainterInput.Reconstructed, PainterInputs.Parse("Reconstructed"));
        Assert.Equal(PainterInput.True, PainterInputs.Parse(PainterInputs.Name(PainterInput.True)));
        Assert.Equal(PainterInput.True, new TrainOptions().PainterInput);   // the default: today's runs, resumes and tests unchanged
        // An unfinished source.
        var (header, vqvae, prior) = Source(examples);
        string unfinished = Path.Combine(_dir, "unfinished.ckpt");
        ModelCheckpoint.Save(unfinished, header with { Stage = "prior" }, vqvae, prior);
        vqvae.Dispose();
        prior.Dispose();
        Assert.Throws<InvalidOperationException>(() => new PainterTrainer(options with { From = unfinished }).Train(examples, examples.Take(4).ToList()));
    }

    [Fact]
    public void A_decoder_stage_from_a_painted_checkpoint_carries_its_painter()
    {
        var examples = PaintedExamples();
        var validation = examples.Take(4).ToList();
        string painted = new PainterTrainer(PainterOptions(SaveSource(examples), Path.Combine(_dir, "painter"), steps: 3)).Train(examples, validation).ModelPath;

        var decoder = new DecoderTrainer(new TrainOptions
        {
            OutputDir = Path.Combine(_dir, "decoder"), Stage = TrainOptions.DecoderStage, From = painted, DecoderSteps = 3, DecoderBatch = 4,
            EvalEvery = 3, Device = "cpu", VqVae = TinyModels.VqVae, Prior = TinyModels.Prior(3),
        }).Train(examples, validation);

        var before = ModelCheckpoint.Load(painted);
        var after = ModelCheckpoint.Load(decoder.ModelPath);
        Assert.Equal(before.Header.Painter, after.Header.Painter);
        Assert.Equal(before.Header.PainterTokenizerBpeIds, after.Header.PainterTokenizerBpeIds);
        Assert.Equal(before.Header.PainterFrom, after.Header.PainterFrom);
        Assert.Equal(before.Header.PainterTrainingOptions!.Value.GetRawText(), after.Header.PainterTrainingOptions!.Value.GetRawText());
        AssertSameState(before.Painter!, after.Painter!, _ => true);
        before.DisposeModules();
        after.DisposeModules();
    }

    [Theory]
    [InlineData(true)]    // --prior-from: a prior fine-tune
    [InlineData(false)]   // --autoencoder-from: a new prior on the painted checkpoint's autoencoder
    public void A_prior_stage_from_a_painted_checkpoint_carries_its_painter(bool fineTune)
    {
        var examples = PaintedExamples();
        var validation = examples.Take(4).ToList();
        string painted = new PainterTrainer(PainterOptions(SaveSource(examples), Path.Combine(_dir, "painter"), steps: 3)).Train(examples, validation).ModelPath;
        var options = new TrainOptions
        {
            OutputDir = Path.Combine(_dir, "prior"), VqVae = TinyModels.VqVae with { ReserveEmptyCode = true }, Prior = TinyModels.Prior(3),
            PriorSteps = 2, PriorBatch = 4, EvalEvery = 2, PriorWarmupSteps = 1, Device = "cpu",
            PriorFrom = fineTune ? painted : null, AutoencoderFrom = fineTune ? null : painted,
        };

        var outcome = new ImaginationTrainer(options).Train(examples, validation);

        var before = ModelCheckpoint.Load(painted);
        var after = ModelCheckpoint.Load(outcome.ModelPath);
        Assert.Equal(before.Header.Painter, after.Header.Painter);
        Assert.Equal(before.Header.PainterTokenizerBpeIds, after.Header.PainterTokenizerBpeIds);
        AssertSameState(before.Painter!, after.Painter!, _ => true);
        // What taught the painter stays readable after a run with other options: the header keeps the painter run's own.
        Assert.Equal("painter", before.Header.PainterTrainingOptions!.Value.GetProperty("stage").GetString());
        Assert.Equal(before.Header.PainterTrainingOptions!.Value.GetRawText(), after.Header.PainterTrainingOptions!.Value.GetRawText());
        Assert.NotEqual("painter", after.Header.TrainingOptions!.Value.GetProperty("stage").GetString());
        // (The resume points carried it too: the header names it, and a save without its weights throws.)
        before.DisposeModules();
        after.DisposeModules();
    }

    [Fact]
    public void With_reconstructed_input_a_voxel_occupied_only_in_the_truth_or_only_in_the_reconstruction_adds_nothing_to_the_loss()
    {
        // Catches: the loss counted on the truth's voxels or on the reconstruction's instead of on both.
        // Voxel 0 is occupied in both, voxel 1 in the truth only, voxel 2 in the reconstruction only ([Y, Z, X] order).
        var truth = torch.tensor(new float[] { 1, 1, 0, 0, 0, 0, 0, 0 }).reshape(1, 1, 2, 2, 2);
        var reconstructed = torch.tensor(new float[] { 1, 0, 1, 0, 0, 0, 0, 0 }).reshape(1, 1, 2, 2, 2);
        var counted = PainterTrainer.Both(reconstructed, truth);
        Assert.Equal(new[] { 1f, 0, 0, 0, 0, 0, 0, 0 }, counted.flatten().data<float>().ToArray());

        var classes = torch.tensor(new long[] { 2, 1, 0, 0, 0, 0, 0, 0 }).reshape(1, 2, 2, 2);
        torch.manual_seed(5);
        var logits = torch.randn(new long[] { 1, 3, 2, 2, 2 }).requires_grad_();
        var loss = MaterialTensors.OccupiedCrossEntropy(logits, classes, counted);
        loss.backward();
        var gradient = logits.grad!.abs().sum(1).flatten().data<float>().ToArray();   // per voxel
        Assert.True(gradient[0] > 0);                                      // the voxel in both is the loss
        Assert.Equal(0f, gradient[1]);                                     // the truth only
        Assert.Equal(0f, gradient[2]);                                     // the reconstruction only
        Assert.All(gradient.Skip(3), g => Assert.Equal(0f, g));            // empty in both
        // The loss is the cross-entropy of that voxel alone, against the truth's block.
        using var alone = nn.functional.cross_entropy(logits.detach().reshape(3, 8).t().narrow(0, 0, 1), torch.tensor(new long[] { 2 }));
        Assert.Equal(alone.item<float>(), loss.item<float>(), 5);
    }

    [Fact]
    public void With_reconstructed_input_the_painter_paints_the_autoencoders_reconstruction_of_the_mirrored_truth()
    {
        torch.manual_seed(43);
        var examples = PaintedExamples();
        var (header, vqvae, prior) = Source(examples);
        prior.Dispose();
        vqvae.eval();
        var grids = examples.Take(4).Select(e => e.Blocks!).ToList();
        var (occupancy, _) = MaterialTensors.Targets(grids, new PainterConfig().Blocks);
        var mirrored = occupancy.flip(4).flip(3);
        HalveReconstruction(vqvae, mirrored, header.EmptyCode ?? -1);

        // True input: the truth itself, counted where it is occupied.
        var (truePainted, trueCounted) = PainterTrainer.PaintedOccupancy(null, grids, mirrored, true, true, CPU);
        Assert.True(truePainted.eq(mirrored).all().item<bool>());
        Assert.True(trueCounted.eq(mirrored.squeeze(1)).all().item<bool>());

        // Reconstructed: the autoencoder's reconstruction of the mirrored shape (what inference reconstructs), above 0.5,
        // counted where both are occupied.
        var reconstruction = new PainterTrainer.Reconstruction(vqvae, header.EmptyCode ?? -1);
        var (painted, counted) = PainterTrainer.PaintedOccupancy(reconstruction, grids, mirrored, true, true, CPU);
        using (torch.no_grad())
        {
            var expected = vqvae.ReconstructedOccupancy(mirrored, header.EmptyCode ?? -1).gt(0.5f).to(ScalarType.Float32);
            Assert.True(painted.eq(expected).all().item<bool>());
        }
        Assert.True(counted.eq((painted * mirrored).squeeze(1)).all().item<bool>());
        Assert.False(painted.requires_grad);
        // The untrained autoencoder's reconstruction differs from the truth: some voxels are counted, not all.
        float both = counted.sum().item<float>(), truthVoxels = mirrored.sum().item<float>();
        Assert.InRange(both, 1, truthVoxels - 1);
        vqvae.Dispose();
    }

    [Fact]
    public void The_slot_targets_are_the_parts_that_set_each_voxel_and_their_blocks_for_composed_records_and_nothing_elsewhere()
    {
        var records = CompositionCorpusGenerator.Generate(new CompositionCorpusOptions { Seed = 5, Count = 24, Split = CorpusSplit.Train }).ToList();
        var examples = records.Select(r => new TrainingExample(r.Id, r.Description, r.Grid, r.Blocks, TrainingData.ComposedOf(r))).ToList();
        Assert.Contains(examples, e => e.Composed is null);                    // v1 family records
        var composed = examples.First(e => e.Composed is not null);
        // The same building with one voxel repainted no longer builds back to its blocks: its owners are not trusted.
        var repainted = composed.Blocks!.Clone();
        int someVoxel = Enumerable.Range(0, repainted.Volume).First(v => repainted.At(v) != BlockMaterial.Air);
        repainted.SetIndex(someVoxel, repainted.At(someVoxel) == BlockMaterial.Stone ? BlockMaterial.Sandstone : BlockMaterial.Stone);
        examples.Add(composed with { Id = "repainted", Blocks = repainted });
        var data = new TrainingSet(examples);
        var slots = new PainterSlots(data);
        Assert.Equal(7, PainterSlots.Owners);

        var indices = Enumerable.Range(0, data.Grids.Count).ToList();
        var (classes, known) = slots.Targets(indices, CPU);
        Assert.Equal(new long[] { data.Grids.Count, 32, 32, 32 }, classes.shape);
        int expectedKnown = 0;
        for (int g = 0; g < data.Grids.Count; g++)
        {
            var blocks = data.Blocks[g]!;
            var occupied = Enumerable.Range(0, blocks.Volume).Where(v => blocks.At(v) != BlockMaterial.Air).ToList();
            var knownHere = known[g].flatten();
            bool builds = data.Composed[g] is not null && !blocks.Equals(repainted);
            if (!builds)
            {
                Assert.Equal(0f, knownHere.sum().item<float>());                 // a family record or the repainted one: nothing
                continue;
            }
            expectedKnown++;
            var owners = CompositionCatalog.Build(data.Composed[g]!).Owners;
            Assert.Equal(occupied.Count, (int)knownHere.sum().item<float>());    // every occupied voxel, and only those
            var classesHere = classes[g].flatten().data<long>().ToArray();
            Assert.All(occupied, v => Assert.Equal((long)owners[v] - 1, classesHere[v]));
        }
        Assert.Equal(expectedKnown, slots.Known);
        Assert.True(expectedKnown > 0);

        // Each slot's block: the material the building gives that part (glass for the windows), for the parts it has;
        // a ninth slot past the seven parts is never taught.
        var (partBlocks, partKnown) = slots.BlockTargets(indices, 9, CPU);
        Assert.Equal(new long[] { data.Grids.Count, 9 }, partBlocks.shape);
        bool sawWindows = false;
        for (int g = 0; g < data.Grids.Count; g++)
        {
            var knownSlots = partKnown[g].data<float>().ToArray();
            var blockClasses = partBlocks[g].data<long>().ToArray();
            if (known[g].sum().item<float>() == 0) { Assert.All(knownSlots, k => Assert.Equal(0f, k)); continue; }
            var spec = data.Composed[g]!;
            foreach (var slot in Enum.GetValues<MaterialSlot>())
            {
                bool used = spec.UsedSlots().Contains(slot);
                Assert.Equal(used ? 1f : 0f, knownSlots[(int)slot]);
                if (used) Assert.Equal((long)spec.MaterialOf(slot) - 1, blockClasses[(int)slot]);
            }
            Assert.Equal(spec.Has(PartKind.Windows) ? 1f : 0f, knownSlots[6]);
            if (spec.Has(PartKind.Windows)) { sawWindows = true; Assert.Equal((long)BlockMaterial.Glass - 1, blockClasses[6]); }
            Assert.Equal(0f, knownSlots[7]);
            Assert.Equal(0f, knownSlots[8]);
        }
        Assert.True(sawWindows);

        // The option needs a factored painter with a slot for each part.
        string source = SaveSource(PaintedExamples());
        var options = PainterOptions(source, Path.Combine(_dir, "refused"), steps: 5) with { PainterSlotWeight = 1, Painter = MaterialPainterTests.Tiny(3) with { Slots = 6 } };
        Assert.Contains("--painter-slots 7 or more, got 6", Assert.Throws<ArgumentException>(options.Validate).Message);
        Assert.Contains("--painter-slot-weight must be 0 or positive", Assert.Throws<ArgumentException>((options with { PainterSlotWeight = -1 }).Validate).Message);
        (options with { Painter = MaterialPainterTests.Tiny(3) with { Slots = 7 } }).Validate();
    }

    [Fact]
    public void With_window_positions_the_windows_slot_is_where_windows_go_glass_if_the_building_has_them_else_its_walls()
    {
        var records = CompositionCorpusGenerator.Generate(new CompositionCorpusOptions { Seed = 8, Count = 40, Split = CorpusSplit.Train }).ToList();
        var examples = records.Select(r => new TrainingExample(r.Id, r.Description, r.Grid, r.Blocks, TrainingData.ComposedOf(r))).ToList();
        var data = new TrainingSet(examples);
        var plain = new PainterSlots(data);
        var positions = new PainterSlots(data, windowPositions: true);
        var indices = Enumerable.Range(0, data.Grids.Count).Where(g => plain.OwnersOf(g) is not null).ToList();
        var (partBlocks, partKnown) = positions.BlockTargets(indices, 7, CPU);
        int with = 0, without = 0;
        for (int i = 0; i < indices.Count; i++)
        {
            var spec = data.Composed[indices[i]]!;
            var owners = plain.OwnersOf(indices[i])!;
            var placed = positions.OwnersOf(indices[i])!;
            var glazed = CompositionCatalog.Build(spec with { Parts = new HashSet<PartKind>(spec.Parts) { PartKind.Windows } });
            // Windows replace wall voxels: the glazed building has the same occupancy, so the occupancy shows the place.
            Assert.Equal(data.Blocks[indices[i]]!.ToOccupancy(), glazed.Blocks.ToOccupancy());
            for (int v = 0; v < owners.Length; v++)
            {
                var expected = glazed.Owners[v] == VoxelOwner.Windows && owners[v] is VoxelOwner.Walls or VoxelOwner.Windows ? VoxelOwner.Windows : owners[v];
                Assert.Equal(expected, placed[v]);
            }
            Assert.Equal(1f, partKnown[i, 6].item<float>());                     // every composed building teaches its windows slot
            var block = (BlockMaterial)(partBlocks[i, 6].item<long>() + 1);
            if (spec.Has(PartKind.Windows)) { with++; Assert.Equal(BlockMaterial.Glass, block); Assert.Equal(owners, placed); }
            else { without++; Assert.Equal(spec.MaterialOf(MaterialSlot.Walls), block); Assert.Contains(VoxelOwner.Windows, placed); }
        }
        Assert.True(with > 0 && without > 0, $"{with} buildings with windows, {without} without");
        var options = PainterOptions(SaveSource(PaintedExamples()), Path.Combine(_dir, "refused"), steps: 5) with
        {
            PainterWindowPositions = true, Painter = MaterialPainterTests.Tiny(3) with { Slots = 7 },
        };
        Assert.Contains("--painter-window-positions", Assert.Throws<ArgumentException>(options.Validate).Message);
        (options with { PainterSlotWeight = 1 }).Validate();
    }

    [Theory]
    [InlineData(SlotReading.Encoded)]
    [InlineData(SlotReading.Neighbours)]   // the shipped painter's reading
    public void A_factored_painter_with_a_slot_weight_trains_on_composed_records_and_logs_its_slot_loss(SlotReading reading)
    {
        var records = CompositionCorpusGenerator.Generate(new CompositionCorpusOptions { Seed = 6, Count = 12, Split = CorpusSplit.Train }).ToList();
        var examples = records.Select(r => new TrainingExample(r.Id, r.Description, r.Grid, r.Blocks, TrainingData.ComposedOf(r))).ToList();
        var tokenizer = DescriptionTokenizer.Fit(examples.Select(e => e.Description));
        torch.manual_seed(44);
        var header = new CheckpointHeader
        {
            ModelVersion = "vqvae-prior-test-source-32",
            VqVae = TinyModels.VqVae with { GridSize = 32, Downsamplings = 3, ReserveEmptyCode = true },
            Prior = TinyModels.Prior(tokenizer.VocabularySize),
            TokenizerBpeIds = tokenizer.BpeIds.ToArray(),
            Stage = "done",
            EmptyCode = VqVaeConfig.EmptyCode,
        };
        string sourcePath = Path.Combine(_dir, "source32.ckpt");
        using (var vqvae = new VqVae3d(header.VqVae))
        using (var prior = new TextConditionedPrior(header.Prior!))
            ModelCheckpoint.Save(sourcePath, header, vqvae, prior);
        var options = PainterOptions(sourcePath, Path.Combine(_dir, "slots"), steps: 4) with
        {
            Painter = MaterialPainterTests.Tiny(3) with { Slots = 7, SlotReading = reading }, PainterSlotWeight = 0.5f, EvalEvery = 2,
            VqVae = header.VqVae,
        };

        var outcome = new PainterTrainer(options).Train(examples, examples.Take(2).ToList());

        var points = ReadPoints(options.OutputDir);
        Assert.Equal(Enumerable.Range(1, 4), points.Select(p => p.Step));
        Assert.All(points, p => Assert.True(double.IsFinite(p.Values["loss/slots"]) && p.Values["loss/slots"] > 0));
        Assert.All(points, p => Assert.True(double.IsFinite(p.Values["loss/slot_blocks"]) && p.Values["loss/slot_blocks"] > 0));
        var result = ModelCheckpoint.Load(outcome.ModelPath);
        Assert.Equal(7, result.Header.Painter!.Slots);
        Assert.Equal(reading, result.Header.Painter.SlotReading);
        Assert.Equal(new long[] { 1, 7, 32, 32, 32 }, result.Painter!.SlotLogits(torch.zeros(new long[] { 1, 1, 32, 32, 32 })).shape);
        Assert.False(PainterTrainer.RecordedWindowPositions(result.Header));
        result.DisposeModules();
        // The run folder resumes only with the same windows slot: the other targets are refused, not mixed in.
        var other = Assert.Throws<InvalidOperationException>(() =>
            new PainterTrainer(options with { PainterWindowPositions = true }).Train(examples, examples.Take(2).ToList()));
        Assert.Contains("--painter-window-positions", other.Message);
    }

    /// <summary>
    /// Boxes and rings (16^3) whose lower half is the walls' block and upper half the roof's, described with both; two
    /// material pairs a shape, so the same shape is painted two ways.
    /// </summary>
    internal static List<TrainingExample> PaintedExamples()
    {
        var list = new List<TrainingExample>();
        var pairs = new[] { (BlockMaterial.Stone, "stone", BlockMaterial.OakPlanks, "oak"), (BlockMaterial.OakPlanks, "oak", BlockMaterial.Sandstone, "sandstone") };
        foreach (var e in TinyModels.BoxesAndRings([4, 8], [4, 8]))
            foreach (var (walls, wallsWord, roof, roofWord) in pairs)
            {
                int height = e.Grid.Cells.ToArray().Select((on, i) => on ? i / (16 * 16) + 1 : 0).Max();
                var blocks = new MaterialGrid(16);
                for (int i = 0; i < blocks.Volume; i++)
                    if (e.Grid.Cells[i]) blocks.SetIndex(i, i / (16 * 16) < height / 2 ? walls : roof);
                list.Add(e with { Id = $"{e.Id}-{wallsWord}-{roofWord}", Description = $"{e.Description} with {wallsWord} walls and a {roofWord} roof", Blocks = blocks });
            }
        return list;
    }

    /// <summary>An untrained but finished tiny checkpoint (the painter stage does not read its weights).</summary>
    private static (CheckpointHeader, VqVae3d, TextConditionedPrior) Source(IReadOnlyList<TrainingExample> examples)
    {
        var tokenizer = DescriptionTokenizer.Fit(examples.Select(e => e.Description));
        var header = new CheckpointHeader
        {
            ModelVersion = "vqvae-prior-test-source",
            VqVae = TinyModels.VqVae with { ReserveEmptyCode = true },
            Prior = TinyModels.Prior(tokenizer.VocabularySize),
            TokenizerBpeIds = tokenizer.BpeIds.ToArray(),
            Stage = "done",
            EmptyCode = VqVaeConfig.EmptyCode,
        };
        return (header, new VqVae3d(header.VqVae), new TextConditionedPrior(header.Prior!));
    }

    private string SaveSource(IReadOnlyList<TrainingExample> examples)
    {
        torch.manual_seed(42);
        var (header, vqvae, prior) = Source(examples);
        var (occupancy, _) = MaterialTensors.Targets(examples.Select(e => e.Blocks!).ToList(), new PainterConfig().Blocks);
        HalveReconstruction(vqvae, occupancy, header.EmptyCode ?? -1);
        string path = Path.Combine(_dir, "source.ckpt");
        ModelCheckpoint.Save(path, header, vqvae, prior);
        vqvae.Dispose();
        prior.Dispose();
        return path;
    }

    /// <summary>
    /// Shifts the untrained autoencoder's last occupancy bias so that its reconstruction keeps about half of the true
    /// voxels of <paramref name="occupancy"/> (untrained, it keeps all of them): the reconstructed painter input then differs from the truth.
    /// </summary>
    internal static void HalveReconstruction(VqVae3d vqvae, Tensor occupancy, long emptyCode)
    {
        using var _ = torch.no_grad();
        using var probabilities = vqvae.ReconstructedOccupancy(occupancy, emptyCode);
        using var atTruth = probabilities.masked_select(occupancy.gt(0.5f));
        double median = atTruth.logit().median().item<float>();
        var bias = vqvae.named_parameters().Last(p => p.name.EndsWith(".bias")).parameter;   // the last transposed convolution's
        bias.narrow(0, 0, 1).sub_(median);
    }

    private static TrainOptions PainterOptions(string from, string output, int steps) => new()
    {
        OutputDir = output,
        Stage = TrainOptions.PainterStage,
        From = from,
        PainterSteps = steps,
        PainterBatch = 4,
        PainterLearningRate = 3e-3f,
        EvalEvery = 10,
        Device = "cpu",
        VqVae = TinyModels.VqVae,
        Prior = TinyModels.Prior(3),
        Painter = MaterialPainterTests.Tiny(3),
    };

    private static string HeaderJson(CheckpointHeader header) => JsonSerializer.Serialize(header, ModelCheckpoint.Json);

    /// <summary>Every line of a painter run's metrics.jsonl (all of them of stage "painter").</summary>
    private static List<MetricPoint> ReadPoints(string runDir)
    {
        var points = File.ReadLines(Path.Combine(runDir, "metrics.jsonl")).Select(l => JsonSerializer.Deserialize<MetricPoint>(l)!).ToList();
        Assert.All(points, p => Assert.Equal(TrainOptions.PainterStage, p.Stage));
        return points;
    }

    private static string Show(IReadOnlyDictionary<string, double> values) => string.Join(", ", values.Select(kv => $"{kv.Key}={kv.Value:R}"));

    internal static void AssertSameState(nn.Module expected, nn.Module actual, Func<string, bool> which)
    {
        var a = expected.state_dict();
        var b = actual.state_dict();
        int compared = 0;
        foreach (var (name, tensor) in a.Where(kv => which(kv.Key)))
        {
            Assert.True(b.ContainsKey(name), $"missing {name}");
            Assert.True(tensor.shape.SequenceEqual(b[name].shape) && tensor.eq(b[name]).all().item<bool>(), $"{name} changed");
            compared++;
        }
        Assert.True(compared > 0);
    }

    private sealed class CancelAfter(CancellationTokenSource cts, int step) : ITrainingProgress
    {
        public void Step(string stage, int i, int total, IReadOnlyDictionary<string, double> values)
        {
            if (i >= step) cts.Cancel();
        }

        public void Message(string text) { }
    }
}
