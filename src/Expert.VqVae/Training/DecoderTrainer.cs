using System.Diagnostics;
using System.Text.Json;
using Expert.VqVae.MlCore.Runtime;
using Expert.VqVae.MlCore.Training;
using Expert.VqVae.Model;
using Expert.VqVae.Persistence;
using Expert.VqVae.Voxels;
using TorchSharp;
using static TorchSharp.torch;

namespace Expert.VqVae.Training;

/// <summary>
/// Stage "decoder": a continued, grown (wider or deeper, starting as the trained one) or fresh
/// decoder trained on the frozen code grids of a finished checkpoint. The shipped autoencoder
/// reconstructs training and held-out shapes about equally well (validation 0.914, held-out 0.908-0.921): it underfits, and the
/// decoder is the part that can grow without touching the encoder, the codebook or the prior, which
/// was trained on exactly these code grids. So every distinct training shape and its x, z and xz
/// mirrors are encoded once (empty blocks to the reserved code 0, as <see cref="VqVae3d.Encode"/>
/// does) and only the decoder learns, with the autoencoder's weighted BCE, Adam, cosine decay and
/// gradient clipping. Validation reconstruction IoU every --eval-every steps picks the best;
/// model.ckpt is the source checkpoint with that decoder (encoder, codebook, prior and tokenizer
/// bit-identical, and its material painter when it has one) and a new version. Resumable from
/// checkpoint-latest.ckpt like the other stages.
/// </summary>
public sealed class DecoderTrainer
{
    private readonly TrainOptions _options;
    private readonly ITrainingProgress _progress;

    public DecoderTrainer(TrainOptions options, ITrainingProgress? progress = null)
    {
        options.Validate();
        if (options.Stage != TrainOptions.DecoderStage || options.From is null)
            throw new ArgumentException("The decoder trainer needs --stage decoder and --from CKPT.");
        _options = options;
        _progress = progress ?? NoProgress.Instance;
    }

    /// <summary>The source's decoder shape with the options' overrides.</summary>
    public static VqVaeConfig TargetConfig(VqVaeConfig source, TrainOptions options)
    {
        var target = source with
        {
            DecoderChannels = options.DecoderChannels ?? source.DecoderChannels,
            DecoderResBlocks = options.DecoderResBlocks ?? source.DecoderResBlocks,
            DecoderUpResBlocks = options.DecoderUpResBlocks ?? source.DecoderUpResBlocks,
        };
        // Spell the defaults as 0 so that an unchanged shape compares (and is written) as the source's.
        if (target.DecoderChannels == target.Channels) target = target with { DecoderChannels = 0 };
        if (target.DecoderResBlocks == 2) target = target with { DecoderResBlocks = 0 };
        target.Validate();
        return target;
    }

