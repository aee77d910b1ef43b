using System.Diagnostics;
using System.Text.Json;
using Expert.VqVae.Inference;
using Expert.VqVae.MlCore.Runtime;
using Expert.VqVae.MlCore.Training;
using Expert.VqVae.Model;
using Expert.VqVae.Persistence;
using Expert.VqVae.Text;
using Expert.VqVae.Voxels;
using TorchSharp;
using static TorchSharp.torch;

namespace Expert.VqVae.Training;

/// <summary>What a finished run left behind.</summary>
public sealed record TrainingOutcome(string ModelPath, CheckpointHeader Header, TimeSpan WallTime);

/// <summary>
/// Two stages, each resumable from checkpoint-latest.ckpt:
/// 1. "vqvae": the autoencoder learns all training shapes (reconstruction + commitment; EMA
///    codebook with dead-code restarts; code 0 reserved for empty blocks; random x/z mirroring).
/// 2. "prior": the shapes are encoded to code grids once; the text-conditioned prior learns
///    p(codes | description) by masked-code prediction (MaskGIT); a share of the examples see no
///    text (text dropout), so that it also knows p(codes) for classifier-free guidance. With
///    --prior-from, this stage alone continues the prior of a finished checkpoint.
/// The run ends with model.ckpt (no optimiser state), the file that is shipped and served.
/// A stopped run resumes bit-identically on the CPU: each stage's System.Random stream starts at
/// step 1 and is replayed up to the resume step, and libtorch's stream is restored from the resume
/// point (<see cref="ResumeState"/>). A fresh run draws exactly what it drew before (the same seeds at step 0).
/// </summary>
public sealed class ImaginationTrainer
{
    public const string LatestName = "checkpoint-latest.ckpt";
    public const string BestName = "checkpoint-best.ckpt";
    public const string ModelName = "model.ckpt";

    /// <summary>Warm-up steps of the autoencoder and decoder stages (the prior's is an option).</summary>
    internal const int WarmupSteps = 50;

    private readonly TrainOptions _options;
    private readonly ITrainingProgress _progress;

    public ImaginationTrainer(TrainOptions options, ITrainingProgress? progress = null)
    {
        options.Validate();
        // A prior fine-tune and a new prior on a frozen autoencoder keep the source's autoencoder, whatever its shape (a
        // grown decoder, a material channel, a bigger codebook); a run that starts from a trained autoencoder takes its
        // shape and adds this run's material channel and codes.
        _options = options.PriorFrom is { } from ? options with { VqVae = ModelCheckpoint.ReadHeader(from).VqVae }
            : options.AutoencoderFrom is { } frozen ? WithShape(options, ModelCheckpoint.ReadHeader(frozen).VqVae)
            : options.AutoencoderInit is { } init ? WithShape(options, InitConfig(ModelCheckpoint.ReadHeader(init).VqVae, options.VqVae))
            : options;
        _progress = progress ?? NoProgress.Instance;
    }

