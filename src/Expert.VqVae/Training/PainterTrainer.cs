using System.Diagnostics;
using System.Text.Json;
using Expert.VqVae.MlCore.Runtime;
using Expert.VqVae.MlCore.Training;
using Expert.VqVae.Model;
using Expert.VqVae.Persistence;
using Expert.VqVae.Text;
using Expert.VqVae.Voxels;
using TorchSharp;
using static TorchSharp.torch;

namespace Expert.VqVae.Training;

/// <summary>
/// Stage "painter": a material painter (<see cref="MaterialPainter"/>, MODEL.md "4. Materials from words") trained beside
/// the frozen autoencoder and prior of a finished checkpoint, on the true (occupancy, blocks, description) triples of a v2
/// corpus (every record must have blocks). The painter has its own tokenizer, fitted on the training descriptions
/// (the source's may never have seen a material word). Steps: a random batch of triples, mirrored in x and in z as the
/// autoencoder's batches are, the cross-entropy of the blocks on the occupied voxels, AdamW with warm-up, cosine decay and
/// gradient clipping. Every --eval-every steps: <c>val/painter_material_accuracy</c> (blocks right on the occupied voxels
/// of the validation slice's true shapes, painted from their descriptions), checkpoint-latest.ckpt and, when it is the
/// best so far, checkpoint-best.ckpt. model.ckpt is the source checkpoint (autoencoder, prior and tokenizer bit-identical)
/// with the best painter and a new version. Resumable from checkpoint-latest.ckpt; a resumed CPU run replays the batch
/// draws of the steps already done and ends bit-identical to one never stopped. With <c>--painter-input reconstructed</c>
/// (<see cref="PainterInput.Reconstructed"/>) the painter paints the frozen autoencoder's reconstructions of the true shapes
/// instead, and loss and accuracy count the voxels occupied in both (<see cref="PaintedOccupancy"/>).
/// </summary>
public sealed class PainterTrainer
{
    /// <summary>AdamW's weight decay for the painter (the prior's).</summary>
    internal const float WeightDecay = 0.01f;

    private readonly TrainOptions _options;
    private readonly ITrainingProgress _progress;

    public PainterTrainer(TrainOptions options, ITrainingProgress? progress = null)
    {
        options.Validate();
        if (options.Stage != TrainOptions.PainterStage || options.From is null)
            throw new ArgumentException("The painter trainer needs --stage painter and --from CKPT.");
        _options = options;
        _progress = progress ?? NoProgress.Instance;
    }

