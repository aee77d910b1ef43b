using Steve2.Pipeline.Agents;
using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Experts;
using Steve2.Pipeline.Student.Data;
using Steve2.Pipeline.Student.Inference;
using Steve2.Pipeline.Teacher;
using Steve2.Pipeline.Teacher.Backends;
using Steve2.Pipeline.Teacher.Decisions;
using Steve2.Pipeline.Teacher.Knowledge;
using Steve2.Pipeline.Teacher.Roles;

namespace Steve2.Pipeline.Student.Distillation;

/// <summary>How a DAgger rollout mixes the student and the teacher.</summary>
/// <param name="Beta">The probability that a decision executes the teacher's label (<see cref="BetaSchedule"/>).</param>
/// <param name="Seed">With the episode's task and seed, fixes every coin of the episode.</param>
public sealed record DaggerAgentOptions(double Beta, int Seed = 1);

/// <summary>
/// A DAgger rollout (DISTILLATION.md): the student plays the teacher's hierarchy exactly as <see cref="StudentAgent"/> does
/// (the same <see cref="TeacherSituation"/>, prompts, memory, parsers, critic checks, retries and safe defaults), and at
/// every decision the teacher is asked what it would answer in that same state: its gather step (the experts'
/// consultation when it has them: the creation expert's build plan, the dynamic map's frontiers and located targets)
/// and its rule backend on the step's facts and <see cref="ExpertFacts"/> (<see cref="RuleBackend.Answer"/>, a function of
/// the prompt alone, so it answers for any state, including ones the teacher would never reach). The student's answers
/// are judged by the critic (<see cref="DaggerJudge"/>); with probability beta the teacher's label is executed instead of
/// the student's answer. The recorded step is the executed one (its <c>backend</c> says whose: "student" or "rules"), with
/// the teacher's expert context under <c>expert/</c> as the teacher's own recordings have it; the label, with the
/// student's prompt exactly as it read it (never any expert output), goes to <see cref="Labels"/> and, at the end of the
/// episode, to the round's <see cref="DaggerLabelStore"/>.
/// </summary>
public sealed class DaggerAgent(StudentPolicy policy, ExpertClients? experts, DaggerAgentOptions options, DaggerLabelStore? store = null) : IAgent
{
    public const string AgentName = "dagger";
    private static readonly HashSet<string> NavigationTasks = ["object-search", "block-search", "exploration"];

    public string Name => AgentName;

    /// <summary>This episode's labels, in decision order.</summary>
    public List<DaggerLabel> Labels { get; } = [];

    /// <summary>Answers replaced by the safe default (as <see cref="StudentAgent.Fallbacks"/>).</summary>
    public List<string> Fallbacks { get; } = [];

    private readonly Dictionary<string, byte[]> _images = new(StringComparer.Ordinal);
    private Random _coins = new(0);
    private int _steps;

