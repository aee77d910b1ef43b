using Expert.VqVae.MlCore.Runtime;
using Expert.VqVae.MlCore.Training;
using Steve2.Pipeline.Student.Data;
using Steve2.Pipeline.Student.Model;
using Steve2.Pipeline.Student.Training;
using Steve2.Pipeline.Tests.Trajectories;
using TorchSharp;

namespace Steve2.Pipeline.Tests.Student;

/// <summary>Behaviour cloning's mechanics: a run stopped by a cancel resumes bit-identically; the outputs are all there.</summary>
[Collection(StudentCollection.Name)]
public sealed class StudentTrainerTests
{
    public StudentTrainerTests() => TorchRuntime.Initialize();

    private static StudentTrainOptions Options => new()
    {
        Preset = "tiny", Steps = 6, BatchSize = 4, WarmupSteps = 2, ValidateEvery = 3, ValidationLimit = 4, CheckpointEvery = 2, Seed = 11,
    };

    /// <summary>Catches: a batch order, learning rate or AdamW state not restored; steps past the checkpoint logged twice.</summary>
    [Fact]
    public async Task A_run_stopped_by_cancel_resumes_to_exactly_the_uninterrupted_run()
    {
        using var folder = new TestFolder();
        var data = await StudentTestData.SmallSetAsync(folder.Sub("data"));
        Assert.NotEmpty(data.Validation);

        string through = folder.Sub("through"), stopped = folder.Sub("stopped");
        new StudentTrainer(Options).Train(data, through, torch.CPU);
        using (var cts = new CancellationTokenSource())
            Assert.ThrowsAny<OperationCanceledException>(() => new StudentTrainer(Options, new CancelAt(cts, 5)).Train(data, stopped, torch.CPU, cts.Token));
        Assert.Equal(4, StudentCheckpoint.Format.ReadHeader(Path.Combine(stopped, StudentTrainer.LatestName)).Step);
        torch.manual_seed(999);   // the process's stream does not matter to a resume
        new StudentTrainer(Options).Train(data, stopped, torch.CPU);

        Assert.Equal(File.ReadAllBytes(Path.Combine(through, StudentTrainer.ModelName)), File.ReadAllBytes(Path.Combine(stopped, StudentTrainer.ModelName)));
        Assert.Equal(File.ReadAllLines(Path.Combine(through, TrainingLog.FileName)), File.ReadAllLines(Path.Combine(stopped, TrainingLog.FileName)));
        var last = new TrainingLog(through, resume: true).Points.Last();
        Assert.Equal(6, last.Step);
        foreach (string key in new[] { "val/exact/all", "val/valid/all", "val/token_acc/all", "val/loss" })
            Assert.Contains(key, last.Values.Keys);
        Assert.Contains(last.Values.Keys, k => k is "val/exact/manager" or "val/exact/conductor" or "val/exact/actor");
        Assert.True(File.Exists(Path.Combine(through, "curves-bc.png")));
        Assert.True(File.Exists(Path.Combine(through, StudentTrainer.BestName)));
    }

    /// <summary>Balanced draws give each role about a third of a batch; plain draws follow the data, where the manager is rare.</summary>
    [Fact]
    public async Task Balanced_draws_give_every_role_its_share()
    {
        using var folder = new TestFolder();
        var data = await StudentTestData.SmallSetAsync(folder.Sub("data"));
        var training = data.Training.ToList();
        double Share(bool balance) => new BatchDraw(training, balance).Batch(new Random(5), 3000).Count(e => e.Role == "manager") / 3000.0;
        double inData = training.Count(e => e.Role == "manager") / (double)training.Count;
        Assert.InRange(Share(true), 0.28, 0.39);
        Assert.InRange(Share(false), inData * 0.6, inData * 1.4 + 0.01);
    }