    public TrainingOutcome Train(IReadOnlyList<TrainingExample> train, IReadOnlyList<TrainingExample> validation, CancellationToken ct = default)
    {
        if (train.Count == 0) throw new ArgumentException("No training examples.");
        if (validation.Count == 0) throw new ArgumentException("No validation examples.");
        TrainingData.RequireBlocks(train.Concat(validation), "the material painter (--stage painter)");
        var o = _options;
        TorchRuntime.Initialize(o.Threads > 0 ? o.Threads : null);
        var device = TorchRuntime.ResolveDevice(o.Device);
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(o.OutputDir);
        string latestPath = Path.Combine(o.OutputDir, ImaginationTrainer.LatestName);
        string bestPath = Path.Combine(o.OutputDir, ImaginationTrainer.BestName);

        var source = ModelCheckpoint.Load(o.From!);
        var sh = source.Header;
        if (sh.Stage != "done" || source.Prior is null)
        {
            source.DisposeModules();
            throw new InvalidOperationException($"'{o.From}' is not a finished checkpoint (stage {sh.Stage}): the painter stage keeps its autoencoder and prior.");
        }
        if (source.Painter is not null)
        {
            _progress.Message($"{o.From} has a painter already (from {sh.PainterFrom}, {sh.PainterStep} steps); this run trains a new one in its place.");
            source.Painter.Dispose();
            source = source with { Painter = null };
            sh = sh with { Painter = null, PainterTokenizerBpeIds = null, PainterStep = 0, PainterFrom = null };
        }
        var vqvae = source.VqVae;
        var prior = source.Prior;

        var tokenizer = DescriptionTokenizer.Fit(train.Select(e => e.Description));
        var config = o.Painter with { GridSize = sh.VqVae.GridSize, VocabularySize = tokenizer.VocabularySize };
        config.Validate();
        var data = new TrainingSet(train);
        if (data.Blocks.Concat(validation.Select(v => v.Blocks)).FirstOrDefault(b => b!.SizeX != config.GridSize || b.SizeY != config.GridSize || b.SizeZ != config.GridSize) is { } odd)
        {
            source.DisposeModules();
            throw new InvalidDataException($"The corpus has a {odd.SizeX}x{odd.SizeY}x{odd.SizeZ} grid; '{o.From}' makes {config.GridSize}^3 grids.");
        }
        var tokens = data.Pairs.Select(p => tokenizer.Encode(p.Description, int.MaxValue)).ToArray();
        int longest = tokens.Max(t => t.Length), cut = tokens.Count(t => t.Length > config.MaxTextTokens);
        tokens = tokens.Select(t => t.Length > config.MaxTextTokens ? t[..config.MaxTextTokens] : t).ToArray();
        _progress.Message($"{train.Count} descriptions of {data.Grids.Count} distinct painted shapes; the painter's vocabulary {tokenizer.VocabularySize} tokens, " +
                          $"longest description {longest} tokens ({cut} cut at {config.MaxTextTokens}); device {device}.");

        LoadedCheckpoint? resumed = o.Resume && File.Exists(latestPath) ? ModelCheckpoint.Load(latestPath) : null;
        if (resumed is not null)
        {
            var rh = resumed.Header;
            string? problem = rh.PainterFrom != sh.ModelVersion || resumed.Painter is null ? $"it is not a painter run from '{sh.ModelVersion}'"
                : rh.Painter != config ? "its painter has another shape or vocabulary than this run's"
                : !(rh.PainterTokenizerBpeIds ?? []).SequenceEqual(tokenizer.BpeIds) ? "its painter's tokenizer differs from this corpus's"
                : RecordedInput(rh) != o.PainterInput ? $"it painted --painter-input {PainterInputs.Name(RecordedInput(rh))}, this run {PainterInputs.Name(o.PainterInput)}"
                : RecordedSlotWeight(rh) != o.PainterSlotWeight ? $"it trained with --painter-slot-weight {RecordedSlotWeight(rh)}, this run {o.PainterSlotWeight}"
                : RecordedWindowPositions(rh) != o.PainterWindowPositions ? $"it trained {(RecordedWindowPositions(rh) ? "with" : "without")} --painter-window-positions, this run {(o.PainterWindowPositions ? "with" : "without")}"
                : null;
            if (problem is not null)
            {
                resumed.DisposeModules();
                source.DisposeModules();
                throw new InvalidOperationException($"'{latestPath}' cannot be resumed: {problem}; use a new --output or --no-resume.");
            }
            _progress.Message($"Resuming the painter stage from {latestPath} at step {rh.PainterStep}.");
        }
        var log = new TrainingLog(o.OutputDir, resume: resumed is not null);
        if (resumed is not null) log.TruncateAfter(TrainOptions.PainterStage, resumed.Header.PainterStep);

        MaterialPainter painter;
        if (resumed is not null)
        {
            painter = resumed.Painter!;
            resumed.VqVae.Dispose();   // the same weights as the source's: the source's are written
            resumed.Prior?.Dispose();
        }
        else
        {
            torch.manual_seed(o.Seed);
            painter = new MaterialPainter(config);
            _progress.Message($"A new painter: {painter.parameters().Sum(p => p.numel())} parameters (width {config.Channels}, model {config.ModelDim}, " +
                              $"{config.TextLayers} text and {config.Layers} cross/self-attention layers" +
                              (config.Slots > 0 ? $"; factored, {config.Slots} slots, {config.SlotReading.ToString().ToLowerInvariant()} reading)." : ")."));
        }
        painter.to(device);
        // --painter-input reconstructed: the frozen autoencoder reconstructs every batch's true shapes (eval mode, no
        // gradient; its weights are written unchanged).
        Reconstruction? reconstruction = null;
        if (o.PainterInput == PainterInput.Reconstructed)
        {
            vqvae.to(device);
            vqvae.eval();
            reconstruction = new Reconstruction(vqvae, sh.EmptyCode ?? -1);
            _progress.Message("The painter paints the autoencoder's reconstructions of the true shapes (--painter-input reconstructed); " +
                              "loss and accuracy on the voxels occupied in both.");
        }

        var header = resumed?.Header ?? sh with
        {
            Stage = TrainOptions.PainterStage,
            Painter = config,
            PainterTokenizerBpeIds = tokenizer.BpeIds.ToArray(),
            PainterStep = 0,
            PainterFrom = sh.ModelVersion,
            BestMetric = 0,
            HasOptimizerState = false,
            Resume = null,
        };
        // A resume point says where libtorch's random stream stood; it is put back in the loop, after every module was
        // built (building one draws its initial weights).
        var resumeState = resumed is not null ? header.Resume : null;
        var recorded = JsonSerializer.SerializeToElement(o, ModelCheckpoint.Json);
        header = header with { TrainingOptions = recorded, PainterTrainingOptions = recorded, Resume = null };
        if (header.Stage == "done" && header.PainterStep < o.PainterSteps) header = header with { Stage = TrainOptions.PainterStage };

        if (header.Stage == TrainOptions.PainterStage)
        {
            var valBlocks = validation.Select(v => v.Blocks!).ToList();
            var valTokens = validation.Select(v => tokenizer.Encode(v.Description, config.MaxTextTokens)).ToList();
            header = TrainLoop(vqvae, prior, painter, reconstruction, data, tokens, valBlocks, valTokens, header, resumed, resumeState, log, device, latestPath, bestPath, ct);
        }

        // model.ckpt carries the best painter seen, not the last.
        if (File.Exists(bestPath))
        {
            var best = ModelCheckpoint.Load(bestPath);
            best.VqVae.Dispose();
            best.Prior?.Dispose();
            painter.Dispose();
            painter = best.Painter ?? throw new InvalidDataException($"'{bestPath}' has no painter.");
            header = header with { Metrics = new Dictionary<string, double>(header.Metrics) { ["val/painter_material_accuracy"] = best.Header.BestMetric } };
        }
        return ImaginationTrainer.WriteFinished(header, vqvae, prior, log, o.OutputDir, _progress, clock.Elapsed, versionSuffix: "-paint", painter: painter);
    }