    public async Task RunEpisodeAsync(EpisodeContext episode, CancellationToken cancellationToken)
    {
        IEnvironment env = episode.Environment;
        _coins = new Random(unchecked(options.Seed * 1_000_003 + episode.Goal.Seed * 31 + StableHash(episode.Goal.Task)));
        NavigationExpert? navigation = experts is not null && NavigationTasks.Contains(episode.Goal.Task)
            ? new NavigationExpert(experts, $"dagger-{episode.Goal.Task}-{episode.Goal.Seed}-{Guid.NewGuid().ToString("N")[..12]}")
            : null;
        var s = new TeacherSituation(episode.Goal, env.AgentCount, new TeacherAgentOptions(), navigation);
        var manager = new Manager(new RoleRunner(RuleBackend.Instance, 0), experts);
        var history = new List<RememberedStep>();
        try
        {
            if (navigation is not null) await navigation.OpenAsync(cancellationToken);
            var first = Enumerable.Range(0, env.AgentCount).Select(env.Observe).ToArray();
            foreach (Observation o in first) s.Knowledge.Add(o);
            if (navigation is not null) await navigation.ObserveAsync(first, cancellationToken);
            bool idled = await PlanAsync(s, manager, episode, history, cancellationToken);
            while (!episode.IsDone && !s.Finished)
                for (int agent = 0; agent < env.AgentCount && !episode.IsDone && !s.Finished; agent++)
                {
                    SubTask part = s.Assignments.GetValueOrDefault(agent) ?? new SubTask(SubTaskKind.Idle);
                    RolePrompt direct = StudentView(s, () => Conductor.Prompt(s, agent, part, null));
                    ExpertContext? expert = await Conductor.ConsultAsync(s, agent, part, cancellationToken);
                    RolePrompt label = Conductor.Prompt(s, agent, part, expert);
                    var directive = await DecideAsync(s, episode, direct, label, history,
                        t => Directive.TryParse(t, out Directive? d, out _) ? d : null, new Directive(DirectiveKind.Wait), d => d.ToText(), cancellationToken);
                    TeacherAgent.ApplyDirective(s, agent, directive.Value);
                    Record(episode, direct, directive, s.Latest(agent).Image, expert, history, null, null);

                    RolePrompt act = StudentView(s, () => Actor.Prompt(s, agent, directive.Value));
                    RgbImage image = s.Latest(agent).Image;
                    var action = await DecideAsync(s, episode, act, Actor.Prompt(s, agent, directive.Value), history,
                        t => CodeActionSyntax.TryParse(t, out CodeAction? a, out _) ? a : null, new Wait(), a => a.ToCode(), cancellationToken);
                    int iteration = episode.IterationsUsed;
                    ActionOutcome outcome = await episode.StepAsync(agent, action.Value, cancellationToken);
                    Record(episode, act, action, image, expert, history, action.Value, new StepOutcome(outcome.Success, outcome.Message, outcome.Gained), iteration);
                    s.Knowledge.Add(outcome.Observation);
                    if (navigation is not null) await navigation.ObserveAsync([outcome.Observation], cancellationToken);
                    // As the student agent: a manager whose answers were all refused is asked again after the next action.
                    if ((await Critic.ReviewAsync(s, agent, directive.Value, action.Value, outcome, cancellationToken) || idled) && !episode.IsDone)
                        idled = await PlanAsync(s, manager, episode, history, cancellationToken);
                }
        }
        finally
        {
            if (navigation is not null) await navigation.CloseAsync(CancellationToken.None);
        }
        store?.Save(episode.Goal.Task, episode.Goal.Seed, Labels, _images);
    }

    /// <summary>Asks the manager (the student's answer, the teacher's label); true when the student's answers were refused and its safe default was executed.</summary>
    private async Task<bool> PlanAsync(TeacherSituation s, Manager manager, EpisodeContext episode, List<RememberedStep> history, CancellationToken ct)
    {
        ManagerConsultation consultation = await manager.ConsultAsync(s, ct);
        if (consultation.Plan is { } plan) s.Plan = plan;
        RolePrompt prompt = StudentView(s, () => Manager.Prompt(s, null));
        string idle = string.Join("\n", Enumerable.Range(0, s.AgentCount).Select(a => $"agent {a}: idle"));
        var decision = await DecideAsync(s, episode, prompt, Manager.Prompt(s, consultation.Expert), history,
            t => Manager.Parse(t, s.AgentCount).Plan, Manager.Parse(idle, s.AgentCount).Plan!, p => string.Join("\n", p.OrderBy(kv => kv.Key).Select(kv => $"agent {kv.Key}: {kv.Value.ToText()}")), ct);
        foreach (var (agent, part) in decision.Value) s.Assignments[agent] = part;
        Record(episode, prompt, decision, s.Latest(0).Image, consultation.Expert, history, null, null);
        return decision.FellBack;
    }

    private sealed record Decision<T>(T Value, string Text, IReadOnlyList<string> Memory, string Backend, bool FellBack = false);

