using Steve2.Pipeline.Agents;
using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Tasks;
using Steve2.Pipeline.Teacher;
using Steve2.Pipeline.Teacher.Decisions;
using Steve2.Pipeline.Tests.Experts;
using Steve2.Pipeline.Tests.Trajectories;
using Steve2.Pipeline.Trajectories;

namespace Steve2.Pipeline.Tests.Teacher;

/// <summary>
/// The rule teacher's decisions are functions of what its recording carries: every recorded step of every task,
/// with and without experts, read back from disk and decided again by the rule backend from the step's
/// instruction, facts and expert facts alone, gives the recorded answer. Catches any input a rule reads that
/// the step does not carry (a hidden claim, retry timer, blocked direction, plan progress ...).
/// </summary>
[Collection(ExpertHostCollection.Name)]
public sealed class DecisionReplayTests(ExpertHostFixture host)
{
    private const int Seed = 1_000_007;

    public static TheoryData<string> Tasks => [.. TaskCatalog.All];   // the five and creation-materials

    [Theory]
    [MemberData(nameof(Tasks))]
    public async Task Every_recorded_step_decides_again_to_its_recorded_answer(string task)
    {
        using var folder = new TestFolder();
        foreach (TeacherAgent teacher in new[] { new TeacherAgent(new TeacherAgentOptions(), host.Clients), new TeacherAgent(new TeacherAgentOptions(), null) })
            await RecordAsync(folder.Path, TaskCatalog.Get(task), teacher);

        var episodes = new TrajectoryReader(folder.Path).Episodes().ToArray();
        Assert.Equal(2, episodes.Length);
        foreach (RecordedEpisode episode in episodes)
        {
            var experts = episode.ReadExpertContexts().ToDictionary(c => c.Step);
            var steps = episode.ReadSteps().ToArray();
            Assert.Contains(steps, s => s.Role == "manager");
            Assert.Contains(steps, s => s.Role == "actor");
            foreach (TrajectoryStep step in steps)
            {
                Assert.NotNull(step.Facts);
                string? again = RuleReplay.Decide(step, experts.GetValueOrDefault(step.Step));
                Assert.True(again == step.ActionText,
                    $"{episode.Manifest.Agent} {task} step {step.Step} ({step.Role}, agent {step.AgentId}, '{step.Instruction}'): recorded '{step.ActionText}', decided again '{again}'");
            }
            if (episode.Manifest.Agent == "teacher-no-expert") Assert.Empty(experts);
        }
    }

    [Fact]
    public void Replaying_the_wrong_expert_context_or_a_step_without_facts_is_refused_or_skipped()
    {
        var facts = DecisionFacts.Conductor(new BlockPos(0, 64, 0));
        var step = new TrajectoryStep(3, 1, "conductor", 0, "explore north", "images/000000.png", "state", "explore north", null, null, [], facts);
        Assert.Equal("explore north", RuleReplay.Decide(step, null));
        Assert.Throws<ArgumentException>(() => RuleReplay.Decide(step, new TrajectoryExpertContext(4, "", [], null)));
        Assert.Null(RuleReplay.Decide(step with { Facts = null }, null));
        Assert.Throws<ArgumentException>(() => RuleReplay.Decide(step with { Role = "actor" }, null));
    }

    private static async Task RecordAsync(string root, ITaskDefinition task, TeacherAgent teacher)
    {
        using IEnvironment env = new VoxelEnvironmentFactory().Create(task.Episode(Seed));
        TaskSetup setup = task.Setup(Seed, env);
        using var writer = TrajectoryWriter.Begin(root, teacher.Name, TrajectoryFormat.SplitOf(task.Seeds, Seed), setup.Goal);
        var episode = new EpisodeContext(env, setup.Goal, setup.Scorer, writer);
        await teacher.RunEpisodeAsync(episode, CancellationToken.None);
        writer.Complete(episode.Finish());
    }
}
