using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Tasks;

namespace Steve2.Pipeline.Agents;

/// <summary>
/// Something that plays a task: the teacher (with or without the experts), later the student.
/// The agent drives its episode through <see cref="EpisodeContext.StepAsync"/>, which counts
/// iterations, feeds the scorer and records the trajectory; it returns when the context says done.
/// </summary>
public interface IAgent
{
    /// <summary>Stable name: "teacher", "teacher-no-expert", "student".</summary>
    string Name { get; }

    Task RunEpisodeAsync(EpisodeContext episode, CancellationToken cancellationToken);
}

/// <summary>
/// Records what a teacher did at each step (the distillation's input). Implemented by the trajectory
/// writer; <see cref="NullStepRecorder"/> records nothing.
/// </summary>
public interface IStepRecorder
{
    void Record(StepRecord step);
}

public sealed class NullStepRecorder : IStepRecorder
{
    public static readonly NullStepRecorder Instance = new();
    public void Record(StepRecord step) { }
}

/// <summary>
/// One recorded step. The student-visible part (role, instruction, image, state text, action text,
/// code action, outcome) is kept apart from <see cref="ExpertContext"/>, which only the teacher saw.
/// </summary>
/// <param name="Role">"manager", "conductor" or "actor".</param>
/// <param name="AgentId">The agent that acted (the manager and conductors plan for agents; their steps use the agent they planned for).</param>
/// <param name="Instruction">The instruction this role was given (the task for the manager, a sub-task below it).</param>
/// <param name="Image">The acting agent's egocentric image before the step.</param>
/// <param name="StateText">The describer's text of the state.</param>
/// <param name="ActionText">The role's output as text (a plan, a sub-task, or a text action).</param>
/// <param name="Code">The code action chosen (actors), or null for planning roles.</param>
/// <param name="Outcome">The outcome message, success flag and items gained (actors).</param>
/// <param name="ExpertContext">What the experts told the teacher for this step (text, and renders as PNG), or null.</param>
public sealed record StepRecord(
    int Iteration,
    string Role,
    int AgentId,
    string Instruction,
    RgbImage Image,
    string StateText,
    string ActionText,
    CodeAction? Code,
    StepOutcome? Outcome,
    ExpertContext? ExpertContext);

public sealed record StepOutcome(bool Success, string Message, IReadOnlyDictionary<string, int> Gained);

/// <summary>Expert output the teacher used: text (map description, frontiers, build order summary) and images (occupancy renders, map render) as PNG.</summary>
public sealed record ExpertContext(string Text, IReadOnlyList<NamedImage> Images);

public sealed record NamedImage(string Name, byte[] Png);

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