    public TrainingOutcome Train(IReadOnlyList<TrainingExample> train, IReadOnlyList<TrainingExample> validation, CancellationToken cancellationToken = default)
    {
        if (train.Count == 0) throw new ArgumentException("No training examples.");
        if (validation.Count == 0) throw new ArgumentException("No validation examples.");
        TorchRuntime.Initialize(_options.Threads > 0 ? _options.Threads : null);
        var device = TorchRuntime.ResolveDevice(_options.Device);
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(_options.OutputDir);
        string latestPath = Path.Combine(_options.OutputDir, LatestName);

        var data = new TrainingSet(train);
        var valSet = new TrainingSet(validation);
        // A prior fine-tune keeps its source's ids and adds the pieces this corpus has that the source never saw.
        var tokenizer = _options.PriorFrom is { } grownFrom
            ? new DescriptionTokenizer(ModelCheckpoint.ReadHeader(grownFrom).TokenizerBpeIds).Grow(train.Select(e => e.Description))
            : DescriptionTokenizer.Fit(train.Select(e => e.Description));
        var priorConfig = _options.Prior with { VocabularySize = tokenizer.VocabularySize };
        _progress.Message($"{train.Count} descriptions of {data.Grids.Count} distinct shapes; vocabulary {tokenizer.VocabularySize} tokens; device {device}.");

        LoadedCheckpoint? resumed = _options.Resume && File.Exists(latestPath) ? ModelCheckpoint.Load(latestPath) : null;
        if (resumed is null && _options.AutoencoderFrom is { } from)
        {
            var source = ModelCheckpoint.Load(from);
            source.Prior?.Dispose();
            _progress.Message($"Autoencoder from {from} (step {source.Header.VqVaeStep}); training the prior only" +
                (source.Painter is null ? "." : "; its material painter is carried as it is."));
            resumed = source with
            {
                Prior = null,
                OptimizerOffset = -1,
                Header = source.Header with { Stage = "prior", Prior = null, PriorStep = 0, BestMetric = 0, TokenizerBpeIds = tokenizer.BpeIds.ToArray() },
            };
        }
        if (resumed is null && _options.PriorFrom is { } priorFrom)
            resumed = ContinuePrior(priorFrom, tokenizer);
        if (resumed is not null && resumed.Path == latestPath)
        {
            if (resumed.Header.VqVae != _options.VqVae)
                throw new InvalidOperationException($"'{latestPath}' was trained with another VQ-VAE config; use a new --output or --no-resume.");
            if (!resumed.Header.TokenizerBpeIds.SequenceEqual(tokenizer.BpeIds))
                throw new InvalidOperationException($"'{latestPath}' was trained on another corpus (its vocabulary differs); use a new --output or --no-resume.");
            _progress.Message($"Resuming from {latestPath}: stage {resumed.Header.Stage}, autoencoder step {resumed.Header.VqVaeStep}, prior step {resumed.Header.PriorStep}.");
        }
        var log = new TrainingLog(_options.OutputDir, resume: resumed is not null);
        if (resumed is not null)
        {
            log.TruncateAfter("vqvae", resumed.Header.VqVaeStep);
            log.TruncateAfter("prior", resumed.Header.PriorStep);
        }
        // A material painter of the source (--autoencoder-from, --prior-from) is carried as it is, frozen: it paints
        // occupancy from its own tokenizer, whatever autoencoder and prior made the shape.
        var painter = resumed?.Painter;

        var vqvae = resumed?.VqVae ?? (_options.AutoencoderInit is { } init ? GrownFrom(init) : new VqVae3d(_options.VqVae));
        vqvae.to(device);
        var header = resumed?.Header ?? new CheckpointHeader
        {
            ModelVersion = "untrained",
            VqVae = _options.VqVae,
            TokenizerBpeIds = tokenizer.BpeIds.ToArray(),
            Stage = "vqvae",
        };
        // A resume point of this run folder says where libtorch's random stream stood; it is put back
        // here, after every module was loaded (building one draws its initial weights) and before
        // anything draws: the prior's initial weights when the autoencoder stage was not done yet.
        var resumeState = resumed is not null && resumed.Path == latestPath ? header.Resume : null;
        header = header with { TrainingOptions = JsonSerializer.SerializeToElement(_options, ModelCheckpoint.Json), Resume = null };
        if (resumeState is not null) RestoreTorchGenerator(resumeState);
        if (header.Stage == "done" && header.PriorStep < _options.PriorSteps)
            header = header with { Stage = "prior" };   // a finished run asked for more prior steps

        if (header.Stage == "vqvae")
            header = TrainVqVae(vqvae, data, valSet, header, resumed, resumeState, log, device, latestPath, cancellationToken);

        var prior = resumed?.Prior ?? new TextConditionedPrior(priorConfig);
        prior.to(device);
        if (header.Stage == "prior")
            header = TrainPrior(vqvae, prior, painter, tokenizer, data, validation, header, resumed, resumeState, log, device, latestPath, cancellationToken);

        header = header with { Prior = WithInferenceDefaults(header.Prior ?? prior.Config) };
        if (header.EmptyCode is null)
        {
            // A run from before the header carried it: derive it from the data, as the prior stage does.
            vqvae.to(device);
            using var codes = EncodeAll(vqvae, data.Grids, device, blocks: data.Blocks);
            header = header with { EmptyCode = CanonicalizeEmptyBlocks(codes, data.Grids, vqvae.Config) };
        }
        return WriteFinished(header, vqvae, prior, log, _options.OutputDir, _progress, clock.Elapsed, painter: painter);
    }

    /// <summary>
    /// A finished checkpoint whose prior continues for a new schedule (--prior-from): its autoencoder and empty code stay
    /// as they are; its tokenizer keeps every id and grows by the pieces only this corpus has (<paramref name="tokenizer"/>,
    /// <see cref="DescriptionTokenizer.Grow"/>), and the prior's token embedding with it (<see cref="PriorGrowth"/>).
    /// </summary>
    private LoadedCheckpoint ContinuePrior(string path, DescriptionTokenizer tokenizer)
    {
        var source = ModelCheckpoint.Load(path);
        if (source.Prior is null || source.Header.Stage != "done")
        {
            source.DisposeModules();
            throw new InvalidOperationException($"'{path}' is not a finished checkpoint (stage {source.Header.Stage}); --prior-from needs one with a trained prior.");
        }
        int added = tokenizer.BpeIds.Count - source.Header.TokenizerBpeIds.Length;
        var prior = source.Prior;
        if (added > 0)
        {
            prior = PriorGrowth.GrowVocabulary(source.Prior, tokenizer.VocabularySize);
            source.Prior.Dispose();
        }
        _progress.Message($"Prior from {path} ({source.Header.ModelVersion}, {source.Header.PriorStep} steps); continuing it for {_options.PriorSteps} steps, autoencoder frozen" +
            (added == 0 ? "." : $"; vocabulary grown by {added} pieces to {tokenizer.VocabularySize} tokens (each starts as the unknown piece)."));
        return source with
        {
            Prior = prior,
            OptimizerOffset = -1,
            Header = source.Header with
            {
                Stage = "prior", PriorStep = 0, BestMetric = 0, HasOptimizerState = false,
                TokenizerBpeIds = tokenizer.BpeIds.ToArray(), Prior = prior.Config,
            },
        };
    }

