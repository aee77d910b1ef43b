using Steve2.Pipeline.Environment;

namespace Steve2.Pipeline.Tasks;

/// <summary>
/// Task 3, map exploration: reveal as much of the map as possible within the budget; every step moves at
/// most <see cref="CodeAction.MaxMoveBlocks"/> blocks (the actions enforce it; the scorer counts breaches).
/// Success: at least <see cref="TargetArea"/> columns revealed.
/// </summary>
public sealed class ExplorationTask(int agentCount = 2, int iterationBudget = 30) : ITaskDefinition
{
    public const int TargetArea = 2500;

    public string Name => "exploration";
    public TaskSeeds Seeds => TaskSeedPolicy.Default;

    public EpisodeSpec Episode(int seed) => TaskSeedPolicy.Episode(Name, seed, agentCount);

    public TaskSetup Setup(int seed, IEnvironment environment)
    {
        TaskSeedPolicy.Check(Name, seed);
        var goal = new TaskGoal(Name, seed,
            $"Explore: reveal as much of the map as you can in {iterationBudget} iterations, moving at most {CodeAction.MaxMoveBlocks} blocks per step.",
            iterationBudget, agentCount);
        return new TaskSetup(goal, new ExplorationScorer(Name, seed, environment.AgentCount, TargetArea));
    }
}
