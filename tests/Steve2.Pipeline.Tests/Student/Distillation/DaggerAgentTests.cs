using Steve2.Pipeline.Agents;
using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Evaluation;
using Steve2.Pipeline.Student.Data;
using Steve2.Pipeline.Student.Distillation;
using Steve2.Pipeline.Student.Inference;
using Steve2.Pipeline.Tasks;
using Steve2.Pipeline.Teacher.Roles;
using Steve2.Pipeline.Tests.Experts;
using Steve2.Pipeline.Tests.Trajectories;
using Steve2.Pipeline.Trajectories;

namespace Steve2.Pipeline.Tests.Student.Distillation;

/// <summary>
/// DAgger rollouts with the teacher with experts labelling: a label for every decision the student took, the teacher's
/// label executed with probability beta, and the student's inputs never holding expert output.
/// </summary>
[Collection(StudentCollection.Name)]
public sealed class DaggerAgentTests(ExpertHostFixture host) : IClassFixture<ExpertHostFixture>
{
    /// <summary>
    /// Catches: a student prompt built with the expert context, a label missing for a state, a label that is not the
    /// teacher's rules with experts, the coin ignored. The proof that the student reads no expert output: every label's
    /// prompt and image are rebuilt from the rollout's student-visible files (steps.jsonl and the step images, as
    /// <see cref="StudentDataset"/> reads them), and no expert text of the episode occurs in any prompt.
    /// </summary>
    [Theory]
    [InlineData("creation", 1.0)]
    [InlineData("exploration", 0.0)]
    [InlineData("object-search", 0.5)]
    public async Task Every_decision_is_labelled_by_the_teacher_with_experts_and_the_students_inputs_hold_no_expert_output(string task, double beta)
    {
        using var folder = new TestFolder();
        var store = new DaggerLabelStore(folder.Sub("labels"));
        using var policy = StudentPolicy.Load(new StudentAgentOptions { Device = "cpu", MaxRetries = 1 });   // the shipped student
        var agent = await DistillationTestData.RolloutAsync(policy, host.Clients, task, 1_000_003, beta, folder.Sub("rollouts"), store, budget: 4);

        var episode = new TrajectoryReader(folder.Sub("rollouts")).Episodes().Single();
        var steps = episode.ReadSteps().ToList();
        var (labels, images) = store.ReadAll();
        Assert.Equal(agent.Labels.Count, labels.Count);
        Assert.Equal(steps.Count, labels.Count);
        var expertTexts = episode.ReadExpertContexts().Select(c => c.Text).Where(t => t.Length > 0).ToList();
        Assert.NotEmpty(expertTexts);   // the teacher consulted the experts in this episode

        var history = new List<RememberedStep>();
        for (int i = 0; i < steps.Count; i++)
        {
            var (step, label) = (steps[i], labels[i]);
            Assert.Equal(i, label.Step);
            Assert.Equal((step.Role, step.AgentId), (label.Role, label.AgentId));
            var visible = new StudentPrompt(step.Role, step.Instruction, step.StateText, StudentMemory.Text(history, step.Role, step.AgentId, step.Facts, step.Instruction));
            Assert.Equal(visible, label.Prompt);
            Assert.Equal(DaggerLabelStore.KeyOf(episode.LoadImage(step.Image).Pixels), label.Image);
            Assert.True(images.ContainsKey(label.Image));
            foreach (string text in expertTexts)
                Assert.DoesNotContain(text, string.Join("\n", label.Prompt.Instruction, label.Prompt.StateText, label.Prompt.Memory));
            history.Add(new RememberedStep(step.Role, step.AgentId, step.ActionText, step.Code, step.Outcome));

            Assert.NotEmpty(label.Student);
            Assert.True(ParsesFor(label.Role, label.Teacher), label.Teacher);
            Assert.Equal(beta, label.Beta);
            if (label.Executed == "teacher")
            {
                Assert.Equal(label.Teacher, step.ActionText);
                Assert.Equal("rules", step.Backend);
            }
            else Assert.Equal("student", step.Backend);
        }
        if (beta == 1) Assert.All(labels, l => Assert.Equal("teacher", l.Executed));
        if (beta == 0) Assert.All(labels, l => Assert.Equal("student", l.Executed));
        Assert.All(labels.SelectMany(l => l.Student.Select(s => (l, s))), x =>
            Assert.Equal(x.s.Verdict == DaggerJudge.Same, x.s.Text == x.l.Teacher || x.s.Verdict == DaggerJudge.Same));
    }