    /// <summary>
    /// The shape of a run that starts from a trained autoencoder: the source's, with this run's material channel, material
    /// weight and codebook size (codes that carry blocks need more of them); each can only grow.
    /// </summary>
    internal static VqVaeConfig InitConfig(VqVaeConfig source, VqVaeConfig run) =>
        source.Materials > run.Materials
            ? throw new InvalidOperationException($"--autoencoder-init: the source has a material channel of {source.Materials} blocks; this run asks for {run.Materials} (add --materials).")
            : source.CodebookSize > run.CodebookSize
                ? throw new InvalidOperationException($"--autoencoder-init: the source has {source.CodebookSize} codes; this run asks for {run.CodebookSize} (set --codebook-size to at least that).")
                : source with { Materials = run.Materials, MaterialWeight = run.MaterialWeight, CodebookSize = run.CodebookSize };

    private static TrainOptions WithShape(TrainOptions options, VqVaeConfig vqvae) =>
        options with { VqVae = vqvae, Prior = options.Prior with { CodebookSize = vqvae.CodebookSize } };

    /// <summary>A new autoencoder of this run's shape that starts computing what the trained one at <paramref name="path"/> did.</summary>
    private VqVae3d GrownFrom(string path)
    {
        var source = ModelCheckpoint.Load(path);
        source.Prior?.Dispose();
        source.Painter?.Dispose();
        using var from = source.VqVae;
        var model = new VqVae3d(_options.VqVae);
        AutoencoderGrowth.Grow(from, model);
        _progress.Message($"Autoencoder from {path} ({source.Header.ModelVersion}, {source.Header.VqVaeStep} steps)" +
            (from.Config.Materials < model.Config.Materials ? $", grown to a material channel of {model.Config.Materials} blocks." : ".") +
            (source.Painter is null ? "" : " Its material painter is not kept: this run makes a new model; train one with --stage painter."));
        return model;
    }

    /// <summary>The inference defaults recorded in the checkpoint are this run's (--decode-steps, --guidance, --guidance-start, --mirror-tied, --mirror-half-first).</summary>
    private PriorConfig WithInferenceDefaults(PriorConfig config) => config.WithDecodingOf(_options.Prior);

