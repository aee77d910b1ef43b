using Expert.VqVae.MlCore.Runtime;
using Steve2.Pipeline.Agents;
using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Experts;
using Steve2.Pipeline.Student.Data;
using Steve2.Pipeline.Student.Model;
using Steve2.Pipeline.Student.Training;
using Steve2.Pipeline.Tasks;
using Steve2.Pipeline.Teacher;
using Steve2.Pipeline.Trajectories;
using TorchSharp;

namespace Steve2.Pipeline.Tests.Student;

/// <summary>The student's tests share libtorch's global seed: they run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class StudentCollection
{
    public const string Name = "student";
}

/// <summary>Short recorded teacher episodes and tiny models for the student's tests.</summary>
internal static class StudentTestData
{
    /// <summary>Records one episode of <paramref name="task"/> (budget capped) with the teacher (experts given) or the no-expert teacher.</summary>
    public static async Task RecordAsync(string root, string task, int seed, ExpertClients? experts, int budget = 10)
    {
        var definition = TaskCatalog.Get(task);
        using IEnvironment env = new VoxelEnvironmentFactory().Create(definition.Episode(seed));
        TaskSetup setup = definition.Setup(seed, env);
        var goal = setup.Goal with { IterationBudget = Math.Min(budget, setup.Goal.IterationBudget) };
        using var writer = TrajectoryWriter.Begin(root, experts is null ? "teacher-no-expert" : "teacher", TrajectoryFormat.SplitOf(definition.Seeds, seed), goal);
        var episode = new EpisodeContext(env, goal, setup.Scorer, writer);
        await new TeacherAgent(new TeacherAgentOptions(), experts).RunEpisodeAsync(episode, CancellationToken.None);
        writer.Complete(episode.Finish());
    }

    private static readonly Lazy<Task<StudentDataset>> Small = new(RecordSmallSetAsync);

    /// <summary>
    /// A small training set: two tasks, a training seed and a held-out seed each (no experts), recorded once per test
    /// run and shared (read-only) by the tests; <paramref name="unused"/> keeps the callers' folders apart.
    /// </summary>
    public static Task<StudentDataset> SmallSetAsync(string unused) => Small.Value;

    private static async Task<StudentDataset> RecordSmallSetAsync()
    {
        string root = Path.Combine(AppContext.BaseDirectory, "test-output", "student-small-" + Guid.NewGuid().ToString("N"));
        try
        {
            foreach (string task in new[] { "exploration", "collection" })
                foreach (int seed in new[] { 1_000_010, 1_000_019 })
                    await RecordAsync(root, task, seed, null, budget: 6);
            return StudentDataset.Build(root);
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>An untrained tiny student on the small set's tokenizer, saved at <paramref name="path"/> (call inside the student collection: it seeds libtorch).</summary>
    public static async Task<string> UntrainedCheckpointAsync(string path)
    {
        var data = await SmallSetAsync(path);
        var model = TinyModel(data);
        StudentCheckpoint.Save(path, new StudentHeader(StudentCheckpoint.Version, model.Config, data.Tokenizer.Vocabulary, "bc", 0, 0, data.Fingerprint, null, false), model);
        return path;
    }

    public static StudentModel TinyModel(StudentDataset data, int seed = 3)
    {
        TorchRuntime.Initialize();
        torch.manual_seed(seed);
        return new StudentModel(StudentConfig.ForPreset("tiny", data.Tokenizer.VocabularySize), data.Tokenizer.Specials.IdOf(StudentVocabulary.Image));
    }

    /// <summary>Loads both checkpoints, asserts every parameter equal (1e-6) and that the second's model reads its header's config; returns that header.</summary>
    public static StudentHeader AssertSameWeights(string before, string after)
    {
        var (_, a, _, _) = StudentCheckpoint.Load(before);
        var (header, b, _, _) = StudentCheckpoint.Load(after);
        using (a)
        using (b)
        {
            var pa = a.parameters().ToList();
            var pb = b.parameters().ToList();
            Assert.Equal(pa.Count, pb.Count);
            for (int i = 0; i < pa.Count; i++) Assert.True(pa[i].allclose(pb[i], rtol: 0, atol: 1e-6), $"parameter {i} moved");
            Assert.Equal(header.Config, b.Config);
        }
        return header;
    }
}
