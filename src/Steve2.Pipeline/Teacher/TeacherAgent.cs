using Microsoft.Extensions.AI;
using Steve2.Pipeline.Agents;
using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Experts;
using Steve2.Pipeline.Teacher.Backends;
using Steve2.Pipeline.Teacher.Knowledge;
using Steve2.Pipeline.Teacher.Roles;

namespace Steve2.Pipeline.Teacher;

/// <summary>
/// The hierarchical teacher (TEACHER.md). A manager plans centrally and splits the task per agent;
/// conductors (one per team of <see cref="TeacherAgentOptions.AgentsPerTeam"/>) give each agent its next
/// goal; actors turn goals into code actions; a critic checks answers before and outcomes after every
/// step; all share a memory. Agents act in turn, one code action per iteration. With experts it is
/// "teacher": creation uses the imagined building and its build order, navigation streams every
/// observation into the episode's dynamic map and uses its frontiers and located targets. Without
/// experts (null) it is "teacher-no-expert", the ablation: the same hierarchy on its own observations,
/// and no gRPC call is made. The teacher stops before the budget when its work is done (the build plan
/// is finished); the scorer ends the episode when the goal is reached. Every manager, conductor and actor step is recorded; expert output goes only
/// to <see cref="StepRecord.ExpertContext"/>.
/// </summary>
public sealed class TeacherAgent : IAgent
{
    private static readonly HashSet<string> NavigationTasks = ["object-search", "block-search", "exploration"];
    private readonly TeacherAgentOptions _options;
    private readonly ExpertClients? _experts;
    private readonly Manager _manager;
    private readonly Conductor _conductor;
    private readonly Actor _actor;

    public TeacherAgent(TeacherAgentOptions options, ExpertClients? experts)
        : this(options, experts, ChatRoleBackend.CreateClient)
    {
    }

    /// <summary>With a factory for the chat clients of chat-backed roles (tests pass fakes).</summary>
    public TeacherAgent(TeacherAgentOptions options, ExpertClients? experts, Func<RoleBackendOptions, IChatClient> chatClients)
    {
        _options = options.Validated();
        _experts = experts;
        _manager = new Manager(Runner(options.Manager, chatClients), experts);
        _conductor = new Conductor(Runner(options.Conductor, chatClients));
        _actor = new Actor(Runner(options.Actor, chatClients));
    }

    public string Name => _experts is null ? "teacher-no-expert" : "teacher";
    public TeacherAgentOptions Options => _options;

    private RoleRunner Runner(RoleBackendOptions role, Func<RoleBackendOptions, IChatClient> chatClients) =>
        new(role.Kind == RoleBackendKind.Chat ? new ChatRoleBackend(chatClients(role), role) : RuleBackend.Instance, _options.MaxRetries);

    public async Task RunEpisodeAsync(EpisodeContext episode, CancellationToken cancellationToken)
    {
        IEnvironment env = episode.Environment;
        NavigationExpert? navigation = _experts is not null && NavigationTasks.Contains(episode.Goal.Task)
            ? new NavigationExpert(_experts, $"{episode.Goal.Task}-{episode.Goal.Seed}-{Guid.NewGuid():N}")
            : null;
        var s = new TeacherSituation(episode.Goal, env.AgentCount, _options, navigation);
        try
        {
            if (navigation is not null) await navigation.OpenAsync(cancellationToken);
            var first = Enumerable.Range(0, env.AgentCount).Select(env.Observe).ToArray();
            foreach (Observation o in first) s.Knowledge.Add(o);
            if (navigation is not null) await navigation.ObserveAsync(first, cancellationToken);
            await _manager.PlanAsync(s, episode, cancellationToken);
            while (!episode.IsDone && !s.Finished)
                for (int agent = 0; agent < env.AgentCount && !episode.IsDone && !s.Finished; agent++)
                {
                    if (await StepAgentAsync(s, episode, agent, cancellationToken) && !episode.IsDone)
                        await _manager.PlanAsync(s, episode, cancellationToken);
                }
        }
        finally
        {
            if (navigation is not null) await navigation.CloseAsync(CancellationToken.None);
        }
    }

    /// <summary>One iteration of one agent: conductor, actor, the step, the critic. Returns whether to replan.</summary>
    private async Task<bool> StepAgentAsync(TeacherSituation s, EpisodeContext episode, int agent, CancellationToken ct)
    {
        var (directive, expert) = await _conductor.DirectAsync(s, episode, agent, ct);
        var (action, text, state) = await _actor.ActAsync(s, agent, ct);
        RgbImage image = s.Latest(agent).Image;
        int iteration = episode.IterationsUsed;
        ActionOutcome outcome = await episode.StepAsync(agent, action, ct);
        episode.Recorder.Record(new StepRecord(iteration, TeacherRole.Actor.Name(), agent, directive.ToText(), image, state, text, action,
            new StepOutcome(outcome.Success, outcome.Message, outcome.Gained), expert));
        s.Knowledge.Add(outcome.Observation);
        if (s.Navigation is not null) await s.Navigation.ObserveAsync([outcome.Observation], ct);
        return await Critic.ReviewAsync(s, agent, directive, action, outcome, ct);
    }
}
