using Expert.VqVae.MlCore.Text;
using Expert.VqVae.MlCore.Training;
using Steve2.Pipeline.Student.Data;
using Steve2.Pipeline.Student.Model;
using Steve2.Pipeline.Student.Model.Pretrained;
using TorchSharp;
using static TorchSharp.torch;

namespace Steve2.Pipeline.Student.Training;

/// <summary>What a behaviour-cloning run left: the final model file, the best one, and the last validation's values.</summary>
public sealed record StudentTrainResult(string ModelPath, string BestPath, int Steps, IReadOnlyDictionary<string, double> Validation);

/// <summary>
/// Behaviour cloning (the reference agent): cross-entropy on the teacher's answer tokens (eos included) given the
/// prompt and the image, AdamW with warmup and cosine decay, gradients clipped at 1. Validation on held-out seeds
/// (<see cref="StudentValidation"/>) every <see cref="StudentTrainOptions.ValidateEvery"/> steps keeps
/// <see cref="BestName"/> (best <c>val/exact/all</c>). <see cref="LatestName"/> (with the optimiser) is written
/// atomically every <see cref="StudentTrainOptions.CheckpointEvery"/> steps; a run started again on the same output
/// folder resumes from it, bit-identically on the CPU (batches and rates are pure functions of the seed and the step;
/// no dropout). Metrics go to metrics.jsonl (stage "bc") and curves-bc.png (the ML core's <see cref="TrainingLog"/>
/// and <see cref="LossCurvePlot"/>).
/// </summary>
public sealed class StudentTrainer(StudentTrainOptions options, ITrainingProgress? progress = null)
{
    public const string Stage = "bc";
    public const string LatestName = "checkpoint-latest.ckpt";
    public const string BestName = "checkpoint-best.ckpt";
    public const string ModelName = "student.ckpt";

    private readonly ITrainingProgress _progress = progress ?? NoProgress.Instance;

    /// <summary>Builds (or reads the cached) dataset of <paramref name="dataDir"/> into <paramref name="outputDir"/> and trains.</summary>
    public StudentTrainResult Train(string dataDir, string outputDir, Device device, CancellationToken ct = default)
    {
        Directory.CreateDirectory(outputDir);
        // Fine-tuning (--init) encodes the data with the checkpoint's tokenizer, so its embeddings keep their meaning on new
        // data; a resumed fine-tuning run takes that tokenizer from its own latest checkpoint.
        string latest = Path.Combine(outputDir, LatestName);
        StudentHeader? resumed = File.Exists(latest) ? StudentCheckpoint.Format.ReadHeader(latest) : null;
        TokenizerVocabulary? vocabulary = resumed is not null
            ? (resumed.Training?.InitFrom is null ? null : resumed.Tokenizer)
            : (options.InitFrom is null ? null : StudentCheckpoint.Format.ReadHeader(options.InitFrom).Tokenizer);
        CompactBpeTokenizer? tokenizer = vocabulary is null ? null : new CompactBpeTokenizer(vocabulary);
        var data = StudentDataset.LoadOrBuild(dataDir, Path.Combine(outputDir, StudentDataset.FileName), _progress.Message, tokenizer);
        return Train(data, outputDir, device, ct);
    }