    private CheckpointHeader TrainVqVae(VqVae3d model, TrainingSet data, TrainingSet validation, CheckpointHeader header,
        LoadedCheckpoint? resumed, ResumeState? resumeState, TrainingLog log, Device device, string latestPath, CancellationToken ct)
    {
        var o = _options;
        using var optimizer = optim.Adam(model.parameters(), lr: o.VqVaeLearningRate);
        if (resumed is not null && resumed.Header.Stage == "vqvae") ModelCheckpoint.LoadOptimizerState(resumed, optimizer);
        // One stream of batch picks and mirrorings from step 1: a resumed run replays the draws of the
        // steps it has done, so it goes on with the batches an uninterrupted run would take (on the CPU
        // it ends bit-identical to one; ImaginationResumeTests). A fresh run draws what it always drew.
        var random = new Random(o.Seed * 7919);
        for (int done = 1; done <= header.VqVaeStep; done++) DrawAutoencoderBatch(random, data.Grids.Count, o.VqVaeBatch);
        // libtorch's stream (the codebook's dead-code restarts) is seeded at the stage's start, or put back by Train.
        if (header.VqVaeStep == 0 || resumeState is null) torch.manual_seed(o.Seed + header.VqVaeStep);
        else ReseedCuda(device, o.Seed + header.VqVaeStep);
        if (resumeState is not null) model.Quantizer.Restarts = resumeState.CodebookRestarts;
        int size = o.VqVae.GridSize;
        double best = header.Stage == "vqvae" ? header.BestMetric : 0;
        var schedule = new WarmupCosineSchedule(o.VqVaeLearningRate, o.VqVaeSteps, WarmupSteps);
        model.train();
        for (int step = header.VqVaeStep + 1; step <= o.VqVaeSteps; step++)
        {
            ct.ThrowIfCancellationRequested();
            schedule.ApplyTo(optimizer, step);
            float recon, commit, material, total;
            using (NewDisposeScope())
            {
                var draw = DrawAutoencoderBatch(random, data.Grids.Count, o.VqVaeBatch);
                var batch = VoxelTensor(model.Config, draw.Picks.Select(i => data.Grids[i]).ToList(), draw.Picks.Select(i => data.Blocks[i]).ToList(), device);
                if (draw.MirrorX) batch = batch.flip(4);
                if (draw.MirrorZ) batch = batch.flip(3);
                optimizer.zero_grad();
                var (loss, r, c, m) = model.LossParts(batch);
                loss.backward();
                nn.utils.clip_grad_norm_(model.parameters(), 1.0);
                optimizer.step();
                recon = r; commit = c; material = m; total = loss.item<float>();
            }
            var values = new Dictionary<string, double> { ["loss"] = total, ["loss/reconstruction"] = recon, ["loss/commitment"] = commit };
            if (model.Config.Materials > 0) values["loss/material"] = material;
            bool evalNow = step % o.EvalEvery == 0 || step == o.VqVaeSteps;
            if (evalNow)
            {
                double iou = ReconstructionIoU(model, validation.Grids, device, blocks: validation.Blocks);
                values["val/reconstruction_iou"] = iou;
                if (model.Config.Materials > 0)
                    values["val/material_accuracy"] = ReconstructionMaterialAccuracy(model, validation.Blocks.Select(b => b!).ToList(), device);
                values["codebook/live_fraction"] = model.Quantizer.LiveFraction();
                values["codebook/restarts"] = model.Quantizer.Restarts;
                model.train();
                bool done = step == o.VqVaeSteps;
                best = Math.Max(best, iou);
                header = header with
                {
                    Stage = done ? "prior" : "vqvae",
                    VqVaeStep = step,
                    BestMetric = done ? 0 : best,
                    Metrics = new Dictionary<string, double>(header.Metrics) { ["val/reconstruction_iou"] = iou },
                    HasOptimizerState = !done,
                    SavedAt = DateTimeOffset.UtcNow,
                };
                SaveLatest(latestPath, header, model, null, done ? null : optimizer);
            }
            log.Add("vqvae", step, values);
            _progress.Step("vqvae", step, o.VqVaeSteps, values);
        }
        if (header.Stage == "vqvae")
        {
            // Zero steps asked for (or already past them): move on without training.
            header = header with { Stage = "prior", VqVaeStep = Math.Max(header.VqVaeStep, 0), HasOptimizerState = false };
        }
        return header;
    }