    public TrainingOutcome Train(IReadOnlyList<TrainingExample> train, IReadOnlyList<TrainingExample> validation, CancellationToken ct = default)
    {
        if (train.Count == 0) throw new ArgumentException("No training examples.");
        if (validation.Count == 0) throw new ArgumentException("No validation examples.");
        var o = _options;
        TorchRuntime.Initialize(o.Threads > 0 ? o.Threads : null);
        var device = TorchRuntime.ResolveDevice(o.Device);
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(o.OutputDir);
        string latestPath = Path.Combine(o.OutputDir, ImaginationTrainer.LatestName);
        string bestPath = Path.Combine(o.OutputDir, ImaginationTrainer.BestName);

        var source = ModelCheckpoint.Load(o.From!);
        var sh = source.Header;
        if (sh.Stage != "done" || source.Prior is null || sh.EmptyCode is null)
        {
            source.DisposeModules();
            throw new InvalidOperationException($"'{o.From}' is not a finished checkpoint (stage {sh.Stage}): the decoder stage needs its prior and empty code.");
        }
        var target = TargetConfig(sh.VqVae, o);
        bool sameShape = target == sh.VqVae;

        LoadedCheckpoint? resumed = o.Resume && File.Exists(latestPath) ? ModelCheckpoint.Load(latestPath) : null;
        if (resumed is not null)
        {
            var rh = resumed.Header;
            string? problem = rh.DecoderFrom != sh.ModelVersion ? $"it is not a decoder run from '{sh.ModelVersion}'"
                : rh.VqVae != target ? "its decoder has another shape than this run asks for"
                : !rh.TokenizerBpeIds.SequenceEqual(sh.TokenizerBpeIds) ? "its tokenizer differs from the source's"
                : null;
            if (problem is not null)
            {
                resumed.DisposeModules();
                source.DisposeModules();
                throw new InvalidOperationException($"'{latestPath}' cannot be resumed: {problem}; use a new --output or --no-resume.");
            }
            _progress.Message($"Resuming the decoder stage from {latestPath} at step {rh.DecoderStep}.");
        }
        var log = new TrainingLog(o.OutputDir, resume: resumed is not null);
        if (resumed is not null) log.TruncateAfter(TrainOptions.DecoderStage, resumed.Header.DecoderStep);

        VqVae3d model;
        var prior = resumed?.Prior ?? source.Prior;
        // A painter of the source is carried as it is (it paints occupancy, whatever decoder made it).
        var painter = resumed is not null ? resumed.Painter : source.Painter;
        if (resumed is not null)
        {
            model = resumed.VqVae;
            source.VqVae.Dispose();
            if (!ReferenceEquals(prior, source.Prior)) source.Prior.Dispose();
            source.Painter?.Dispose();
        }
        else if (sameShape && !o.DecoderFresh)
        {
            model = source.VqVae;
            _progress.Message($"Continuing the decoder of {sh.ModelVersion} (width {target.DecoderWidth}, {target.DecoderDepth} blocks).");
        }
        else if (target.DecoderWidth >= sh.VqVae.DecoderWidth && target.DecoderDepth >= sh.VqVae.DecoderDepth
                 && target.DecoderUpResBlocks >= sh.VqVae.DecoderUpResBlocks && !o.DecoderFresh)
        {
            torch.manual_seed(o.Seed);
            model = new VqVae3d(target);
            CopyFrozenParts(source.VqVae, model);
            GrowDecoder(source.VqVae, model);
            source.VqVae.Dispose();
            _progress.Message($"The decoder of {sh.ModelVersion} grown to width {target.DecoderWidth}, {target.DecoderDepth} trunk blocks and {target.DecoderUpResBlocks} after upsampling (it starts computing what the old one did), {model.DecoderParameters().Sum(p => p.numel())} parameters.");
        }
        else
        {
            torch.manual_seed(o.Seed);
            model = new VqVae3d(target);
            CopyFrozenParts(source.VqVae, model);
            source.VqVae.Dispose();
            _progress.Message($"A fresh decoder: width {target.DecoderWidth}, {target.DecoderDepth} trunk blocks, {target.DecoderUpResBlocks} after upsampling, {model.DecoderParameters().Sum(p => p.numel())} parameters.");
        }
        model.to(device);
        model.eval();   // the quantiser's EMA moves only in training mode; the decoder has no mode-dependent layers

        var header = resumed?.Header ?? sh with
        {
            VqVae = target,
            Stage = TrainOptions.DecoderStage,
            DecoderStep = 0,
            DecoderFrom = sh.ModelVersion,
            BestMetric = 0,
        };
        header = header with { TrainingOptions = JsonSerializer.SerializeToElement(o, ModelCheckpoint.Json) };
        if (header.Stage == "done" && header.DecoderStep < o.DecoderSteps) header = header with { Stage = TrainOptions.DecoderStage };

        var data = new TrainingSet(train);
        var valGrids = new TrainingSet(validation).Grids;
        if (header.Stage == TrainOptions.DecoderStage)
        {
            _progress.Message($"Encoding {data.Grids.Count} distinct shapes and their x/z mirrors to {target.CodeGridSize}^3 code grids (frozen encoder).");
            var (codes, targets) = EncodeWithMirrors(model, data.Grids, device);
            using (codes)
            using (targets)
            {
                if (resumed is null)
                {
                    double start = ImaginationTrainer.ReconstructionIoU(model, valGrids, device);
                    _progress.Message($"Validation reconstruction IoU before training: {start:F4}.");
                    header = header with { Metrics = new Dictionary<string, double>(header.Metrics) { ["val/decoder_start_iou"] = start } };
                }
                header = TrainLoop(model, prior, painter, codes, targets, valGrids, header, resumed, log, device, latestPath, bestPath, ct);
            }
        }

        // model.ckpt carries the best decoder seen, not the last.
        if (File.Exists(bestPath))
        {
            var best = ModelCheckpoint.Load(bestPath);
            best.Prior?.Dispose();
            best.Painter?.Dispose();
            model.Dispose();
            model = best.VqVae;
            header = header with { Metrics = new Dictionary<string, double>(header.Metrics) { ["val/reconstruction_iou"] = best.Header.BestMetric } };
        }
        // The written checkpoint records this run's decoding (--decode-steps, --guidance, --guidance-start, --mirror-tied,
        // --mirror-half-first) as its default,
        // as a prior run does: a new decoder changes the shapes, so the decoding is chosen again (the prior is unchanged).
        header = header with { Prior = sh.Prior!.WithDecodingOf(o.Prior) };

        // The source's text-to-shape figure was measured through its old decoder: measure it again.
        model.to(device);
        prior.to(device);
        double textToShape = ImaginationTrainer.TextToShapeIoU(model, prior, header, validation, device, ct);
        _progress.Message($"Validation text-to-shape IoU with the new decoder: {textToShape:F4} (the source's: {sh.Metrics.GetValueOrDefault("val/text_to_shape_iou"):F4}).");
        header = header with { Metrics = new Dictionary<string, double>(header.Metrics) { ["val/text_to_shape_iou"] = textToShape } };
        return ImaginationTrainer.WriteFinished(header, model, prior, log, o.OutputDir, _progress, clock.Elapsed, versionSuffix: "-dec", painter: painter);
    }

