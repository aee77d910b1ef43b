using Steve2.Pipeline.Agents;
using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Student.Data;
using Steve2.Pipeline.Teacher;
using Steve2.Pipeline.Teacher.Backends;
using Steve2.Pipeline.Teacher.Roles;

namespace Steve2.Pipeline.Student.Inference;

/// <summary>
/// The student as an agent ("student"): one model plays manager, conductor and actor through role prompts, in the
/// teacher's hierarchy (the manager's parts, then per agent and iteration the conductor's directive and the actor's
/// code action). It reads what the teacher's roles read minus every expert: the instruction, the describer's state
/// text, the acting agent's egocentric image and its own bounded memory (<see cref="StudentMemory"/>). Answers are
/// parsed by the teacher's parsers and checked by the critic (<see cref="StudentAnswers"/>, on the facts of the
/// team's own perception, as the no-expert teacher's critic does); an unusable answer is asked again (<see cref="StudentAsking"/>) up to
/// <see cref="StudentAgentOptions.MaxRetries"/> times, then the safe default is taken (manager: every agent idle;
/// conductor: <c>wait</c>; actor: <c>wait()</c>) and the reason is recorded in the step's memory ("critic: ..."); an answer
/// taken after others were refused or passed over records them there too (the recorded memory lines are for reading a
/// replay: the dataset computes the memory again from the steps).
/// After acting, the critic's review corrects the situation and may ask the manager to plan again; a manager whose answers
/// were all refused (its team idle on the safe default) is asked again after the next action, so one bad plan does not
/// idle the team for the whole episode (the memory has changed by then, and so may the answer). A model failure
/// is an unusable answer, never an exception out of the episode. Model calls go through the run's shared
/// <see cref="StudentBatcher"/>.
/// Like the teacher, it stops before the budget when the team's build plan is finished (<see cref="TeacherSituation.Finished"/>):
/// a creation episode's remaining iterations could only wait or add blocks off the plan.
/// </summary>
public sealed class StudentAgent(StudentPolicy policy) : IAgent
{
    public const string AgentName = "student";
    private static readonly Dictionary<int, SubTask> NoPlan = [];

    public string Name => AgentName;

    /// <summary>Answers replaced by the safe default in this agent's episodes, with why.</summary>
    public List<string> Fallbacks { get; } = [];

    public async Task RunEpisodeAsync(EpisodeContext episode, CancellationToken cancellationToken)
    {
        IEnvironment env = episode.Environment;
        var s = new TeacherSituation(episode.Goal, env.AgentCount, new TeacherAgentOptions(), navigation: null);
        var history = new List<RememberedStep>();
        foreach (Observation o in Enumerable.Range(0, env.AgentCount).Select(env.Observe)) s.Knowledge.Add(o);
        bool idled = await PlanAsync(s, episode, history, cancellationToken);
        while (!episode.IsDone && !s.Finished)
            for (int agent = 0; agent < env.AgentCount && !episode.IsDone && !s.Finished; agent++)
            {
                SubTask part = s.Assignments.GetValueOrDefault(agent) ?? new SubTask(SubTaskKind.Idle);
                RolePrompt direct = Conductor.Prompt(s, agent, part, null);
                var (directive, directiveText, directiveMemory, _) = await DecideAsync(direct, history, s.Latest(agent).Image,
                    t => Directive.TryParse(t, out Directive? d, out _) ? d : null, new Directive(DirectiveKind.Wait), d => d.ToText(), cancellationToken);
                TeacherAgent.ApplyDirective(s, agent, directive);   // the goal, and a claim on the build plan's step it places
                Record(episode, direct, directiveText, s.Latest(agent).Image, directiveMemory, history, null, null);

                RolePrompt act = Actor.Prompt(s, agent, directive);
                RgbImage image = s.Latest(agent).Image;
                var (action, actionText, actionMemory, _) = await DecideAsync(act, history, image,
                    t => CodeActionSyntax.TryParse(t, out CodeAction? a, out _) ? a : null, new Wait(), a => a.ToCode(), cancellationToken);
                int iteration = episode.IterationsUsed;
                ActionOutcome outcome = await episode.StepAsync(agent, action, cancellationToken);
                var stepOutcome = new StepOutcome(outcome.Success, outcome.Message, outcome.Gained);
                Record(episode, act, actionText, image, actionMemory, history, action, stepOutcome, iteration);
                s.Knowledge.Add(outcome.Observation);
                if ((await Critic.ReviewAsync(s, agent, directive, action, outcome, cancellationToken) || idled) && !episode.IsDone)
                    idled = await PlanAsync(s, episode, history, cancellationToken);
            }
    }