    private CheckpointHeader TrainPrior(VqVae3d vqvae, TextConditionedPrior prior, MaterialPainter? painter, DescriptionTokenizer tokenizer, TrainingSet data,
        IReadOnlyList<TrainingExample> validation, CheckpointHeader header, LoadedCheckpoint? resumed, ResumeState? resumeState,
        TrainingLog log, Device device, string latestPath, CancellationToken ct)
    {
        var o = _options;
        var c = prior.Config;
        _progress.Message($"Encoding {data.Grids.Count} shapes to {c.CodeGridSize}^3 code grids.");
        using var codes = EncodeAll(vqvae, data.Grids, device, blocks: data.Blocks); // [U, g, g, g]
        long emptyCode = CanonicalizeEmptyBlocks(codes, data.Grids, vqvae.Config);
        _progress.Message($"Empty blocks share code {emptyCode} in the prior's targets.");
        header = header with { EmptyCode = emptyCode };
        var tokens = data.Pairs.Select(p => tokenizer.Encode(p.Description, c.MaxTextTokens)).ToArray();

        using var optimizer = optim.AdamW(prior.parameters(), lr: o.PriorLearningRate, weight_decay: o.PriorWeightDecay);
        if (resumed is not null && resumed.Header.Stage == "prior") ModelCheckpoint.LoadOptimizerState(resumed, optimizer);
        header = header with { Prior = WithInferenceDefaults(c) };
        // One stream of example picks, text dropout and masks from step 1, replayed on resume as in
        // the autoencoder stage (a step draws a varying count, so each step's draws are made again).
        var random = new Random(o.Seed * 104729);
        long[] maskShape = [o.PriorBatch, c.Groups, c.CodesPerGroup];                // prior.Group's [B, G, P]
        var halves = new HalfMask(RightHalf(prior), o.PriorHalfMaskFraction);
        for (int done = 1; done <= header.PriorStep; done++)
            DrawPriorBatch(random, data.Pairs.Count, maskShape, o.PriorTextDropout, o.PriorFullMaskFraction, halves);
        // libtorch's stream (dropout) is seeded at the stage's start, or put back by Train.
        if (header.PriorStep == 0 || resumeState is null) torch.manual_seed(o.Seed + 100_000 + header.PriorStep);
        else ReseedCuda(device, o.Seed + 100_000 + header.PriorStep);
        double best = header.Stage == "prior" ? header.BestMetric : 0;
        var schedule = new WarmupCosineSchedule(o.PriorLearningRate, o.PriorSteps, o.PriorWarmupSteps);
        prior.train();
        for (int step = header.PriorStep + 1; step <= o.PriorSteps; step++)
        {
            ct.ThrowIfCancellationRequested();
            schedule.ApplyTo(optimizer, step);
            float loss, accuracy;
            using (NewDisposeScope())
            {
                var draw = DrawPriorBatch(random, data.Pairs.Count, maskShape, o.PriorTextDropout, o.PriorFullMaskFraction, halves);
                var picks = draw.Picks;
                // Text dropout: some examples see no text, so the prior also learns p(codes) for guidance.
                var text = PadTokens(picks.Select((i, n) => draw.TextDropped[n] ? [] : tokens[i]).ToList(), device);
                var gridIdx = tensor(picks.Select(i => (long)data.Pairs[i].GridIndex).ToArray(), device: device);
                var target = prior.Group(codes.index_select(0, gridIdx));        // [B, G, P]
                var mask = tensor(draw.Mask, device: device).reshape(target.shape);
                var input = target.masked_fill(mask, c.MaskId);
                optimizer.zero_grad();
                var logits = prior.forward(text, input);                        // [B, G, P, K]
                var maskedLogits = logits[mask];                                 // [M, K]
                var maskedTarget = target[mask];
                var ce = nn.functional.cross_entropy(maskedLogits, maskedTarget);
                ce.backward();
                nn.utils.clip_grad_norm_(prior.parameters(), 1.0);
                optimizer.step();
                loss = ce.item<float>();
                accuracy = maskedLogits.argmax(-1).eq(maskedTarget).to(ScalarType.Float32).mean().item<float>();
            }
            var values = new Dictionary<string, double> { ["loss"] = loss, ["train/masked_accuracy"] = accuracy };
            if (step % o.EvalEvery == 0 || step == o.PriorSteps)
            {
                double iou = TextToShapeIoU(vqvae, prior, header, validation, device, ct);
                values["val/text_to_shape_iou"] = iou;
                prior.train();
                bool improved = iou > best;
                best = Math.Max(best, iou);
                header = header with
                {
                    Stage = step == o.PriorSteps ? "done" : "prior",
                    PriorStep = step,
                    BestMetric = best,
                    Metrics = new Dictionary<string, double>(header.Metrics) { ["val/text_to_shape_iou"] = iou },
                    HasOptimizerState = true,
                    SavedAt = DateTimeOffset.UtcNow,
                };
                SaveLatest(latestPath, header with { Stage = "prior" }, vqvae, prior, optimizer, painter);
                if (improved)
                    ModelCheckpoint.Save(Path.Combine(o.OutputDir, BestName), header with { HasOptimizerState = false }, vqvae, prior, painter: painter);
            }
            log.Add("prior", step, values);
            _progress.Step("prior", step, o.PriorSteps, values);
        }
        return header with { Stage = "done" };
    }

    /// <summary>
    /// The prior's targets use one code for every block whose voxels are all empty. An autoencoder
    /// with <see cref="VqVaeConfig.ReserveEmptyCode"/> (the default) already gives them code 0, and
    /// this returns 0 and changes nothing. One trained without it (an older checkpoint passed to
    /// --autoencoder-from) keeps many near-identical empty codes that carry faint hints of nearby
    /// walls; they are replaced by the most frequent one. Its decoder never saw such grids and
    /// decodes them poorly: this is why the reserved code exists (Model/MODEL.md). Returns the code.
    /// </summary>
    internal static long CanonicalizeEmptyBlocks(Tensor codes, IReadOnlyList<OccupancyGrid> grids, VqVaeConfig config)
    {
        if (config.ReserveEmptyCode) return VqVaeConfig.EmptyCode;   // the encoder gave every empty block code 0 already
        int g = config.CodeGridSize, cell = config.GridSize / g;
        var flat = codes.reshape(-1).cpu().data<long>().ToArray();
        var empty = new bool[flat.Length];
        var counts = new Dictionary<long, int>();
        for (int n = 0; n < grids.Count; n++)
        {
            var grid = grids[n];
            for (int i = 0; i < g * g * g; i++)
            {
                int cx = i % g, cz = i / g % g, cy = i / (g * g);
                bool any = false;
                for (int y = cy * cell; y < (cy + 1) * cell && !any; y++)
                    for (int z = cz * cell; z < (cz + 1) * cell && !any; z++)
                        for (int x = cx * cell; x < (cx + 1) * cell && !any; x++)
                            any = grid[x, y, z];
                if (any) continue;
                int at = n * g * g * g + i;
                empty[at] = true;
                counts[flat[at]] = counts.GetValueOrDefault(flat[at]) + 1;
            }
        }
        if (counts.Count == 0) return -1;
        long canonical = counts.MaxBy(kv => kv.Value).Key;
        for (int i = 0; i < flat.Length; i++) if (empty[i]) flat[i] = canonical;
        using var replaced = tensor(flat, codes.shape, device: codes.device);
        codes.copy_(replaced);
        return canonical;
    }

