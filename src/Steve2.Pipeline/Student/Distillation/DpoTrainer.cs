using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Expert.DynamicMap.Shared;
using Expert.VqVae.MlCore.Text;
using Expert.VqVae.MlCore.Training;
using Steve2.Pipeline.Student.Data;
using Steve2.Pipeline.Student.Model;
using Steve2.Pipeline.Student.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Steve2.Pipeline.Student.Distillation;

/// <summary>What a DPO + MLE run left: the kept model, the pairs it trained on, the weights' distribution, the last step's values and the selection (null without one).</summary>
public sealed record DpoTrainResult(string ModelPath, int Steps, int Pairs, WeightSummary Weights, IReadOnlyDictionary<string, double> Last, SelectionSummary? Selection = null);

/// <summary>The per-sample weights' distribution (for the run's report).</summary>
public sealed record WeightSummary(int Count, double Min, double P10, double Median, double P90, double Max, double Mean, bool Uniform);

/// <summary>
/// DPO with per-sample weights and an MLE term (<see cref="DpoLoss"/>), theta initialised from the reference (the BC
/// checkpoint). The reference's log-probabilities of every pair's chosen and rejected answers are computed once, before
/// training, and stored in <see cref="ReferenceName"/> (keyed by the pairs' and the reference's fingerprint); the
/// reference model is then dropped, so only theta is in memory while training. The per-sample weights
/// (<see cref="PreferenceWeights"/>) are computed from them. Like <see cref="StudentTrainer"/>: AdamW, warmup then cosine,
/// gradients clipped at 1, <see cref="StudentTrainer.LatestName"/> with the optimiser every
/// <see cref="DpoOptions.CheckpointEvery"/> steps (atomic), bit-identical resume on the CPU, metrics.jsonl (stage "dpo":
/// loss, rewards/chosen, rewards/rejected, rewards/accuracy, rewards/margin, mle, weights, lr) and curves-dpo.png.
/// With <see cref="DpoOptions.HoldoutFraction"/> above 0, <see cref="DpoSelection"/> holds episodes out, measures the
/// student on them before the first step and at every checkpoint (<see cref="BestName"/> holds the best so far,
/// <see cref="DpoSelection.FileName"/> the measurements), and the kept model is the best step's, the reference's own
/// weights when no step beats it significantly (<see cref="SelectionSummary.Best"/>).
/// </summary>
public sealed class DpoTrainer(DpoOptions options, ITrainingProgress? progress = null)
{
    public const string Stage = "dpo";
    public const string ReferenceName = "reference-logps.bin";
    public const string OptionsName = "dpo-options.json";
    public const string WeightsName = "weights.json";
    public const string BestName = "checkpoint-best.ckpt";

    private readonly ITrainingProgress _progress = progress ?? NoProgress.Instance;