    /// <summary>Task-balanced draws give each task its share; with roles too, each task's role.</summary>
    [Fact]
    public async Task Task_balanced_draws_give_every_task_its_share()
    {
        using var folder = new TestFolder();
        var data = await StudentTestData.SmallSetAsync(folder.Sub("data"));
        var training = data.Training.ToList();
        var tasks = training.Select(e => e.Task).Distinct().ToList();
        Assert.True(tasks.Count >= 2, "the small set has several tasks");
        var draws = new BatchDraw(training, balanceRoles: false, balanceTasks: true).Batch(new Random(5), 4000);
        foreach (string task in tasks)
            Assert.InRange(draws.Count(e => e.Task == task) / 4000.0, 0.7 / tasks.Count, 1.3 / tasks.Count);
        int groups = training.Select(e => (e.Task, e.Role)).Distinct().Count();
        var both = new BatchDraw(training, balanceRoles: true, balanceTasks: true).Batch(new Random(5), 4000);
        foreach (var key in training.Select(e => (e.Task, e.Role)).Distinct())
            Assert.InRange(both.Count(e => (e.Task, e.Role) == key) / 4000.0, 0.6 / groups, 1.4 / groups);
    }

    /// <summary>
    /// --init starts from a checkpoint's weights (with a vanishing rate they come out as they went in); --memory-tokens
    /// widens the memory segment and keeps every weight too (a rotary decoder has none that depends on the prompt's
    /// length), the new budget in the checkpoint, where a resume and the agent read it. Another preset is refused, and a
    /// decoder with a learned position table cannot change its length and says so.
    /// </summary>
    [Fact]
    public async Task A_run_started_from_a_checkpoint_keeps_its_weights_may_widen_its_memory_and_refuses_another_preset()
    {
        using var folder = new TestFolder();
        var data = await StudentTestData.SmallSetAsync(folder.Sub("data"));
        string first = folder.Sub("first"), tuned = folder.Sub("tuned"), wider = folder.Sub("wider");
        new StudentTrainer(Options with { Steps = 2 }).Train(data, first, torch.CPU);
        string source = Path.Combine(first, StudentTrainer.ModelName);
        new StudentTrainer(Options with { Steps = 1, Seed = 77, LearningRate = 1e-12, InitFrom = source, BalanceRoles = true }).Train(data, tuned, torch.CPU);

        var header = StudentTestData.AssertSameWeights(source, Path.Combine(tuned, StudentTrainer.ModelName));
        Assert.True(header.Training!.BalanceRoles);

        int memory = header.Config.MaxMemoryTokens + 64;
        new StudentTrainer(Options with { Steps = 1, LearningRate = 1e-12, InitFrom = source, MemoryTokens = memory }).Train(data, wider, torch.CPU);
        var widened = StudentTestData.AssertSameWeights(source, Path.Combine(wider, StudentTrainer.ModelName));
        Assert.Equal(memory, widened.Config.MaxMemoryTokens);
        Assert.Equal(widened.Config.MaxPromptTokens + widened.Config.MaxActionTokens + 1, widened.Config.Decoder.MaxPositions);

        var e = Assert.Throws<ArgumentException>(() => new StudentTrainer(Options with { Preset = "small", InitFrom = source }).Train(data, folder.Sub("other"), torch.CPU));
        Assert.Contains("--init", e.Message);
        var learned = StudentConfig.ForPreset("tiny", 300);
        using var table = new StudentModel(learned with { Decoder = learned.Decoder with { Rotary = false } }, imageTokenId: 5);
        Assert.Contains("rotary", Assert.Throws<ArgumentException>(() => table.WithMemoryTokens(200)).Message);
    }

