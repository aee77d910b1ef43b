using System.Diagnostics;
using System.Text.Json;
using Expert.VqVae.Corpus;
using Expert.VqVae.MlCore.Runtime;
using Expert.VqVae.MlCore.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Expert.VqVae.Features;

/// <summary>What a finished feature run left behind.</summary>
public sealed record FeatureTrainingOutcome(string ModelPath, FeatureCheckpointHeader Header, TimeSpan WallTime);

/// <summary>
/// Trains <see cref="BuildingFeatureNet"/> on renders of the TRAIN split of the generated corpus: the sum of
/// one cross-entropy per label head (family, height, footprint, symmetry, roof; labels that do not apply are
/// ignored), Adam with a warm-up cosine schedule. Every <see cref="FeatureTrainOptions.EvalEvery"/> steps it
/// measures the validation accuracies and writes checkpoint-latest.ckpt (with the optimiser) and, when the
/// family accuracy is the best so far, checkpoint-best.ckpt; at the end model.ckpt (the best weights, no
/// optimiser, with the held-out TEST-split accuracies in its metrics), metrics.jsonl and curves-features.png.
/// A stopped run resumes from checkpoint-latest: the batch picks are one System.Random stream from step 1,
/// replayed up to the resume step, and nothing else draws at random, so on the CPU a resumed run ends
/// bit-identical to an uninterrupted one.
/// </summary>
public sealed class FeatureTrainer(FeatureTrainOptions options, ITrainingProgress? progress = null)
{
    public const string Stage = "features";
    public const string LatestName = "checkpoint-latest.ckpt";
    public const string BestName = "checkpoint-best.ckpt";
    public const string ModelName = "model.ckpt";

    private readonly FeatureTrainOptions _options = options.Validated();
    private readonly ITrainingProgress _progress = progress ?? NoProgress.Instance;

    /// <summary>Builds the three data sets from the corpus and trains.</summary>
    public FeatureTrainingOutcome Train(FeatureNetConfig? config = null, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        _progress.Message($"Rendering {_options.TrainCount} training, {_options.ValidationCount} validation and {_options.HeldOutCount} held-out buildings.");
        double share = _options.DegradedShare;
        var train = FeatureDataset.FromCorpus(CorpusSplit.Train, _options.CorpusSeed, _options.TrainCount, share);
        var validation = FeatureDataset.FromCorpus(CorpusSplit.Train, _options.CorpusSeed + 1000, _options.ValidationCount, share);
        var heldOut = _options.HeldOutCount > 0 ? FeatureDataset.FromCorpus(CorpusSplit.Test, _options.CorpusSeed, _options.HeldOutCount, share) : null;
        _progress.Message($"Rendered in {clock.Elapsed.TotalSeconds:F1} s.");
        return Train(train, validation, heldOut, config ?? FeatureNetConfig.Default, cancellationToken, clock);
    }