    /// <summary>Trains on the pairs of every folder in <paramref name="pairDirs"/> (aggregated in that order) from <paramref name="referencePath"/>.</summary>
    public DpoTrainResult Train(IReadOnlyList<string> pairDirs, string referencePath, string outputDir, Device device, CancellationToken ct = default)
    {
        Directory.CreateDirectory(outputDir);
        var pairs = new List<(int Folder, PreferencePair Pair)>();
        var images = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        for (int f = 0; f < pairDirs.Count; f++)
        {
            var (p, i) = PreferencePairs.Read(pairDirs[f]);
            pairs.AddRange(p.Select(x => (f, x)));
            foreach (var (k, v) in i) images[k] = v;
        }
        if (pairs.Count == 0) throw new ArgumentException("No preference pair to train on: the student's answers agreed with the teacher's, or none was judged worse.");
        string fingerprint = FingerprintOf(pairDirs, referencePath);

        string latest = Path.Combine(outputDir, StudentTrainer.LatestName), final = Path.Combine(outputDir, StudentTrainer.ModelName);
        StudentHeader? resumed = File.Exists(latest) ? StudentCheckpoint.Format.ReadHeader(latest) : null;
        var o = options.Validated();
        string optionsPath = Path.Combine(outputDir, OptionsName);
        if (resumed is not null)
        {
            if (resumed.DatasetFingerprint != fingerprint)
                throw new ArgumentException($"{latest} was trained on other pairs or another reference: give a new output folder.");
            o = JsonSerializer.Deserialize<DpoOptions>(File.ReadAllText(optionsPath))! with { Steps = o.Steps };
            _progress.Message($"resuming {latest} at step {resumed.Step} of {o.Steps}");
        }
        else AtomicFile.WriteText(optionsPath, JsonSerializer.Serialize(o, new JsonSerializerOptions { WriteIndented = true }));

        // The reference: tokenizer always (a small header read), model only while its log-probabilities are computed.
        var (refHeader, reference, tokenizer, _) = StudentCheckpoint.Load(referencePath);
        var sequences = new StudentSequences(tokenizer, refHeader.Config);

        // The held-out episodes (DpoSelection): out of the pairs and the anchor set, measured to choose the step kept.
        var selection = o.HoldoutFraction > 0 ? DpoSelection.Choose(pairDirs, o.HoldoutFraction, o.SelectionLimit, sequences) : null;
        if (o.HoldoutFraction > 0 && selection is null)
            _progress.Message("no pair folder has two labelled episodes to hold one out: training on every pair, keeping the last step");
        int heldOutPairs = selection is null ? 0 : pairs.Count(x => selection.HoldsOut(x.Folder, x.Pair.Task, x.Pair.Seed));
        if (selection is not null && heldOutPairs == pairs.Count)
        {
            _progress.Message($"every pair is in a held-out episode ({string.Join("; ", selection.HeldOutEpisodes)}): training on every pair, keeping the last step");
            (selection, heldOutPairs) = (null, 0);
        }
        pairs = pairs.Where(x => selection is null || !selection.HoldsOut(x.Folder, x.Pair.Task, x.Pair.Seed)).ToList();

        var rows = pairs.Select(x => x.Pair).Select(p => (Prompt: sequences.Prompt(p.Prompt), Chosen: sequences.Answer(StudentVocabulary.Encode(tokenizer, p.Chosen)),
            Rejected: sequences.Answer(StudentVocabulary.Encode(tokenizer, p.Rejected)), Image: images[p.Image])).ToList();
        var (refChosen, refRejected) = ReferenceLogProbs(Path.Combine(outputDir, ReferenceName), fingerprint, reference, rows, device, Math.Max(o.BatchSize, 16));
        reference.Dispose();

        // The anchor set (DpoOptions.Anchor): the teacher's label at every labelled state of the rounds, as the pairs filter them.
        var anchors = o.Anchor > 0 ? Anchors(pairDirs, o.AnchorData, sequences, tokenizer, selection) : [];
        if (o.Anchor > 0 && anchors.Count == 0)
            throw new ArgumentException("--anchor needs the rounds' labels/ folders beside the pair files: none was found.");

        var raw = pairs.Select(x => x.Pair).Select((p, i) => PreferenceWeights.Raw(p.Verdict, p.Distance, refChosen[i], rows[i].Chosen.Length, refRejected[i], rows[i].Rejected.Length)).ToList();
        double[] weights = PreferenceWeights.Compute(raw, o.UniformWeights);
        var summary = Summarise(weights, o.UniformWeights);
        AtomicFile.WriteText(Path.Combine(outputDir, WeightsName), JsonSerializer.Serialize(summary, new JsonSerializerOptions { WriteIndented = true }));

        StudentModel model;
        long optimizerOffset = -1;
        if (resumed is not null) (_, model, _, optimizerOffset) = StudentCheckpoint.Load(latest);
        else (_, model, _, _) = StudentCheckpoint.Load(referencePath);   // theta starts as pi_ref
        model.to(device);
        var parameters = model.parameters().ToList();
        using var optimizer = optim.AdamW(parameters, lr: o.LearningRate, weight_decay: o.WeightDecay);
        if (optimizerOffset >= 0) StudentCheckpoint.LoadOptimizer(latest, optimizerOffset, optimizer);
        var log = new TrainingLog(outputDir, resume: resumed is not null);
        if (resumed is not null) log.TruncateAfter(Stage, resumed.Step);
        var schedule = new WarmupCosineSchedule(o.LearningRate, o.Steps, Math.Min(o.WarmupSteps, o.Steps));
        int start = resumed?.Step ?? 0;
        if (start == 0)
            _progress.Message($"DPO + MLE (beta {o.Beta}, lambda {o.Lambda}, {(o.UniformWeights ? "uniform weights" : "per-sample weights")}) on {pairs.Count} pairs" +
                $"{(o.Anchor > 0 ? $", anchor {o.Anchor} on {anchors.Count} labelled states" : "")}, {o.Steps} steps on {device.type}, from {referencePath}" +
                (selection is null ? "" : $"; {selection.HeldOutEpisodes.Count} episode(s) held out ({heldOutPairs} pairs, {selection.States} labelled states measured) to choose the step kept"));
        StudentHeader Header(int step) => new(StudentCheckpoint.Version, model.Config, tokenizer.Vocabulary, Stage, step, 0, fingerprint, null, false, StudentDataset.Version);
        IReadOnlyDictionary<string, double> last = new Dictionary<string, double>();

        // The selection's measurements: at step 0 (theta = pi_ref) and at every checkpoint, each written before the checkpoint
        // it goes with, so a resumed run has those up to its step and measures the later ones again (the same values on the CPU).
        string best = Path.Combine(outputDir, BestName);
        List<SelectionPoint> points = selection is null ? [] : DpoSelection.ReadPoints(outputDir, start);
        SelectionSummary Summary(DpoSelection s) => new(s.HeldOutEpisodes, s.States, heldOutPairs, [.. points], SelectionSummary.Best(points));
        SelectionSummary? Measure(int step)
        {
            if (selection is null) return null;
            points.RemoveAll(p => p.Step == step);
            points.Add(selection.Measure(step, model, sequences, device, Math.Max(o.BatchSize, 16)));
            var summary = Summary(selection);
            if (summary.SelectedStep == step) StudentCheckpoint.Save(best, Header(step), model);
            DpoSelection.Write(outputDir, summary);
            _progress.Message($"step {step}: held-out agreement {summary.Points[^1].Agreement:P1} (kept: step {summary.SelectedStep}, {summary.Selected.Agreement:P1})");
            return summary;
        }
        SelectionSummary? selected = start == 0 ? Measure(0)
            : selection is null || points.Count == 0 ? null : Summary(selection);

        for (int step = start + 1; step <= o.Steps; step++)
        {
            ct.ThrowIfCancellationRequested();
            double lr = schedule.ApplyTo(optimizer, step);
            var random = new Random(unchecked(o.Seed * 1_000_003 + step));
            int[] batch = Enumerable.Range(0, Math.Min(o.BatchSize, pairs.Count)).Select(_ => random.Next(pairs.Count)).ToArray();
            var values = new Dictionary<string, double>();
            model.train();
            using (NewDisposeScope())
            {
                Tensor logps = DpoLoss.SequenceLogProbs(model, [.. batch.Select(i => (rows[i].Prompt, rows[i].Chosen, rows[i].Image)),
                    .. batch.Select(i => (rows[i].Prompt, rows[i].Rejected, rows[i].Image))], device);
                int n = batch.Length;
                var (loss, rw, rl, mle) = DpoLoss.Compute(logps[..n], logps[n..],
                    tensor(batch.Select(i => refChosen[i]).ToArray()).to(logps.dtype).to(device),
                    tensor(batch.Select(i => refRejected[i]).ToArray()).to(logps.dtype).to(device),
                    tensor(batch.Select(i => weights[i]).ToArray()).to(logps.dtype).to(device), o.Beta, o.Lambda);
                if (anchors.Count > 0)
                {
                    // Drawn after the pairs, from the same per-step stream: the batch order stays a function of the seed and the step.
                    var drawn = Enumerable.Range(0, o.BatchSize).Select(_ => anchors[random.Next(anchors.Count)]).ToList();
                    Tensor anchorNll = DpoLoss.SequenceLogProbs(model, [.. drawn], device).neg().mean();
                    loss = loss + o.Anchor * anchorNll;
                    values["anchor"] = anchorNll.item<float>();
                }
                optimizer.zero_grad();
                loss.backward();
                nn.utils.clip_grad_norm_(parameters, 1.0);
                optimizer.step();
                values["loss"] = loss.item<float>();
                values["rewards/chosen"] = rw.mean().item<float>();
                values["rewards/rejected"] = rl.mean().item<float>();
                values["rewards/accuracy"] = (rw > rl).to(ScalarType.Float32).mean().item<float>();
                values["rewards/margin"] = (rw - rl).mean().item<float>();
                values["mle"] = mle.mean().item<float>();
                values["weights"] = batch.Average(i => weights[i]);
                values["lr"] = lr;
            }
            last = values;
            log.Add(Stage, step, values);
            if (step % o.CheckpointEvery == 0 || step == o.Steps)
            {
                selected = Measure(step) ?? selected;
                StudentCheckpoint.Save(latest, Header(step), model, optimizer);
                LossCurvePlot.WriteAll(log.Points, outputDir);
            }
            _progress.Step(Stage, step, o.Steps, values);
        }
        if (selected is null) StudentCheckpoint.Save(final, Header(o.Steps), model);
        else AtomicFile.Copy(best, final);
        LossCurvePlot.WriteAll(log.Points, outputDir);
        _progress.Message($"wrote {final}{(selected is null ? "" : $" (step {selected.SelectedStep}: held-out agreement {selected.Selected.Agreement:P1}, the reference's {selected.ReferenceAgreement:P1})")}, metrics.jsonl and curves-{Stage}.png");
        return new DpoTrainResult(final, o.Steps, pairs.Count, summary, last, selected);
    }

    /// <summary>
    /// The teacher's label at every labelled state under each pair folder's <c>labels/</c> (DAgger's aggregate), filtered as
    /// the pairs are (no label the critic refuses, no do-nothing decision), and the training decisions of
    /// <paramref name="recordings"/> when given: (prompt, answer, image) rows.
    /// </summary>
    private static List<(int[] Prompt, int[] Answer, byte[] Image)> Anchors(IReadOnlyList<string> pairDirs, string? recordings, StudentSequences sequences, CompactBpeTokenizer tokenizer,
        DpoSelection? selection)
    {
        var rows = new List<(int[], int[], byte[])>();
        if (recordings is not null)
        {
            // The reference's own demonstrations (training seeds only), encoded with its tokenizer.
            var data = StudentDataset.Build(recordings, tokenizer);
            foreach (var e in data.Training)
                rows.Add((sequences.Prompt(e.RoleId, e.Instruction, e.State, e.Memory), sequences.Answer(e.Action), data.Images[e.ImageIndex]));
        }
        for (int f = 0; f < pairDirs.Count; f++)
        {
            var (labels, images) = new DaggerLabelStore(Path.Combine(pairDirs[f], "labels")).ReadAll();
            foreach (var label in labels)
                if (PreferencePairs.Teaches(label) && selection?.HoldsOut(f, label.Task, label.Seed) != true)
                    rows.Add((sequences.Prompt(label.Prompt), sequences.Answer(StudentVocabulary.Encode(tokenizer, label.Teacher)), images[label.Image]));
        }
        return rows;
    }

    /// <summary>The reference's log-probabilities of every pair (chosen, rejected): read from <paramref name="path"/> when made for these pairs and this reference, else computed once and stored.</summary>
    public static (double[] Chosen, double[] Rejected) ReferenceLogProbs(string path, string fingerprint, StudentModel reference,
        IReadOnlyList<(int[] Prompt, int[] Chosen, int[] Rejected, byte[] Image)> rows, Device device, int batchSize)
    {
        if (File.Exists(path))
        {
            using var r = new BinaryReader(File.OpenRead(path), Encoding.UTF8);
            if (r.ReadString() == fingerprint && r.ReadInt32() == rows.Count)
            {
                var c = new double[rows.Count];
                var l = new double[rows.Count];
                for (int i = 0; i < rows.Count; i++) (c[i], l[i]) = (r.ReadDouble(), r.ReadDouble());
                return (c, l);
            }
        }
        var chosen = new double[rows.Count];
        var rejected = new double[rows.Count];
        reference.to(device);
        reference.eval();
        using (no_grad())
            for (int start = 0; start < rows.Count; start += batchSize)
            {
                using var scope = NewDisposeScope();
                var part = rows.Skip(start).Take(batchSize).ToList();
                float[] lp = DpoLoss.SequenceLogProbs(reference, [.. part.Select(x => (x.Prompt, x.Chosen, x.Image)), .. part.Select(x => (x.Prompt, x.Rejected, x.Image))], device)
                    .to(ScalarType.Float32).cpu().data<float>().ToArray();
                for (int i = 0; i < part.Count; i++) (chosen[start + i], rejected[start + i]) = (lp[i], lp[part.Count + i]);
            }
        AtomicFile.Write(path, stream =>
        {
            using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            w.Write(fingerprint);
            w.Write(rows.Count);
            for (int i = 0; i < rows.Count; i++)
            {
                w.Write(chosen[i]);
                w.Write(rejected[i]);
            }
        });
        return (chosen, rejected);
    }

    /// <summary>SHA-256 over the pair files' bytes (in order) and the reference checkpoint's bytes.</summary>
    public static string FingerprintOf(IReadOnlyList<string> pairDirs, string referencePath)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (string dir in pairDirs)
            foreach (string f in new[] { PreferencePairs.FileName, PreferencePairs.ImagesFileName })
                hash.AppendData(SHA256.HashData(File.ReadAllBytes(Path.Combine(dir, f))));
        hash.AppendData(SHA256.HashData(File.ReadAllBytes(referencePath)));
        return Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
    }

    public static WeightSummary Summarise(IReadOnlyList<double> weights, bool uniform)
    {
        var sorted = weights.Order().ToArray();
        double At(double q) => sorted[(int)Math.Round(q * (sorted.Length - 1))];
        return new WeightSummary(sorted.Length, sorted[0], At(0.1), At(0.5), At(0.9), sorted[^1], sorted.Average(), uniform);
    }
}