    /// <summary>
    /// With beta 0 the student executes every decision, so the episode cannot depend on who labels it: run with the teacher
    /// with experts and with the teacher without, the student's inputs (every prompt and image) and answers are identical.
    /// Catches any expert output (the imagined building's plan, the map's frontiers) reaching the student's prompt, notes or
    /// critic.
    /// </summary>
    [Theory]
    [InlineData("creation")]
    [InlineData("object-search")]
    public async Task With_beta_0_the_students_inputs_do_not_depend_on_the_labelling_teachers_experts(string task)
    {
        using var folder = new TestFolder();
        var runs = new List<IReadOnlyList<DaggerLabel>>();
        foreach (var experts in new[] { host.Clients, null })
        {
            using var policy = StudentPolicy.Load(new StudentAgentOptions { Device = "cpu", MaxRetries = 1 });
            string sub = folder.Sub(experts is null ? "without" : "with");
            runs.Add((await DistillationTestData.RolloutAsync(policy, experts, task, 1_000_005, 0, Path.Combine(sub, "rollouts"), new DaggerLabelStore(Path.Combine(sub, "labels")), budget: 5)).Labels);
        }
        Assert.Equal(runs[0].Count, runs[1].Count);
        for (int i = 0; i < runs[0].Count; i++)
        {
            Assert.Equal(runs[0][i].Prompt, runs[1][i].Prompt);
            Assert.Equal(runs[0][i].Image, runs[1][i].Image);
            Assert.Equal(runs[0][i].Student.Select(x => x.Text), runs[1][i].Student.Select(x => x.Text));
        }
        // The experts were consulted in the first run only.
        Assert.True(new TrajectoryReader(folder.Sub("with/rollouts")).Episodes().Single().Manifest.ExpertSteps > 0);
        Assert.Equal(0, new TrajectoryReader(folder.Sub("without/rollouts")).Episodes().Single().Manifest.ExpertSteps);
    }

    /// <summary>
    /// With beta 1 every executed decision is the teacher's, so the rollout plays the no-expert teacher's own episode, and
    /// it must end where that teacher's does: creation stops when the build plan is finished, before the budget. Catches a
    /// rollout playing on after its plan is done, as the v8 student's creation episodes all did (the student's own loop:
    /// <c>StudentAgentTests</c>).
    /// </summary>
    [Fact]
    public async Task With_beta_1_a_creation_rollout_ends_when_its_build_plan_is_finished_as_the_teachers_episode_does()
    {
        const int seed = 1_000_004;
        using var folder = new TestFolder();
        using var policy = StudentPolicy.Load(new StudentAgentOptions { Device = "cpu", MaxRetries = 0 });
        await DistillationTestData.RolloutAsync(policy, null, "creation", seed, 1, folder.Sub("rollouts"), new DaggerLabelStore(folder.Sub("labels")), budget: int.MaxValue);
        var rollout = new TrajectoryReader(folder.Sub("rollouts")).Episodes().Single().Manifest;

        var definition = TaskCatalog.Get("creation");
        using IEnvironment env = new VoxelEnvironmentFactory().Create(definition.Episode(seed));
        TaskSetup setup = definition.Setup(seed, env);
        var episode = new EpisodeContext(env, setup.Goal, setup.Scorer, NullStepRecorder.Instance);
        await AgentCatalog.Create(AgentCatalog.TeacherNoExpert, null).Create().RunEpisodeAsync(episode, CancellationToken.None);

        Assert.True(episode.IterationsUsed < setup.Goal.IterationBudget, $"the teacher used its whole budget ({episode.IterationsUsed})");
        Assert.Equal(episode.IterationsUsed, rollout.Result.Iterations);
    }

    private static bool ParsesFor(string role, string text) => role switch
    {
        "manager" => Manager.Parse(text, text.Split('\n').Length).Plan is not null,
        "conductor" => Directive.TryParse(text, out _, out _),
        _ => CodeActionSyntax.TryParse(text, out _, out _),
    };
}
