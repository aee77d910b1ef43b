using Microsoft.Extensions.AI;
using Steve2.Pipeline.Agents;
using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Experts;
using Steve2.Pipeline.Teacher.Backends;
using Steve2.Pipeline.Teacher.Knowledge;
using Steve2.Pipeline.Teacher.Memory;
using Steve2.Pipeline.Teacher.Planning;
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
/// is finished); the scorer ends the episode when the goal is reached.
/// Every role's step is three parts (Teacher/Decisions/DECISIONS.md): gather (consult the experts, perceive the
/// facts), decide (the role's backend and the critic's checks: a function of the prompt, no side effects),
/// apply (this class: the answer takes effect, the world steps, the critic corrects, and the step is recorded
/// in one place). Expert output goes only to <see cref="StepRecord.ExpertContext"/>.
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
            // Unique per run, and short enough for an authenticated host's owner-scoped ids (54 characters at most).
            ? new NavigationExpert(_experts, $"{episode.Goal.Task}-{episode.Goal.Seed}-{Guid.NewGuid().ToString("N")[..16]}")
            : null;
        var s = new TeacherSituation(episode.Goal, env.AgentCount, _options, navigation);
        try
        {
            if (navigation is not null) await navigation.OpenAsync(cancellationToken);
            var first = Enumerable.Range(0, env.AgentCount).Select(env.Observe).ToArray();
            foreach (Observation o in first) s.Knowledge.Add(o);
            if (navigation is not null) await navigation.ObserveAsync(first, cancellationToken);
            await PlanAsync(s, episode, cancellationToken);
            while (!episode.IsDone && !s.Finished)
                for (int agent = 0; agent < env.AgentCount && !episode.IsDone && !s.Finished; agent++)
                {
                    if (await StepAgentAsync(s, episode, agent, cancellationToken) && !episode.IsDone)
                        await PlanAsync(s, episode, cancellationToken);
                }
        }
        finally
        {
            if (navigation is not null) await navigation.CloseAsync(CancellationToken.None);
        }
    }

    /// <summary>The manager's step: consult the experts (and keep a new build plan), decide, apply the parts.</summary>
    private async Task PlanAsync(TeacherSituation s, EpisodeContext episode, CancellationToken ct)
    {
        ManagerConsultation consultation = await _manager.ConsultAsync(s, ct);
        if (consultation.Correction is string correction) Remember(s, MemoryKind.Correction, "critic", 0, correction);
        if (consultation.Plan is SitePlan plan)
        {
            s.Plan = plan;
            Remember(s, MemoryKind.Trajectory, "manager", 0, $"build plan from {plan.Source}: {plan.Steps.Count} steps");
        }
        RolePrompt prompt = Manager.Prompt(s, consultation.Expert);
        if (_options.Manager.SendImages) prompt = prompt with { Views = ChatImages.Views(s), Pictures = ChatImages.Pictures(s, consultation.Expert) };
        var answer = await _manager.DecideAsync(prompt, ct);

        foreach (var (agent, part) in answer.Value) s.Assignments[agent] = part;
        Apply(s, episode, prompt, answer, s.Latest(0).Image, consultation.Expert);
    }

    /// <summary>One iteration of one agent: the conductor's step, the actor's step, the world's step, the critic. Returns whether to replan.</summary>
    private async Task<bool> StepAgentAsync(TeacherSituation s, EpisodeContext episode, int agent, CancellationToken ct)
    {
        SubTask part = s.Assignments.GetValueOrDefault(agent) ?? new SubTask(SubTaskKind.Idle);
        ExpertContext? expert = await Conductor.ConsultAsync(s, agent, part, ct);
        RolePrompt direct = Conductor.Prompt(s, agent, part, expert);
        if (_options.Conductor.SendImages) direct = direct with { Views = ChatImages.View(s, agent), Pictures = expert?.Images };
        var directive = await _conductor.DecideAsync(direct, ct);
        ApplyDirective(s, agent, directive.Value);
        Apply(s, episode, direct, directive, s.Latest(agent).Image, expert);

        RolePrompt act = Actor.Prompt(s, agent, directive.Value);
        if (_options.Actor.SendImages) act = act with { Views = ChatImages.View(s, agent) };
        var action = await _actor.DecideAsync(act, ct);
        RgbImage image = s.Latest(agent).Image;
        int iteration = episode.IterationsUsed;
        ActionOutcome outcome = await episode.StepAsync(agent, action.Value, ct);
        Apply(s, episode, act, action, image, expert, iteration, action.Value, new StepOutcome(outcome.Success, outcome.Message, outcome.Gained));
        s.Knowledge.Add(outcome.Observation);
        if (s.Navigation is not null) await s.Navigation.ObserveAsync([outcome.Observation], ct);
        return await Critic.ReviewAsync(s, agent, directive.Value, action.Value, outcome, ct);
    }

    /// <summary>
    /// A directive takes effect: it becomes the agent's current goal and, when it places or removes a block of the
    /// build plan, the agent claims that step (whichever backend chose it), so the critic can mark it done.
    /// </summary>
    internal static void ApplyDirective(TeacherSituation s, int agent, Directive directive)
    {
        s.Directives[agent] = directive;
        if (s.Plan is not SitePlan plan) return;
        if (directive.Kind is DirectiveKind.Place or DirectiveKind.Mine)
            plan.Claim(agent, directive.Target, directive.Kind == DirectiveKind.Mine ? PlannedBlockAction.Remove : PlannedBlockAction.Place);
        else
            plan.Release(agent);
    }

    /// <summary>
    /// The one place a role's step is recorded, with what the decision was given (instruction, state, memory,
    /// facts; the expert context apart), what it answered and which backend did; a fallback to the rules (with its
    /// reason, also in the step) and a planner's description go to the shared memory.
    /// </summary>
    private static void Apply<T>(TeacherSituation s, EpisodeContext episode, RolePrompt prompt, RoleAnswer<T> answer, RgbImage image,
        ExpertContext? expert, int? iteration = null, CodeAction? code = null, StepOutcome? outcome = null)
    {
        if (answer.Fallback is string fallback) Remember(s, MemoryKind.Correction, "critic", prompt.AgentId, fallback);
        if (prompt.Role != TeacherRole.Actor) Remember(s, MemoryKind.Description, prompt.Role.Name(), prompt.AgentId, prompt.StateText);
        episode.Recorder.Record(new StepRecord(iteration ?? episode.IterationsUsed, prompt.Role.Name(), prompt.AgentId, prompt.Instruction, image,
            prompt.StateText, answer.Text, code, outcome, expert, prompt.Memory, prompt.Facts, answer.AnsweredBy, answer.Fallback));
    }

    private static void Remember(TeacherSituation s, MemoryKind kind, string role, int agent, string text) =>
        s.Memory.Add(new MemoryEntry(s.Knowledge.Tick, kind, role, agent, text));
}