    /// <summary>
    /// The student's answer (as <see cref="StudentAgent"/> decides: sampled again when the critic refuses it, then the safe
    /// default), the teacher's label for the same prompt with its expert facts, the critic's verdicts, and the coin that
    /// picks which of the two is executed. <paramref name="prompt"/> is the student's (built without expert output).
    /// </summary>
    private async Task<Decision<T>> DecideAsync<T>(TeacherSituation s, EpisodeContext episode, RolePrompt prompt, RolePrompt teacherPrompt,
        List<RememberedStep> history, Func<string, T?> parse, T fallback, Func<T, string> textOf, CancellationToken ct) where T : class
    {
        string role = prompt.Role.Name();
        string memory = StudentMemory.Text(history, role, prompt.AgentId, prompt.Facts, prompt.Instruction);
        var studentPrompt = new StudentPrompt(role, prompt.Instruction, prompt.StateText, memory);
        RgbImage image = role == "manager" ? s.Latest(0).Image : s.Latest(prompt.AgentId).Image;

        // The teacher's label: the rules on the teacher's facts of this state and the experts' facts (a function of the prompt alone).
        string label = RuleBackend.Answer(teacherPrompt);
        string? labelProblem = StudentAnswers.Problem(role, prompt.AgentId, label, teacherPrompt.Facts);

        var samples = new List<DaggerSample>();
        var asked = await StudentAsking.AskAsync(policy, studentPrompt, image, prompt.AgentId, prompt.Facts, parse, text =>
        {
            var verdict = DaggerJudge.Judge(role, prompt.AgentId, prompt.Instruction, text, label, teacherPrompt.Facts, teacherPrompt.Expert, s.Knowledge.SeenNear);
            if (samples.All(x => x.Text != text)) samples.Add(verdict);
        }, ct);
        T? chosen = asked.Value;
        string chosenText = asked.Text ?? textOf(fallback);
        var memoryLines = memory.Split('\n').ToList();
        if (chosen is null)
        {
            string reason = asked.FallbackReason(role, textOf(fallback));
            Fallbacks.Add(reason);
            memoryLines.Add(reason);
        }

        bool teacherActs = _coins.NextDouble() < options.Beta;
        string key = DaggerLabelStore.KeyOf(image.Pixels);
        _images.TryAdd(key, image.Pixels);
        Labels.Add(new DaggerLabel(episode.Goal.Task, episode.Goal.Seed, _steps, episode.IterationsUsed, role, prompt.AgentId, studentPrompt, key,
            samples, label, labelProblem, teacherActs ? "teacher" : "student", options.Beta));
        if (teacherActs)
            return new Decision<T>(parse(label) ?? throw new InvalidOperationException($"The rules' {role} answer '{label}' does not parse: a bug in Teacher/Rules."),
                label, memoryLines, RuleBackend.Instance.Name);
        return new Decision<T>(chosen ?? fallback, chosenText, memoryLines, StudentAgent.AgentName, FellBack: chosen is null);
    }

    /// <summary>
    /// A prompt as the student sees it: built on the situation as <see cref="StudentAgent"/> has it, without the teacher's
    /// build plan (the student makes none; with experts it is the imagined building, expert output). The plan shapes some
    /// facts (the actor's standing place keeps off its footprint), and the facts become the student's notes.
    /// </summary>
    private static RolePrompt StudentView(TeacherSituation s, Func<RolePrompt> make)
    {
        var plan = s.Plan;
        s.Plan = null;
        try
        {
            return make();
        }
        finally
        {
            s.Plan = plan;
        }
    }

    private void Record<T>(EpisodeContext episode, RolePrompt prompt, Decision<T> decision, RgbImage image, ExpertContext? expert,
        List<RememberedStep> history, CodeAction? code, StepOutcome? outcome, int? iteration = null)
    {
        episode.Recorder.Record(new StepRecord(iteration ?? episode.IterationsUsed, prompt.Role.Name(), prompt.AgentId, prompt.Instruction, image,
            prompt.StateText, decision.Text, code, outcome, expert, decision.Memory, prompt.Facts, decision.Backend));
        history.Add(new RememberedStep(prompt.Role.Name(), prompt.AgentId, decision.Text, code?.ToCode(), outcome));
        _steps++;
    }

    private static int StableHash(string text)
    {
        unchecked
        {
            int h = 17;
            foreach (char c in text) h = h * 31 + c;
            return h;
        }
    }
}