    /// <summary>One autoencoder step's draws, in this order: the batch's grid indices, then whether it is mirrored in x, then in z.</summary>
    internal static (int[] Picks, bool MirrorX, bool MirrorZ) DrawAutoencoderBatch(Random random, int grids, int batch)
    {
        var picks = new int[batch];
        for (int i = 0; i < batch; i++) picks[i] = random.Next(grids);
        bool mirrorX = random.Next(2) == 1;
        bool mirrorZ = random.Next(2) == 1;
        return (picks, mirrorX, mirrorZ);
    }

    /// <summary>Which code positions, in the prior's group order, lie in the right x-half; and the share of half masks.</summary>
    internal sealed record HalfMask(bool[] Right, double Fraction);

    /// <summary>[Groups * CodesPerGroup] true where the position's cell is in the right half (<see cref="TextConditionedPrior.RightHalf"/>).</summary>
    internal static bool[] RightHalf(TextConditionedPrior prior)
    {
        using var right = prior.RightHalf();
        return right.data<bool>().ToArray();
    }

    /// <summary>
    /// One prior step's draws, in this order: the examples, then for each whether its text is dropped
    /// (no draw when <paramref name="textDropout"/> is 0), then the mask (<see cref="RandomMask"/>).
    /// </summary>
    internal static (int[] Picks, bool[] TextDropped, bool[] Mask) DrawPriorBatch(Random random, int examples, long[] maskShape,
        double textDropout, double fullMask, HalfMask? halves = null)
    {
        var picks = new int[maskShape[0]];
        for (int i = 0; i < picks.Length; i++) picks[i] = random.Next(examples);
        var dropped = new bool[picks.Length];
        for (int i = 0; i < picks.Length; i++) dropped[i] = textDropout > 0 && random.NextDouble() < textDropout;
        return (picks, dropped, RandomMask(maskShape, random, fullMask, halves));
    }

    /// <summary>
    /// Per-sample mask ratio: 1 (every code masked: the shape from the text alone, which is the
    /// first and decisive decoding step) with probability <paramref name="fullMask"/>, else
    /// r = cos(pi/2 * u), u ~ U(0, 1] (MaskGIT); each code masked with probability r; at least one.
    /// With <paramref name="halves"/> of a fraction above 0, each sample first draws whether it is a half mask (probability
    /// <see cref="HalfMask.Fraction"/>) and if so which half is given (left or right): that half's codes are never masked,
    /// and the ratio applies to the other half. The mask of <paramref name="shape"/> [B, G, P], flattened.
    /// </summary>
    private static bool[] RandomMask(long[] shape, Random random, double fullMask, HalfMask? halves)
    {
        long b = shape[0], per = shape[1] * shape[2];
        var mask = new bool[b * per];
        bool drawHalves = halves is { Fraction: > 0 };
        if (drawHalves && halves!.Right.Length != per) throw new ArgumentException($"The half mask has {halves.Right.Length} positions; the prior has {per}.");
        for (long i = 0; i < b; i++)
        {
            // 0: no half given; 1: the left half given (the right masked); 2: the right half given.
            int given = drawHalves && random.NextDouble() < halves!.Fraction ? 1 + random.Next(2) : 0;
            double r = random.NextDouble() < fullMask ? 1.0 : Math.Cos(Math.PI / 2 * (1 - random.NextDouble()));
            bool any = false;
            long first = -1;
            for (long j = 0; j < per; j++)
            {
                bool free = given == 0 || halves!.Right[j] == (given == 1);
                bool m = random.NextDouble() < r && free;
                mask[i * per + j] = m;
                any |= m;
                if (free && first < 0) first = j;
            }
            if (!any)
            {
                if (given == 0) mask[i * per + random.Next((int)per)] = true;
                else mask[i * per + first] = true;
            }
        }
        return mask;
    }