    /// <summary>
    /// Catches: fine-tuning on new data (another teacher, other tasks) refused, or encoded with a tokenizer fitted on that
    /// data, which gives the checkpoint's embedding rows other meanings. --init encodes with the checkpoint's tokenizer;
    /// pieces it never saw go to bytes and every text decodes back.
    /// </summary>
    [Fact]
    public async Task Fine_tuning_on_other_data_encodes_it_with_the_checkpoints_tokenizer()
    {
        using var folder = new TestFolder();
        var data = await StudentTestData.SmallSetAsync(folder.Sub("data"));
        string first = folder.Sub("first"), other = folder.Sub("other-data"), tuned = folder.Sub("tuned");
        new StudentTrainer(Options with { Steps = 1 }).Train(data, first, torch.CPU);
        string source = Path.Combine(first, StudentTrainer.ModelName);
        await StudentTestData.RecordAsync(other, "object-search", 1_000_020, null, budget: 3);
        Assert.NotEqual(data.Tokenizer.Vocabulary.BpeIds, StudentDataset.Build(other).Tokenizer.Vocabulary.BpeIds);   // its own fit differs

        new StudentTrainer(Options with { Steps = 2, ValidateEvery = 2, InitFrom = source }).Train(other, tuned, torch.CPU);

        var cached = StudentDataset.Read(Path.Combine(tuned, StudentDataset.FileName));
        Assert.Equal(data.Tokenizer.Vocabulary.BpeIds, cached.Tokenizer.Vocabulary.BpeIds);
        Assert.Equal(StudentDataset.FingerprintOf(other, cached.Tokenizer), cached.Fingerprint);
        Assert.NotEqual(StudentDataset.FingerprintOf(other), cached.Fingerprint);
        Assert.All(cached.Examples, e => Assert.Equal(e.ActionText, StudentVocabulary.Decode(cached.Tokenizer, e.Action)));
        var (header, _, tokenizer, _) = StudentCheckpoint.Load(Path.Combine(tuned, StudentTrainer.ModelName));
        Assert.Equal(data.Tokenizer.Vocabulary.BpeIds, tokenizer.Vocabulary.BpeIds);
        Assert.Equal(cached.Fingerprint, header.DatasetFingerprint);
    }

    /// <summary>
    /// A tiny model learns a handful of recorded decisions of every role by heart: its greedy answers then equal the
    /// teacher's, through the whole path (dataset, batches, loss, generation, decoding). The margin: far more steps
    /// than the set needs, so a different BLAS cannot cross it.
    /// </summary>
    [Fact]
    public async Task A_tiny_model_overfits_a_tiny_recorded_set_to_exact_match()
    {
        using var folder = new TestFolder();
        var data = await StudentTestData.SmallSetAsync(folder.Sub("data"));
        var set = data.Training.Where(e => e.Role == "manager").Take(1)
            .Concat(data.Training.Where(e => e.Role == "conductor").Take(2))
            .Concat(data.Training.Where(e => e.Role == "actor").Take(2)).ToList();
        var model = StudentTestData.TinyModel(data);
        var sequences = new StudentSequences(data.Tokenizer, model.Config);
        using var optimizer = torch.optim.AdamW(model.parameters(), lr: 1e-2);
        for (int step = 0; step < 150; step++)
        {
            using var scope = torch.NewDisposeScope();
            using var batch = StudentBatches.Make(data, sequences, set, torch.CPU);
            var logits = model.Logits(batch.Ids, batch.KeyMask, batch.Images);
            var loss = torch.nn.functional.cross_entropy(logits.view(-1, logits.shape[2]), batch.Targets.view(-1), ignore_index: StudentBatch.Ignore);
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
        }
        var answers = new Steve2.Pipeline.Student.Inference.StudentGenerator(model, sequences, torch.CPU)
            .GenerateText(set.Select(e => (sequences.Prompt(e.RoleId, e.Instruction, e.State, e.Memory), data.Images[e.ImageIndex])).ToList());
        Assert.True(set.Select(e => e.ActionText).SequenceEqual(answers), string.Join("\n", set.Select(e => e.ActionText)) + "\n---\n" + string.Join("\n", answers));
    }

    internal sealed class CancelAt(CancellationTokenSource cts, int step) : ITrainingProgress
    {
        public void Step(string stage, int s, int totalSteps, IReadOnlyDictionary<string, double> values)
        {
            if (s == step) cts.Cancel();
        }

        public void Message(string text) { }
    }
}