    private CheckpointHeader TrainLoop(VqVae3d vqvae, TextConditionedPrior prior, MaterialPainter painter, Reconstruction? reconstruction, TrainingSet data, int[][] tokens,
        IReadOnlyList<MaterialGrid> valBlocks, IReadOnlyList<int[]> valTokens, CheckpointHeader header, LoadedCheckpoint? resumed, ResumeState? resumeState,
        TrainingLog log, Device device, string latestPath, string bestPath, CancellationToken ct)
    {
        var o = _options;
        var k = painter.Config.Blocks;
        var parameters = painter.parameters().ToList();
        using var optimizer = optim.AdamW(parameters, lr: o.PainterLearningRate, weight_decay: WeightDecay);
        if (resumed is not null && resumed.Header.Stage == TrainOptions.PainterStage) ModelCheckpoint.LoadOptimizerState(resumed, optimizer);
        // One stream of batch picks and mirrorings from step 1 (the autoencoder's draws, over the triples): a resumed run
        // replays the draws of the steps it has done, so it goes on with the batches an uninterrupted run would take.
        var random = new Random(o.Seed * 32452843);
        for (int done = 1; done <= header.PainterStep; done++) ImaginationTrainer.DrawAutoencoderBatch(random, data.Pairs.Count, o.PainterBatch);
        // libtorch's stream (dropout, when the config has any) is seeded at the stage's start, or put back.
        if (resumeState is not null)
        {
            ImaginationTrainer.RestoreTorchGenerator(resumeState);
            ImaginationTrainer.ReseedCuda(device, o.Seed + 200_000 + header.PainterStep);
        }
        else torch.manual_seed(o.Seed + 200_000 + header.PainterStep);
        double best = header.BestMetric;
        PainterSlots? slots = null;
        if (o.PainterSlotWeight > 0)
        {
            slots = new PainterSlots(data, o.PainterWindowPositions);
            _progress.Message($"The slots learn the part that set each voxel (--painter-slot-weight {o.PainterSlotWeight}): " +
                              $"{slots.Known} of {data.Grids.Count} shapes are composed buildings that build back to their blocks.");
        }
        var schedule = new WarmupCosineSchedule(o.PainterLearningRate, o.PainterSteps, ImaginationTrainer.WarmupSteps);
        painter.train();
        for (int step = header.PainterStep + 1; step <= o.PainterSteps; step++)
        {
            ct.ThrowIfCancellationRequested();
            schedule.ApplyTo(optimizer, step);
            float loss, accuracy, slotLoss = float.NaN, slotBlockLoss = float.NaN;
            using (NewDisposeScope())
            {
                var draw = ImaginationTrainer.DrawAutoencoderBatch(random, data.Pairs.Count, o.PainterBatch);
                var grids = draw.Picks.Select(i => data.Blocks[data.Pairs[i].GridIndex]!).ToList();
                var (occupancy, classes) = MaterialTensors.Targets(grids, k, device);
                if (draw.MirrorX) { occupancy = occupancy.flip(4); classes = classes.flip(3); }   // [B, 1, Y, Z, X] and [B, Y, Z, X]
                if (draw.MirrorZ) { occupancy = occupancy.flip(3); classes = classes.flip(2); }
                var text = painter.TextTensor(draw.Picks.Select(i => tokens[i]).ToList(), device);
                var (painted, occupied) = PaintedOccupancy(reconstruction, grids, occupancy, draw.MirrorX, draw.MirrorZ, device);
                optimizer.zero_grad();
                Tensor logits, ce;
                if (slots is null)
                {
                    logits = painter.forward(painted, text);
                    ce = MaterialTensors.OccupiedCrossEntropy(logits, classes, occupied);
                }
                else
                {
                    // The factored painter's two halves, mixed as its forward mixes them; the slot logits also learn the
                    // part that set each voxel, where it is known.
                    var slotLogits = painter.SlotLogits(painted);
                    var slotBlocks = painter.SlotBlocks(text);
                    logits = MaterialPainter.Mix(slotLogits, slotBlocks);
                    var shapes = draw.Picks.Select(i => data.Pairs[i].GridIndex).ToList();
                    var (owners, known) = slots.Targets(shapes, device);
                    if (draw.MirrorX) { owners = owners.flip(3); known = known.flip(3); }
                    if (draw.MirrorZ) { owners = owners.flip(2); known = known.flip(2); }
                    var voxelCe = MaterialTensors.OccupiedCrossEntropy(slotLogits, owners, known * occupied);
                    // Each part's block from the words, one term a part and building (the chimney counts as much as the walls).
                    var (partBlocks, partKnown) = slots.BlockTargets(shapes, painter.Config.Slots, device);
                    var blockCe = MaterialTensors.OccupiedCrossEntropy(slotBlocks.permute(0, 2, 1), partBlocks, partKnown);
                    slotLoss = voxelCe.item<float>();
                    slotBlockLoss = blockCe.item<float>();
                    ce = MaterialTensors.OccupiedCrossEntropy(logits, classes, occupied) + o.PainterSlotWeight * (voxelCe + blockCe);
                }
                ce.backward();
                nn.utils.clip_grad_norm_(parameters, 1.0);
                optimizer.step();
                loss = ce.item<float>();
                var (hits, count) = Correct(MaterialTensors.ClassOfVoxels(logits), classes, occupied);
                accuracy = count == 0 ? 0f : (float)(hits / count);
            }
            var values = new Dictionary<string, double> { ["loss"] = loss, ["train/painter_material_accuracy"] = accuracy };
            if (slots is not null)
            {
                values["loss/slots"] = slotLoss;
                values["loss/slot_blocks"] = slotBlockLoss;
            }
            if (step % o.EvalEvery == 0 || step == o.PainterSteps)
            {
                double valAccuracy = MaterialAccuracy(painter, valBlocks, valTokens, device, reconstruction: reconstruction);
                painter.train();
                values["val/painter_material_accuracy"] = valAccuracy;
                bool improved = valAccuracy > best;
                best = Math.Max(best, valAccuracy);
                header = header with
                {
                    Stage = step == o.PainterSteps ? "done" : TrainOptions.PainterStage,
                    PainterStep = step,
                    BestMetric = best,
                    Metrics = new Dictionary<string, double>(header.Metrics) { ["val/painter_last_accuracy"] = valAccuracy },
                    HasOptimizerState = true,
                    SavedAt = DateTimeOffset.UtcNow,
                };
                ModelCheckpoint.Save(latestPath, header with { Stage = TrainOptions.PainterStage, Resume = ImaginationTrainer.CaptureResumeState(0) },
                    vqvae, prior, optimizer, painter);
                if (improved)
                    ModelCheckpoint.Save(bestPath, header with { HasOptimizerState = false }, vqvae, prior, painter: painter);
            }
            log.Add(TrainOptions.PainterStage, step, values);
            _progress.Step(TrainOptions.PainterStage, step, o.PainterSteps, values);
        }
        return header with { Stage = "done" };
    }