    public FeatureTrainingOutcome Train(FeatureDataset train, FeatureDataset validation, FeatureDataset? heldOut, FeatureNetConfig config,
        CancellationToken cancellationToken = default, Stopwatch? clock = null)
    {
        clock ??= Stopwatch.StartNew();
        var o = _options;
        TorchRuntime.Initialize(o.Threads > 0 ? o.Threads : null);
        Device device = TorchRuntime.ResolveDevice(o.Device);
        Directory.CreateDirectory(o.OutputDir);
        string latestPath = Path.Combine(o.OutputDir, LatestName), bestPath = Path.Combine(o.OutputDir, BestName);

        torch.manual_seed(o.Seed);
        BuildingFeatureNet net;
        FeatureCheckpointHeader header;
        optim.Optimizer optimizer;
        bool resumed = o.Resume && File.Exists(latestPath);
        if (resumed)
        {
            optim.Optimizer? restored = null;
            (header, net) = FeatureCheckpoint.Load(latestPath, n => restored = NewOptimizer(n.to(device)));
            if (!header.Config.Equals(config))
                throw new InvalidOperationException($"'{latestPath}' was trained with another net config; use a new --output or --no-resume.");
            if (header.TrainingOptions is { } saved && saved.Deserialize<FeatureTrainOptions>() is { } before && !SameData(before, o))
                throw new InvalidOperationException($"'{latestPath}' was trained on other data or batches (corpus seed, counts, degraded share, batch or seed differ); use a new --output or --no-resume.");
            optimizer = restored ?? NewOptimizer(net.to(device));
            _progress.Message($"Resuming from {latestPath} at step {header.Step}.");
        }
        else
        {
            net = new BuildingFeatureNet(config);
            net.to(device);
            optimizer = NewOptimizer(net);
            header = new FeatureCheckpointHeader(FeatureCheckpoint.FormatVersion, config, 0, 0, new Dictionary<string, double>(), null, false, DateTimeOffset.UtcNow);
        }
        header = header with { TrainingOptions = JsonSerializer.SerializeToElement(o) };
        using var _ = optimizer;
        var log = new TrainingLog(o.OutputDir, resume: resumed);
        if (resumed) log.TruncateAfter(Stage, header.Step);

        var random = new Random(o.Seed * 7919);
        for (int done = 1; done <= header.Step; done++) DrawBatch(random, train.Count, o.Batch);
        var schedule = new WarmupCosineSchedule(o.LearningRate, o.Steps, o.WarmupSteps);
        double best = header.BestMetric;
        net.train();
        for (int step = header.Step + 1; step <= o.Steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            double lr = schedule.ApplyTo(optimizer, step);
            double loss;
            using (NewDisposeScope())
            {
                int[] picks = DrawBatch(random, train.Count, o.Batch);
                var (x, y) = Batch(train, picks, device);
                optimizer.zero_grad();
                Tensor l = Loss(net, x, y);
                l.backward();
                optimizer.step();
                loss = l.item<float>();
            }
            var values = new Dictionary<string, double> { ["loss"] = loss, ["lr"] = lr };
            if (step % o.EvalEvery == 0 || step == o.Steps)
            {
                foreach (var (k, v) in Evaluate(net, validation, device, "val")) values[k] = v;
                net.train();
                double familyAccuracy = values["val/accuracy/family"];
                bool isBest = familyAccuracy >= best;
                best = Math.Max(best, familyAccuracy);
                header = header with
                {
                    Step = step,
                    BestMetric = best,
                    Metrics = values.Where(kv => kv.Key.StartsWith("val/", StringComparison.Ordinal)).ToDictionary(),
                    SavedAt = DateTimeOffset.UtcNow,
                };
                if (isBest) FeatureCheckpoint.Save(bestPath, header, net);
                FeatureCheckpoint.Save(latestPath, header, net, optimizer);
            }
            log.Add(Stage, step, values);
            _progress.Step(Stage, step, o.Steps, values);
        }

        // model.ckpt: the best weights (by validation family accuracy), with the held-out accuracies measured once.
        var (bestHeader, bestNet) = File.Exists(bestPath) ? FeatureCheckpoint.Load(bestPath) : (header, net);
        bestNet.to(device);
        var metrics = new Dictionary<string, double>(bestHeader.Metrics);
        if (heldOut is not null)
            foreach (var (k, v) in Evaluate(bestNet, heldOut, device, "held_out")) metrics[k] = v;
        bestHeader = bestHeader with { Metrics = metrics, TrainingOptions = header.TrainingOptions, SavedAt = DateTimeOffset.UtcNow };
        string modelPath = Path.Combine(o.OutputDir, ModelName);
        bestNet.to(CPU);
        FeatureCheckpoint.Save(modelPath, bestHeader, bestNet);
        LossCurvePlot.WriteAll(log.Points, o.OutputDir);
        _progress.Message($"Wrote {modelPath} (step {bestHeader.Step}).");
        if (!ReferenceEquals(bestNet, net)) bestNet.Dispose();
        net.Dispose();
        return new FeatureTrainingOutcome(modelPath, bestHeader, clock.Elapsed);
    }

