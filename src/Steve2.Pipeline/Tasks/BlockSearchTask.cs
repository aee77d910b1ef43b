using Steve2.Pipeline.Environment;

namespace Steve2.Pipeline.Tasks;

/// <summary>
/// Task 2, continuous block search: find as many diamond ore blocks as possible in as few iterations as
/// possible. A block is found when any agent has it in view (or mines it). The episode ends when
/// <see cref="TargetCount"/> are found or the budget is spent.
/// </summary>
public sealed class BlockSearchTask(int agentCount = 2, int iterationBudget = 60) : ITaskDefinition
{
    public const int TargetCount = 5;

    public string Name => "block-search";
    public TaskSeeds Seeds => TaskSeedPolicy.Default;

    public EpisodeSpec Episode(int seed) => TaskSeedPolicy.Episode(Name, seed, agentCount);

    public TaskSetup Setup(int seed, IEnvironment environment)
    {
        TaskSeedPolicy.Check(Name, seed);
        var goal = new TaskGoal(Name, seed,
            $"Find as many diamond ore blocks as you can (up to {TargetCount}) in as few iterations as possible. Diamonds lie deep underground, near the bottom of caves.",
            iterationBudget, agentCount, TargetName: Items.OfBlock(Block.DiamondOre));
        return new TaskSetup(goal, new BlockSearchScorer(Name, seed, Block.DiamondOre, TargetCount));
    }
}