    /// <summary>
    /// Blocks right on the occupied voxels of true shapes painted from their descriptions (the painter's tokens, each at
    /// most its window): what <c>val/painter_material_accuracy</c> logs. 0 when no voxel is occupied. With
    /// <paramref name="reconstruction"/> (<c>--painter-input reconstructed</c>) the painter paints the autoencoder's
    /// reconstructions of the shapes, and the voxels counted are those occupied in both the reconstruction and the truth.
    /// </summary>
    public static double MaterialAccuracy(MaterialPainter painter, IReadOnlyList<MaterialGrid> blocks, IReadOnlyList<int[]> tokens, Device device, int batch = 16,
        Reconstruction? reconstruction = null)
    {
        if (blocks.Count != tokens.Count) throw new ArgumentException($"{blocks.Count} grids need {blocks.Count} token rows, got {tokens.Count}.");
        painter.eval();
        double right = 0, occupied = 0;
        using (no_grad())
        {
            for (int at = 0; at < blocks.Count; at += batch)
            {
                using var scope = NewDisposeScope();
                var grids = blocks.Skip(at).Take(batch).ToList();
                var (occupancy, classes) = MaterialTensors.Targets(grids, painter.Config.Blocks, device);
                var text = painter.TextTensor(tokens.Skip(at).Take(batch).ToList(), device);
                var (painted, counted) = PaintedOccupancy(reconstruction, grids, occupancy, false, false, device);
                var (hits, count) = Correct(painter.Paint(painted, text), classes, counted);
                right += hits;
                occupied += count;
            }
        }
        return occupied == 0 ? 0 : right / occupied;
    }