    private CheckpointHeader TrainLoop(VqVae3d model, TextConditionedPrior prior, MaterialPainter? painter, Tensor codes, Tensor targets, IReadOnlyList<OccupancyGrid> valGrids,
        CheckpointHeader header, LoadedCheckpoint? resumed, TrainingLog log, Device device, string latestPath, string bestPath, CancellationToken ct)
    {
        var o = _options;
        var parameters = model.DecoderParameters().ToList();
        using var optimizer = optim.Adam(parameters, lr: o.DecoderLearningRate);
        if (resumed is not null && resumed.Header.Stage == TrainOptions.DecoderStage) ModelCheckpoint.LoadOptimizerState(resumed, optimizer);
        float positive = model.Config.PositiveWeight;
        int count = (int)codes.shape[0];
        // One stream of batch picks from step 1: a resumed run replays the draws of the steps it has
        // done, so it goes on with the batches an uninterrupted run would take (on the CPU it ends
        // bit-identical to one; DecoderStageTests).
        var random = new Random(o.Seed * 15485863);
        for (long i = 0, done = (long)header.DecoderStep * o.DecoderBatch; i < done; i++) random.Next(count);
        double best = header.BestMetric;
        var schedule = new WarmupCosineSchedule(o.DecoderLearningRate, o.DecoderSteps, ImaginationTrainer.WarmupSteps);
        for (int step = header.DecoderStep + 1; step <= o.DecoderSteps; step++)
        {
            ct.ThrowIfCancellationRequested();
            schedule.ApplyTo(optimizer, step);
            float loss;
            using (NewDisposeScope())
            {
                var picks = tensor(Enumerable.Range(0, o.DecoderBatch).Select(_ => (long)random.Next(count)).ToArray(), device: device);
                var batchCodes = codes.index_select(0, picks);
                var occupancy = targets.index_select(0, picks).to(ScalarType.Float32);
                optimizer.zero_grad();
                var logits = model.DecodeLogits(batchCodes);
                var weight = occupancy * (positive - 1f) + 1f;   // the autoencoder's loss, without the (frozen) commitment term
                var bce = nn.functional.binary_cross_entropy_with_logits(logits, occupancy, weight: weight);
                bce.backward();
                nn.utils.clip_grad_norm_(parameters, 1.0);
                optimizer.step();
                loss = bce.item<float>();
            }
            var values = new Dictionary<string, double> { ["loss"] = loss, ["loss/reconstruction"] = loss };
            if (step % o.EvalEvery == 0 || step == o.DecoderSteps)
            {
                double iou = ImaginationTrainer.ReconstructionIoU(model, valGrids, device);
                values["val/reconstruction_iou"] = iou;
                bool improved = iou > best;
                best = Math.Max(best, iou);
                header = header with
                {
                    Stage = step == o.DecoderSteps ? "done" : TrainOptions.DecoderStage,
                    DecoderStep = step,
                    BestMetric = best,
                    Metrics = new Dictionary<string, double>(header.Metrics) { ["val/decoder_last_iou"] = iou },
                    HasOptimizerState = true,
                    SavedAt = DateTimeOffset.UtcNow,
                };
                ModelCheckpoint.Save(latestPath, header with { Stage = TrainOptions.DecoderStage }, model, prior, optimizer, painter);
                if (improved)
                    ModelCheckpoint.Save(bestPath, header with { HasOptimizerState = false }, model, prior, painter: painter);
            }
            log.Add(TrainOptions.DecoderStage, step, values);
            _progress.Step(TrainOptions.DecoderStage, step, o.DecoderSteps, values);
        }
        return header with { Stage = "done" };
    }

