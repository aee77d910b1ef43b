using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Tasks;

namespace Steve2.Pipeline.Agents;

/// <summary>
/// One running episode as an agent sees it. Every code action goes through <see cref="StepAsync"/>:
/// one call is one iteration, whichever agent acts. The episode is done when the scorer says the goal
/// is reached or the budget is spent; stepping after that throws.
/// </summary>
public sealed class EpisodeContext
{
    private readonly ITaskScorer _scorer;

    public EpisodeContext(IEnvironment environment, TaskGoal goal, ITaskScorer scorer, IStepRecorder recorder)
    {
        Environment = environment;
        Goal = goal;
        _scorer = scorer;
        Recorder = recorder;
    }

    public IEnvironment Environment { get; }
    public TaskGoal Goal { get; }
    public IStepRecorder Recorder { get; }
    public int IterationsUsed { get; private set; }
    public bool IsDone => _scorer.IsComplete || IterationsUsed >= Goal.IterationBudget;

    public Task<ActionOutcome> StepAsync(int agentId, CodeAction action, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (IsDone) throw new InvalidOperationException("The episode is done: check IsDone before stepping.");
        var outcome = Environment.Step(agentId, action);
        IterationsUsed++;
        _scorer.Record(agentId, action, outcome, Environment.World);
        return Task.FromResult(outcome);
    }

    /// <summary>Scores the episode (call once, when done or when the agent gives up).</summary>
    public TaskResult Finish() => _scorer.Finish(IterationsUsed, Environment.World);
}