    /// <summary>The frozen autoencoder of a <c>--painter-input reconstructed</c> run and the source checkpoint's empty code (-1: none).</summary>
    public sealed record Reconstruction(VqVae3d VqVae, long EmptyCode);

    /// <summary>
    /// The occupancy [B, 1, G, G, G] the painter is given and the voxels [B, G, G, G] its loss and accuracy count, for true
    /// shapes <paramref name="grids"/> whose occupancy tensor (<paramref name="occupancy"/>, already mirrored as the draw
    /// says) is given. Without <paramref name="reconstruction"/>: the true occupancy and its occupied voxels. With it: the
    /// autoencoder's reconstruction of the same (mirrored) shapes, occupied above 0.5, and the voxels occupied in both
    /// the reconstruction and the truth (the truth's block is the target; a voxel occupied in only one counts nothing).
    /// </summary>
    internal static (Tensor Painted, Tensor Counted) PaintedOccupancy(Reconstruction? reconstruction, IReadOnlyList<MaterialGrid> grids, Tensor occupancy,
        bool mirrorX, bool mirrorZ, Device device)
    {
        if (reconstruction is null) return (occupancy, occupancy.squeeze(1));
        var vqvae = reconstruction.VqVae;
        using var _ = no_grad();
        var input = vqvae.Config.Materials > 0 ? MaterialTensors.Input(grids, vqvae.Config.Materials, device) : occupancy;
        if (vqvae.Config.Materials > 0)
        {
            if (mirrorX) input = input.flip(4);
            if (mirrorZ) input = input.flip(3);
        }
        using var probabilities = vqvae.ReconstructedOccupancy(input, reconstruction.EmptyCode);
        var painted = probabilities.gt(0.5f).to(ScalarType.Float32);
        return (painted, Both(painted, occupancy));
    }

