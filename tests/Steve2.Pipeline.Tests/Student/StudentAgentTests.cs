using Steve2.Pipeline.Agents;
using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Evaluation;
using Steve2.Pipeline.Student.Inference;
using Steve2.Pipeline.Student.Training;
using Steve2.Pipeline.Tasks;
using Steve2.Pipeline.Tests.Teacher;
using Steve2.Pipeline.Tests.Trajectories;

namespace Steve2.Pipeline.Tests.Student;

/// <summary>The student agent plays through the harness's interface; an untrained model's garbage never throws out of it.</summary>
[Collection(StudentCollection.Name)]
public sealed class StudentAgentTests
{
    [Fact]
    public async Task An_untrained_students_bad_answers_fall_back_to_safe_defaults_with_the_reason_recorded()
    {
        using var folder = new TestFolder();
        var data = await StudentTestData.SmallSetAsync(folder.Sub("data"));
        var model = StudentTestData.TinyModel(data);
        string path = folder.Sub("student.ckpt");
        StudentCheckpoint.Save(path, new StudentHeader(StudentCheckpoint.Version, model.Config, data.Tokenizer.Vocabulary, "bc", 0, 0, data.Fingerprint, null, false), model);

        var entry = AgentCatalog.Create(AgentCatalog.Student, null, student: new StudentAgentOptions { ModelPath = path, Device = "cpu", MaxRetries = 1 });
        var agent = (StudentAgent)entry.Create();
        Assert.Equal("student", agent.Name);
        var definition = TaskCatalog.Get("collection");
        using IEnvironment env = new VoxelEnvironmentFactory().Create(definition.Episode(1_000_002));
        TaskSetup setup = definition.Setup(1_000_002, env);
        var goal = setup.Goal with { IterationBudget = 3 };
        var recorder = new ListRecorder();
        var episode = new EpisodeContext(env, goal, setup.Scorer, recorder);
        await agent.RunEpisodeAsync(episode, CancellationToken.None);

        Assert.True(episode.IsDone);
        Assert.Equal(3, recorder.Steps.Count(s => s.Role == "actor"));
        Assert.Contains(recorder.Steps, s => s.Role == "manager");
        Assert.All(recorder.Steps, s => Assert.Null(s.ExpertContext));
        Assert.NotEmpty(agent.Fallbacks);   // a random model's answers do not parse
        var fallback = recorder.Steps.First(s => s.Memory!.Any(m => m.StartsWith("critic: the student's", StringComparison.Ordinal)));
        Assert.Contains(fallback.ActionText, new[] { "wait", "wait()", "agent 0: idle\nagent 1: idle" });
    }

    [Fact]
    public void The_shipped_checkpoint_is_beside_the_binaries_and_loads()
    {
        Assert.True(File.Exists(StudentAgentOptions.ShippedCheckpoint), StudentAgentOptions.ShippedCheckpoint);
        using var policy = StudentPolicy.Load(new StudentAgentOptions { Device = "cpu" });
        Assert.Contains(policy.Header.Config.Preset, Steve2.Pipeline.Student.Model.StudentConfig.Presets);
        Assert.Equal("bc", policy.Header.Stage);
        Assert.Equal("student", new StudentAgent(policy).Name);
    }

    [Fact]
    public void The_student_is_refused_without_a_checkpoint()
    {
        var e = Assert.Throws<ArgumentException>(() => AgentCatalog.Create(AgentCatalog.Student, null,
            student: new StudentAgentOptions { ModelPath = "/nonexistent/student.ckpt" }));
        Assert.Contains("No student checkpoint", e.Message);
    }
}
