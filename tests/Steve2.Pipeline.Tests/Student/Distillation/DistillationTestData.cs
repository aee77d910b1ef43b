using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Experts;
using Steve2.Pipeline.Student.Data;
using Steve2.Pipeline.Student.Distillation;
using Steve2.Pipeline.Student.Inference;
using Steve2.Pipeline.Agents;
using Steve2.Pipeline.Tasks;
using Steve2.Pipeline.Trajectories;

namespace Steve2.Pipeline.Tests.Student.Distillation;

/// <summary>Short DAgger rollouts for the distillation's tests.</summary>
internal static class DistillationTestData
{
    /// <summary>One DAgger episode recorded under <paramref name="rollouts"/>, its labels in <paramref name="store"/>; returns the agent.</summary>
    public static async Task<DaggerAgent> RolloutAsync(StudentPolicy policy, ExpertClients? experts, string task, int seed, double beta,
        string rollouts, DaggerLabelStore store, int budget = 4)
    {
        var definition = TaskCatalog.Get(task);
        using IEnvironment env = new VoxelEnvironmentFactory().Create(definition.Episode(seed));
        TaskSetup setup = definition.Setup(seed, env);
        var goal = setup.Goal with { IterationBudget = Math.Min(budget, setup.Goal.IterationBudget) };
        var agent = new DaggerAgent(policy, experts, new DaggerAgentOptions(beta), store);
        using var writer = TrajectoryWriter.Begin(rollouts, agent.Name, TrajectoryFormat.SplitOf(definition.Seeds, seed), goal);
        var episode = new EpisodeContext(env, goal, setup.Scorer, writer);
        await agent.RunEpisodeAsync(episode, CancellationToken.None);
        writer.Complete(episode.Finish());
        return agent;
    }

    public static StudentPolicy Policy(string checkpoint) =>
        StudentPolicy.Load(new StudentAgentOptions { ModelPath = checkpoint, Device = "cpu", MaxRetries = 1 });
}