    public StudentTrainResult Train(StudentDataset data, string outputDir, Device device, CancellationToken ct = default)
    {
        Directory.CreateDirectory(outputDir);
        string latest = Path.Combine(outputDir, LatestName), best = Path.Combine(outputDir, BestName), final = Path.Combine(outputDir, ModelName);
        StudentHeader? resumed = File.Exists(latest) ? StudentCheckpoint.Format.ReadHeader(latest) : null;
        var o = options.Validated();
        if (resumed is not null)
        {
            if (resumed.DatasetFingerprint != data.Fingerprint)
                throw new ArgumentException($"{latest} was trained on other data (dataset {resumed.DatasetFingerprint[..12]}, now {data.Fingerprint[..12]}): give a new --output.");
            o = resumed.Training! with { Steps = o.Steps };
            _progress.Message($"resuming {latest} at step {resumed.Step} of {o.Steps} (its preset {o.Preset}, batch {o.BatchSize}, seed {o.Seed})");
        }
        var training = data.Training.ToList();
        var draw = new BatchDraw(training, o.BalanceRoles, o.BalanceTasks);
        var validation = StudentValidation.Sample(data.Validation.ToList(), o.ValidationLimit);
        if (training.Count == 0) throw new ArgumentException("The dataset has no training example (every seed is a held-out one).");

        StudentModel model;
        long optimizerOffset = -1;
        if (resumed is not null)
            (_, model, _, optimizerOffset) = StudentCheckpoint.Load(latest);
        else if (o.InitFrom is not null)
        {
            (StudentHeader from, model, var fromTokenizer, _) = StudentCheckpoint.Load(o.InitFrom, o.DecoderPath);
            if (!fromTokenizer.Vocabulary.BpeIds.SequenceEqual(data.Tokenizer.Vocabulary.BpeIds) || !fromTokenizer.Vocabulary.SpecialTokens.SequenceEqual(data.Tokenizer.Vocabulary.SpecialTokens) || from.Config.Preset != o.Preset)
                throw new ArgumentException($"--init {o.InitFrom} is a {from.Config.Preset} student with another tokenizer or preset than this run's ({o.Preset}, the dataset's tokenizer): give the same --preset (train-student encodes the data with the checkpoint's tokenizer).");
            _progress.Message($"starting from the weights of {o.InitFrom} (its step {from.Step})");
            if (o.MemoryTokens is int memory && memory != model.Config.MaxMemoryTokens)
            {
                _progress.Message($"memory budget {model.Config.MaxMemoryTokens} -> {memory} tokens");
                using StudentModel before = model;
                model = model.WithMemoryTokens(memory);
            }
        }
        else
        {
            torch.manual_seed(o.Seed);
            var config = StudentConfig.ForPreset(o.Preset, data.Tokenizer.VocabularySize, o.MemoryTokens);
            model = o.DecoderPath is null
                ? new StudentModel(config, data.Tokenizer.Specials.IdOf(StudentVocabulary.Image))
                : StudentModel.WithPretrained(config, PretrainedDecoder.Load(o.DecoderPath, o.FreezeDecoder));
        }
        model.to(device);
        var sequences = new StudentSequences(data.Tokenizer, model.Config);
        var parameters = model.parameters().Where(p => p.requires_grad).ToList();   // a frozen pretrained decoder's are not
        var map = StudentTokenMap.For(model, sequences);
        using var optimizer = optim.AdamW(parameters, lr: o.LearningRate, weight_decay: o.WeightDecay);
        if (optimizerOffset >= 0) StudentCheckpoint.LoadOptimizer(latest, optimizerOffset, optimizer);
        var log = new TrainingLog(outputDir, resume: resumed is not null);
        if (resumed is not null) log.TruncateAfter(Stage, resumed.Step);
        var schedule = new WarmupCosineSchedule(o.LearningRate, o.Steps, Math.Min(o.WarmupSteps, o.Steps));
        double bestMetric = resumed?.BestMetric ?? -1;
        int start = resumed?.Step ?? 0;
        if (start == 0)
            _progress.Message($"training a {o.Preset} student ({model.ParameterCount:N0} parameters, {parameters.Sum(p => p.numel()):N0} trained{(model.Config.Pretrained is { } pd ? $", decoder {pd.Architecture} from {pd.Folder}" : "")}) on {training.Count} examples, validating on {validation.Count} held-out ones, {o.Steps} steps on {device.type}");
        if (start == 0) _progress.Message("segment tokens: " + data.LengthSummary(model.Config));
        IReadOnlyDictionary<string, double> lastValidation = new Dictionary<string, double>();
        StudentHeader Header(int step) => new(StudentCheckpoint.Version, model.Config, data.Tokenizer.Vocabulary, Stage, step, bestMetric, data.Fingerprint, o, false, StudentDataset.Version);

        for (int step = start + 1; step <= o.Steps; step++)
        {
            ct.ThrowIfCancellationRequested();
            double lr = schedule.ApplyTo(optimizer, step);
            var random = new Random(unchecked(o.Seed * 1_000_003 + step));
            var examples = draw.Batch(random, o.BatchSize);
            double loss;
            model.train();
            using (NewDisposeScope())
            {
                using var batch = StudentBatches.Make(data, sequences, examples, device, map);
                var scored = batch.Targets.ne(StudentBatch.Ignore);
                var logits = model.Logits(batch.Ids, batch.KeyMask, batch.Images, at: scored);          // [N, V]: the answer positions only
                var l = nn.functional.cross_entropy(logits, batch.Targets[scored]);
                optimizer.zero_grad();
                l.backward();
                nn.utils.clip_grad_norm_(parameters, 1.0);
                optimizer.step();
                loss = l.item<float>();
            }
            var values = new Dictionary<string, double> { ["loss"] = loss, ["lr"] = lr };
            if (validation.Count > 0 && (step % o.ValidateEvery == 0 || step == o.Steps))
            {
                lastValidation = StudentValidation.Run(model, sequences, data, validation, device, Math.Max(o.BatchSize, 16));
                foreach (var (k, v) in lastValidation) values[k] = v;
                double metric = lastValidation.GetValueOrDefault("val/exact/all");
                if (metric > bestMetric)
                {
                    bestMetric = metric;
                    StudentCheckpoint.Save(best, Header(step), model);
                }
            }
            log.Add(Stage, step, values);
            if (step % o.CheckpointEvery == 0 || step == o.Steps)
            {
                StudentCheckpoint.Save(latest, Header(step), model, optimizer);
                LossCurvePlot.WriteAll(log.Points, outputDir);
            }
            _progress.Step(Stage, step, o.Steps, values);
        }
        StudentCheckpoint.Save(final, Header(o.Steps), model);
        if (!File.Exists(best)) StudentCheckpoint.Save(best, Header(o.Steps), model);
        LossCurvePlot.WriteAll(log.Points, outputDir);
        _progress.Message($"wrote {final} (best held-out exact match {bestMetric:P1} in {best}), metrics.jsonl and curves-{Stage}.png");
        return new StudentTrainResult(final, best, o.Steps, lastValidation);
    }
}

/// <summary>
/// A training batch's examples, a pure function of the random stream: uniformly over the examples, or balanced: a group
/// first (uniformly, groups in name order) and then one of its examples. The groups are the roles
/// (<see cref="StudentTrainOptions.BalanceRoles"/>), the tasks (<see cref="StudentTrainOptions.BalanceTasks"/>), or
/// each task's roles with both.
/// </summary>
public sealed class BatchDraw
{
    private readonly IReadOnlyList<StudentExample> _training;
    private readonly List<List<StudentExample>>? _groups;

    public BatchDraw(IReadOnlyList<StudentExample> training, bool balanceRoles, bool balanceTasks = false)
    {
        _training = training;
        if (!balanceRoles && !balanceTasks) return;
        _groups = training.GroupBy(e => (balanceTasks ? e.Task : "") + "/" + (balanceRoles ? e.Role : ""))
            .OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => g.ToList()).ToList();
    }

    public List<StudentExample> Batch(Random random, int size) => Enumerable.Range(0, size).Select(_ => One(random)).ToList();

    private StudentExample One(Random random)
    {
        if (_groups is null) return _training[random.Next(_training.Count)];
        var group = _groups[random.Next(_groups.Count)];
        return group[random.Next(group.Count)];
    }
}
