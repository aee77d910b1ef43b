using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Experts;
using Steve2.Pipeline.Tasks;
using Steve2.Pipeline.Teacher.Knowledge;
using Steve2.Pipeline.Teacher.Memory;
using Steve2.Pipeline.Teacher.Planning;
using Steve2.Pipeline.Teacher.Roles;

namespace Steve2.Pipeline.Teacher;

/// <summary>
/// Everything the teacher's roles share during one episode: the goal, the team's own knowledge, the shared
/// memory, the manager's assignments, the conductors' current directives and claims, the critic's
/// corrections (blocked directions, unreachable places), the build plan, and this step's expert hints.
/// The rule backend reads it directly; the chat backend sees it as text.
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

    /// <summary>Build steps claimed by agents (agent to step index).</summary>
    public Dictionary<int, int> ClaimedSteps { get; } = [];

    /// <summary>Directions the critic found blocked, per agent.</summary>
    public Dictionary<int, HashSet<Direction>> BlockedDirections { get; } = [];

    /// <summary>Places the critic found unreachable (own blacklist; with experts also sent to the map).</summary>
    public HashSet<BlockPos> Unreachable { get; } = [];

    /// <summary>Items whose gathering failed for lack of known sources, per agent, with the tick to retry after.</summary>
    public Dictionary<(int Agent, string Item), int> GatherRetryAfter { get; } = [];

    public BuildPlan? Plan { get; set; }

    /// <summary>The object-search target kind the manager settled on (from the name, the sound or the image).</summary>
    public string? TargetKind { get; set; }

    /// <summary>This step's frontiers from the dynamic map, per agent (null without experts or on failure).</summary>
    public Dictionary<int, FrontierAnswer?> Frontiers { get; } = [];

    /// <summary>This step's located targets from the dynamic map, per agent.</summary>
    public Dictionary<int, IReadOnlyList<LocatedTarget>> Located { get; } = [];

    /// <summary>True when the teacher has nothing left to do (its build plan is finished).</summary>
    public bool Finished => Goal.Task == "creation" && Plan is { IsFinished: true };

    public Observation Latest(int agentId) => Knowledge.Latest[agentId];

    public HashSet<Direction> Blocked(int agentId)
    {
        if (!BlockedDirections.TryGetValue(agentId, out var set)) BlockedDirections[agentId] = set = [];
        return set;
    }

    /// <summary>The agent's team (one conductor per team).</summary>
    public int TeamOf(int agentId) => agentId / options.AgentsPerTeam;
}