    /// <summary>
    /// Codes [4U, g, g, g] and 0/1 byte targets [4U, 1, G, G, G] of every grid as it is, mirrored in
    /// x, in z, and in both: the autoencoder was trained on those mirrors, and the encoder is not
    /// mirror-equivariant, so each mirror is encoded on its own rather than its codes flipped.
    /// </summary>
    internal static (Tensor Codes, Tensor Targets) EncodeWithMirrors(VqVae3d model, IReadOnlyList<OccupancyGrid> grids, Device device, int batch = 64)
    {
        model.eval();
        var codeParts = new List<Tensor>();
        var targetParts = new List<Tensor>();
        using (no_grad())
        {
            for (int at = 0; at < grids.Count; at += batch)
            {
                using var scope = NewDisposeScope();
                var chunk = grids.Skip(at).Take(batch).ToList();
                var plain = ImaginationTrainer.GridTensor(chunk, model.Config.GridSize, device);
                foreach (var variant in new[] { plain, plain.flip(4), plain.flip(3), plain.flip(3, 4) })
                {
                    codeParts.Add(model.Encode(variant).MoveToOuterDisposeScope());
                    targetParts.Add(variant.to(ScalarType.Byte).MoveToOuterDisposeScope());
                }
            }
        }
        var codes = cat(codeParts, 0);
        var targets = cat(targetParts, 0);
        foreach (var p in codeParts.Concat(targetParts)) p.Dispose();
        return (codes, targets);
    }

    /// <summary>
    /// Starts a bigger decoder (wider, deeper, or both) from a trained one so that it computes exactly what the old one
    /// did (<see cref="AutoencoderGrowth"/>). On this project's CPU a fresh decoder needs thousands of steps to get back
    /// to where the trained one is (a fresh width-64 one: IoU 0.54 after 100 steps); grown, every step goes to what the
    /// added capacity can add.
    /// </summary>
    internal static void GrowDecoder(VqVae3d from, VqVae3d to) => AutoencoderGrowth.Grow(from, to, "decoder.");

    /// <summary>Copies every weight and buffer outside the decoder (encoder, codebook and its averages) bit for bit.</summary>
    internal static void CopyFrozenParts(VqVae3d from, VqVae3d to)
    {
        var source = from.state_dict();
        var target = to.state_dict();
        using (no_grad())
        {
            foreach (var (name, tensor) in source)
            {
                if (name.StartsWith("decoder.", StringComparison.Ordinal)) continue;
                if (!target.TryGetValue(name, out var destination))
                    throw new InvalidOperationException($"The new model has no '{name}' to copy into.");
                destination.copy_(tensor);
            }
        }
    }
}