    /// <summary>Accuracy of every head over the examples where it applies, and the mean loss: "{prefix}/accuracy/family", ..., "{prefix}/loss".</summary>
    public static Dictionary<string, double> Evaluate(BuildingFeatureNet net, FeatureDataset data, Device device, string prefix)
    {
        net.eval();
        var heads = FeatureLabels.Heads;
        var correct = new long[heads.Count];
        var counted = new long[heads.Count];
        double lossSum = 0;
        using (torch.no_grad())
        {
            for (int start = 0; start < data.Count; start += 100)
            {
                using var scope = NewDisposeScope();
                int[] picks = Enumerable.Range(start, Math.Min(100, data.Count - start)).ToArray();
                var (x, y) = Batch(data, picks, device);
                Tensor logits = net.forward(x);
                lossSum += Loss(logits, y, net.Config).item<float>() * picks.Length;
                int offset = 0;
                for (int h = 0; h < heads.Count; h++)
                {
                    int classes = net.Config.HeadClasses[h];
                    Tensor predicted = logits.narrow(1, offset, classes).argmax(1);
                    Tensor target = y.select(1, h);
                    Tensor applies = target.ne(FeatureLabels.Ignore);
                    correct[h] += predicted.eq(target).logical_and(applies).sum().item<long>();
                    counted[h] += applies.sum().item<long>();
                    offset += classes;
                }
            }
        }
        var result = new Dictionary<string, double>();
        for (int h = 0; h < heads.Count; h++)
            if (counted[h] > 0) result[$"{prefix}/accuracy/{heads[h]}"] = correct[h] / (double)counted[h];
        result[$"{prefix}/loss"] = lossSum / data.Count;
        return result;
    }

    /// <summary>Renders as floats in [0, 1] on <paramref name="device"/> [B, 3V, S, S], labels [B, heads].</summary>
    internal static (Tensor X, Tensor Y) Batch(FeatureDataset data, IReadOnlyList<int> picks, Device device)
    {
        int length = data.Renders[0].Length;
        var bytes = new byte[picks.Count * length];
        var labels = new long[picks.Count * FeatureLabels.Heads.Count];
        for (int i = 0; i < picks.Count; i++)
        {
            data.Renders[picks[i]].CopyTo(bytes, i * length);
            data.Labels[picks[i]].CopyTo(labels, i * FeatureLabels.Heads.Count);
        }
        return (ToInput(bytes, picks.Count, device), torch.tensor(labels, [picks.Count, FeatureLabels.Heads.Count], device: device));
    }

    /// <summary>Stacked render bytes of <paramref name="count"/> examples as the net's input [count, 3V, S, S] in [0, 1].</summary>
    public static Tensor ToInput(byte[] bytes, int count, Device device)
    {
        int views = FeatureRenders.Views.Count, size = FeatureRenders.ImageSize;
        using var raw = torch.tensor(bytes, [count, 3L * views, size, size]);
        return raw.to(float32).div_(255f).to(device);
    }

    private static Tensor Loss(BuildingFeatureNet net, Tensor x, Tensor y) => Loss(net.forward(x), y, net.Config);

    private static Tensor Loss(Tensor logits, Tensor y, FeatureNetConfig config)
    {
        Tensor total = torch.zeros(1, device: logits.device);
        int offset = 0;
        for (int h = 0; h < config.HeadClasses.Count; h++)
        {
            int classes = config.HeadClasses[h];
            Tensor target = y.select(1, h);
            // A batch where a head never applies adds nothing (cross-entropy of no example would be NaN).
            if (target.ne(FeatureLabels.Ignore).any().item<bool>())
                total = total + nn.functional.cross_entropy(logits.narrow(1, offset, classes), target, ignore_index: FeatureLabels.Ignore);
            offset += classes;
        }
        return total.squeeze();
    }

    /// <summary>The options that decide which examples and batches a step sees: a resumed run must keep them.</summary>
    private static bool SameData(FeatureTrainOptions a, FeatureTrainOptions b) =>
        (a.CorpusSeed, a.TrainCount, a.ValidationCount, a.DegradedShare, a.Batch, a.Seed) ==
        (b.CorpusSeed, b.TrainCount, b.ValidationCount, b.DegradedShare, b.Batch, b.Seed);

    private optim.Optimizer NewOptimizer(BuildingFeatureNet net) => optim.Adam(net.parameters(), lr: _options.LearningRate);

    private static int[] DrawBatch(Random random, int count, int batch)
    {
        var picks = new int[batch];
        for (int i = 0; i < batch; i++) picks[i] = random.Next(count);
        return picks;
    }
}
