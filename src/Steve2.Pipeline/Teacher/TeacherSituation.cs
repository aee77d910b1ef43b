using Steve2.Pipeline.Teacher.Decisions;
using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Tasks;
using Steve2.Pipeline.Teacher.Knowledge;
using Steve2.Pipeline.Teacher.Memory;
using Steve2.Pipeline.Teacher.Planning;
using Steve2.Pipeline.Teacher.Roles;

namespace Steve2.Pipeline.Teacher;

/// <summary>
/// The teacher's state during one episode: the goal, the team's own knowledge, the shared memory, the
/// manager's assignments, the conductors' current directives, the critic's corrections (blocked directions,
/// unreachable places, retry times) and the build plan with its progress. Only the teacher's apply step
/// (<see cref="TeacherAgent"/>) and the <see cref="Critic"/> write into it; the roles read it through
/// <see cref="Decisions.TeacherPerception"/>, which turns it into the facts a decision is a function of.
/// </summary>
public sealed class TeacherSituation(TaskGoal goal, int agentCount, TeacherAgentOptions options, NavigationExpert? navigation)
{
    public TaskGoal Goal => goal;
    public int AgentCount => agentCount;
    public TeacherAgentOptions Options => options;
    public NavigationExpert? Navigation => navigation;
    public TeamKnowledge Knowledge { get; } = new();
    public SharedMemory Memory { get; } = new();
    public Dictionary<int, SubTask> Assignments { get; } = [];
    public Dictionary<int, Directive> Directives { get; } = [];

    /// <summary>Directions the critic found blocked, per agent.</summary>
    public Dictionary<int, HashSet<Direction>> BlockedDirections { get; } = [];

    /// <summary>Places the critic found unreachable (own blacklist; with experts also sent to the map).</summary>
    public HashSet<BlockPos> Unreachable { get; } = [];

    /// <summary>Areas the critic found unreachable: a failed walk sets aside the region around its goal (<see cref="SetAsideArea"/>).</summary>
    public List<SetAsideArea> UnreachableAreas { get; } = [];

    /// <summary>Items whose gathering failed for lack of known sources, per agent, with the tick to retry after.</summary>
    public Dictionary<(int Agent, string Item), int> GatherRetryAfter { get; } = [];

    /// <summary>The building and its progress (creation), set by the manager's first step.</summary>
    public SitePlan? Plan { get; set; }

    /// <summary>The object-search target kind, settled from the name, the sound or the describer's reading of the image.</summary>
    public string? TargetKind { get; } = SettleTargetKind(goal);

    /// <summary>True when the teacher has nothing left to do (its build plan is finished).</summary>
    public bool Finished => Tasks.CreationTask.IsCreation(Goal.Task) && Plan is { IsFinished: true };

    public Observation Latest(int agentId) => Knowledge.Latest[agentId];

    public HashSet<Direction> Blocked(int agentId)
    {
        if (!BlockedDirections.TryGetValue(agentId, out var set)) BlockedDirections[agentId] = set = [];
        return set;
    }

    /// <summary>The agent's team (one conductor per team).</summary>
    public int TeamOf(int agentId) => agentId / options.AgentsPerTeam;

    private static string? SettleTargetKind(TaskGoal goal) => goal.Task != "object-search" ? null
        : goal.TargetName ?? goal.TargetSound ?? (goal.TargetImage is { } image ? Describer.AnimalInImage(image) : null) ?? "animal";
}