    /// <summary>Where libtorch's CPU stream stands and the codebook's restart count: what a resume point keeps besides weights.</summary>
    private static ResumeState CaptureResumeState(VqVae3d vqvae) => CaptureResumeState(vqvae.Quantizer.Restarts);

    /// <summary>Where libtorch's CPU stream stands, with <paramref name="codebookRestarts"/> (0 for a stage that trains no codebook).</summary>
    internal static ResumeState CaptureResumeState(long codebookRestarts)
    {
        using var generator = torch.Generator.Default;
        using var state = generator.get_state();
        return new ResumeState(Convert.ToBase64String(state.data<byte>().ToArray()), codebookRestarts);
    }

    internal static void RestoreTorchGenerator(ResumeState resume)
    {
        using var generator = torch.Generator.Default;
        using var state = tensor(Convert.FromBase64String(resume.TorchCpuGenerator));
        generator.set_state(state);
    }

    /// <summary>
    /// CUDA generators (dropout and restarts on a GPU draw from them) have no state TorchSharp reads,
    /// so a resume on a GPU reseeds them from the step, as every resume did before; GPU kernels are
    /// not bit-reproducible anyway.
    /// </summary>
    internal static void ReseedCuda(Device device, long seed)
    {
        if (device.type == DeviceType.CUDA) torch.cuda.manual_seed_all(seed);
    }

    internal static Tensor GridTensor(IReadOnlyList<OccupancyGrid> grids, int size, Device device)
    {
        int volume = size * size * size;
        var data = new float[grids.Count * volume];
        for (int i = 0; i < grids.Count; i++) grids[i].ToFloats().CopyTo(data, i * volume);
        return tensor(data, new long[] { grids.Count, 1, size, size, size }, device: device);
    }

    private static Tensor PadTokens(IReadOnlyList<int[]> rows, Device device)
    {
        int width = Math.Max(1, rows.Max(r => r.Length));
        var ids = new long[rows.Count * width];
        for (int i = 0; i < rows.Count; i++)
            for (int j = 0; j < rows[i].Length; j++) ids[i * width + j] = rows[i][j];
        return tensor(ids, new long[] { rows.Count, width }, device: device);
    }

    /// <summary>
    /// The autoencoder's input for a batch: the occupancy [B, 1, G, G, G], or with a material channel
    /// occupancy and one-hot blocks [B, 1 + K, G, G, G] (<see cref="MaterialTensors.Input"/>); every grid then needs its blocks.
    /// </summary>
    internal static Tensor VoxelTensor(VqVaeConfig config, IReadOnlyList<OccupancyGrid> grids, IReadOnlyList<MaterialGrid?>? blocks, Device device)
    {
        if (config.Materials == 0) return GridTensor(grids, config.GridSize, device);
        if (blocks is null || blocks.Count != grids.Count || blocks.Any(b => b is null))
            throw new InvalidDataException("A material channel trains on grids with blocks; some have none.");
        return MaterialTensors.Input(blocks.Select(b => b!).ToList(), config.Materials, device);
    }

    internal static Tensor EncodeAll(VqVae3d model, IReadOnlyList<OccupancyGrid> grids, Device device, int batch = 64, IReadOnlyList<MaterialGrid?>? blocks = null)
    {
        model.eval();
        var parts = new List<Tensor>();
        using (no_grad())
        {
            for (int at = 0; at < grids.Count; at += batch)
            {
                using var scope = NewDisposeScope();
                var chunk = grids.Skip(at).Take(batch).ToList();
                var chunkBlocks = blocks?.Skip(at).Take(batch).ToList();
                parts.Add(model.Encode(VoxelTensor(model.Config, chunk, chunkBlocks, device)).MoveToOuterDisposeScope());
            }
        }
        var all = cat(parts, 0);
        foreach (var p in parts) p.Dispose();
        return all;
    }

    /// <summary>
    /// Material accuracy of the reconstructions on the voxels occupied both in the grid and in its
    /// reconstruction (the measure `vqvae eval --composed` reports on generations); 0 when none is
    /// (an untrained autoencoder that rebuilds nothing gets nothing right; the training log holds no NaN).
    /// </summary>
    public static double ReconstructionMaterialAccuracy(VqVae3d model, IReadOnlyList<MaterialGrid> blocks, Device device, int batch = 64)
    {
        model.eval();
        long both = 0, same = 0;
        using (no_grad())
        {
            for (int at = 0; at < blocks.Count; at += batch)
            {
                using var scope = NewDisposeScope();
                var chunk = blocks.Skip(at).Take(batch).ToList();
                var codes = model.Encode(MaterialTensors.Input(chunk, model.Config.Materials, device));
                var (occupancy, classes) = model.DecodeWithMaterials(codes);
                var rebuilt = MaterialTensors.ToGrids(occupancy, classes);
                for (int i = 0; i < chunk.Count; i++)
                    for (int v = 0; v < chunk[i].Volume; v++)
                    {
                        var want = chunk[i].At(v);
                        var got = rebuilt[i].At(v);
                        if (want == Materials.BlockMaterial.Air || got == Materials.BlockMaterial.Air) continue;
                        both++;
                        if (want == got) same++;
                    }
            }
        }
        return both == 0 ? 0 : (double)same / both;
    }