    /// <summary>Asks the manager for the parts; true when its answers were refused and the team idles on the safe default.</summary>
    private async Task<bool> PlanAsync(TeacherSituation s, EpisodeContext episode, List<RememberedStep> history, CancellationToken ct)
    {
        // Creation: the no-expert teacher's own plan (the shape guessed from the words), as in the recordings the student
        // learned from; its conductor's notes list the plan's next steps. No expert is asked.
        if (Tasks.CreationTask.IsCreation(s.Goal.Task) && s.Plan is null) s.Plan = Manager.OwnBuildPlan(s);
        RolePrompt prompt = Manager.Prompt(s, null);
        string idle = string.Join("\n", Enumerable.Range(0, s.AgentCount).Select(a => $"agent {a}: idle"));
        var (plan, text, memory, fellBack) = await DecideAsync(prompt, history, s.Latest(0).Image,
            t => Manager.Parse(t, s.AgentCount).Plan, Manager.Parse(idle, s.AgentCount).Plan!, _ => idle, ct);
        foreach (var (agent, part) in plan) s.Assignments[agent] = part;
        Record(episode, prompt, text, s.Latest(0).Image, memory, history, null, null);
        return fellBack;
    }

    /// <summary>
    /// Asks the model (first with the configured sampling, then sampled again), keeps the first answer that parses and
    /// passes the critic, else the safe default. Returns the value, its text, the memory lines to record, and whether
    /// the safe default was taken.
    /// </summary>
    private async Task<(T Value, string Text, IReadOnlyList<string> Memory, bool FellBack)> DecideAsync<T>(RolePrompt prompt, List<RememberedStep> history, RgbImage image,
        Func<string, T?> parse, T fallback, Func<T, string> textOf, CancellationToken ct) where T : class
    {
        string role = prompt.Role.Name();
        string memory = StudentMemory.Text(history, role, prompt.AgentId, prompt.Facts, prompt.Instruction);
        var studentPrompt = new StudentPrompt(role, prompt.Instruction, prompt.StateText, memory);
        var asked = await StudentAsking.AskAsync(policy, studentPrompt, image, prompt.AgentId, prompt.Facts, parse, null, ct);
        if (asked.Value is T value) return (value, asked.Text!, [.. memory.Split('\n'), .. asked.RetryNote(role)], false);
        string reason = asked.FallbackReason(role, textOf(fallback));
        lock (Fallbacks) Fallbacks.Add(reason);
        return (fallback, textOf(fallback), [.. memory.Split('\n'), reason], true);
    }

    private static void Record(EpisodeContext episode, RolePrompt prompt, string text, RgbImage image, IReadOnlyList<string> memory,
        List<RememberedStep> history, CodeAction? code, StepOutcome? outcome, int? iteration = null)
    {
        episode.Recorder.Record(new StepRecord(iteration ?? episode.IterationsUsed, prompt.Role.Name(), prompt.AgentId, prompt.Instruction, image,
            prompt.StateText, text, code, outcome, null, memory, prompt.Facts));
        history.Add(new RememberedStep(prompt.Role.Name(), prompt.AgentId, text, code?.ToCode(), outcome));
    }
}