    /// <summary>[B, 1, G, G, G] 0/1 occupancies to [B, G, G, G]: 1 where both are occupied.</summary>
    internal static Tensor Both(Tensor reconstructed, Tensor truth) => (reconstructed * truth).squeeze(1);

    /// <summary>The painter input a checkpoint's run recorded in its options (<c>trainingOptions.painterInput</c>); runs from before the option painted the truth.</summary>
    internal static PainterInput RecordedInput(CheckpointHeader header) =>
        RecordedOption(header, "painterInput") is { ValueKind: JsonValueKind.String } value ? PainterInputs.Parse(value.GetString()!) : PainterInput.True;

    /// <summary>The slot loss's weight a checkpoint's run recorded in its options (<c>trainingOptions.painterSlotWeight</c>); runs from before it had none (0).</summary>
    internal static float RecordedSlotWeight(CheckpointHeader header) =>
        RecordedOption(header, "painterSlotWeight") is { ValueKind: JsonValueKind.Number } value ? value.GetSingle() : 0f;

    /// <summary>Whether a checkpoint's run taught the window positions (<c>trainingOptions.painterWindowPositions</c>); runs from before it did not.</summary>
    internal static bool RecordedWindowPositions(CheckpointHeader header) =>
        RecordedOption(header, "painterWindowPositions") is { ValueKind: JsonValueKind.True };

    /// <summary>
    /// One property of the painter run's options in a checkpoint's header (<see cref="CheckpointHeader.PainterTrainingOptions"/>,
    /// or in a checkpoint from before that field the run options when a painter run wrote them), or null when the header
    /// has none: a later stage's options say nothing of the painter.
    /// </summary>
    private static JsonElement? RecordedOption(CheckpointHeader header, string name) =>
        PainterRunOptions(header) is { ValueKind: JsonValueKind.Object } options && options.TryGetProperty(name, out var value) ? value : null;

    private static JsonElement? PainterRunOptions(CheckpointHeader header) =>
        header.PainterTrainingOptions ?? (header.TrainingOptions is { ValueKind: JsonValueKind.Object } options
            && options.TryGetProperty("stage", out var stage) && stage.ValueEquals(TrainOptions.PainterStage) ? options : null);

    /// <summary>Occupied voxels (<paramref name="occupied"/>, 1 where occupied) whose predicted class is the target's, and occupied voxels.</summary>
    private static (double Hits, double Count) Correct(Tensor predicted, Tensor classes, Tensor occupied)
    {
        using var same = predicted.eq(classes).to(ScalarType.Float32);
        using var masked = same * occupied;
        using var hits = masked.sum();
        using var count = occupied.sum();
        return (hits.item<float>(), count.item<float>());
    }
}