    /// <summary>Mean IoU of grids against their reconstructions (with a material channel, from the grids and their blocks).</summary>
    public static double ReconstructionIoU(VqVae3d model, IReadOnlyList<OccupancyGrid> grids, Device device, int batch = 64, IReadOnlyList<MaterialGrid?>? blocks = null)
    {
        model.eval();
        double sum = 0;
        int size = model.Config.GridSize;
        using (no_grad())
        {
            for (int at = 0; at < grids.Count; at += batch)
            {
                using var scope = NewDisposeScope();
                var chunk = grids.Skip(at).Take(batch).ToList();
                var codes = model.Encode(VoxelTensor(model.Config, chunk, blocks?.Skip(at).Take(batch).ToList(), device));
                var probs = model.Decode(codes).cpu().data<float>().ToArray();
                int volume = size * size * size;
                for (int i = 0; i < chunk.Count; i++)
                    sum += OccupancyGrid.IoU(chunk[i], OccupancyGrid.FromFloats(size, size, size, probs.AsSpan(i * volume, volume)));
            }
        }
        return sum / grids.Count;
    }

    /// <summary>
    /// The end of a run (any stage): names the model (`vqvae-prior-DATE-HASH` plus
    /// <paramref name="versionSuffix"/>), writes model.ckpt and the same weights as the final
    /// checkpoint-latest.ckpt, draws the curves and disposes the modules (the material painter too, when the header has one).
    /// </summary>
    internal static TrainingOutcome WriteFinished(CheckpointHeader header, VqVae3d vqvae, TextConditionedPrior prior, TrainingLog log,
        string outputDir, ITrainingProgress progress, TimeSpan elapsed, string versionSuffix = "", MaterialPainter? painter = null)
    {
        string hash = Convert.ToHexString(BitConverter.GetBytes(header.GetHashCode())).ToLowerInvariant()[..6];
        header = header with
        {
            Stage = "done",
            ModelVersion = $"vqvae-prior-{DateTime.UtcNow:yyyyMMdd}-{hash}{versionSuffix}",
            DecodingFrom = null,   // new weights: a source's re-chosen decoding defaults (`vqvae decoding`) do not name them
            HasOptimizerState = false,
            Resume = null,
            SavedAt = DateTimeOffset.UtcNow,
        };
        string modelPath = Path.Combine(outputDir, ModelName);
        vqvae.cpu();
        prior.cpu();
        painter?.cpu();
        ModelCheckpoint.Save(modelPath, header, vqvae, prior, painter: painter);
        ModelCheckpoint.Save(Path.Combine(outputDir, LatestName), header, vqvae, prior, painter: painter);
        LossCurvePlot.WriteAll(log.Points, outputDir);
        progress.Message($"Wrote {modelPath} ({new FileInfo(modelPath).Length / 1024} KiB) in {elapsed:hh\\:mm\\:ss}.");
        vqvae.Dispose();
        prior.Dispose();
        painter?.Dispose();
        return new TrainingOutcome(modelPath, header, elapsed);
    }

    internal static double TextToShapeIoU(VqVae3d vqvae, TextConditionedPrior prior, CheckpointHeader header,
        IReadOnlyList<TrainingExample> validation, Device device, CancellationToken ct)
    {
        var model = OccupancyModel.FromModules(header, vqvae, prior, device);
        var requests = validation.Select(v => new GenerationRequest(v.Description, new SamplingOptions { Temperature = 0f })).ToList();
        double sum = 0;
        for (int at = 0; at < requests.Count; at += 32)
        {
            var chunk = requests.Skip(at).Take(32).ToList();
            var results = model.Generate(chunk, ct);
            for (int i = 0; i < chunk.Count; i++) sum += OccupancyGrid.IoU(validation[at + i].Grid, results[i].Grids[0]);
        }
        return sum / requests.Count;
    }

    private static void SaveLatest(string path, CheckpointHeader header, VqVae3d vqvae, TextConditionedPrior? prior, optim.Optimizer? optimizer,
        MaterialPainter? painter = null)
    {
        ModelCheckpoint.Save(path, header with
        {
            HasOptimizerState = optimizer is not null,
            Prior = prior is null ? null : header.Prior ?? prior.Config,
            Resume = CaptureResumeState(vqvae),
        }, vqvae, prior, optimizer, painter);
    }
}
