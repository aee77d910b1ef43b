using System.Globalization;
using System.Text;
using Steve2.Pipeline.Agents;
using Steve2.Pipeline.Experts;
using Steve2.Pipeline.Teacher.Backends;
using Steve2.Pipeline.Teacher.Memory;

namespace Steve2.Pipeline.Teacher.Roles;

/// <summary>
/// A conductor: executes its team's part by giving each of its agents the next immediate goal, and
/// organises the team (teammates take different frontiers and different build steps). With the dynamic
/// map it first asks for the agent's frontiers (and, when searching, the located targets); that answer
/// goes to the expert context and to the rule backend, never into the state text.
/// </summary>
public sealed class Conductor(RoleRunner runner)
{
    public const string OutputFormat = "one directive: goto X Y Z | explore DIRECTION | approach X Y Z | gather ITEM N | craft ITEM N | place ITEM X Y Z | mine X Y Z | look X Y Z | wait";

    /// <summary>Decides and records the agent's directive; returns it with the expert context it used.</summary>
    public async Task<(Directive Directive, ExpertContext? Expert)> DirectAsync(TeacherSituation s, EpisodeContext episode, int agent, CancellationToken ct)
    {
        SubTask part = s.Assignments.GetValueOrDefault(agent) ?? new SubTask(SubTaskKind.Idle);
        ExpertContext? expert = await AskExpertsAsync(s, agent, part, ct);
        var o = s.Latest(agent);
        string state = Describer.Describe(o);
        s.Memory.Add(new MemoryEntry(s.Knowledge.Tick, MemoryKind.Description, "conductor", agent, state));
        var prompt = new RolePrompt(TeacherRole.Conductor, agent, part.ToText(), state, expert?.Text, OutputFormat,
            s.Memory.Recent(MemoryKind.Correction, agent, 4).Select(m => m.Text).ToArray(), [], s);
        var (directive, text, _) = await runner.AskAsync(prompt,
            t => Directive.TryParse(t, out Directive? d, out string error) ? (d, null) : ((Directive?)null, error),
            d => Critic.CheckDirective(s, agent, d), ct);
        s.Directives[agent] = directive;
        episode.Recorder.Record(new StepRecord(episode.IterationsUsed, TeacherRole.Conductor.Name(), agent, part.ToText(),
            o.Image, state, text, null, null, expert));
        return (directive, expert);
    }

    private static async Task<ExpertContext?> AskExpertsAsync(TeacherSituation s, int agent, SubTask part, CancellationToken ct)
    {
        s.Frontiers.Remove(agent);
        s.Located.Remove(agent);
        if (s.Navigation is not { } nav)
            return s.Plan is { Source: "expert" } plan && part.Kind == SubTaskKind.Build
                ? new ExpertContext($"Building the creation expert's plan: {plan.Remaining} of {plan.Steps.Count} steps left.", [])
                : null;
        if (part.Kind is not (SubTaskKind.Explore or SubTaskKind.Search or SubTaskKind.Find)) return null;
        var text = new StringBuilder();
        if (part.Kind == SubTaskKind.Search)
        {
            var located = await nav.LocateAsync(part.Argument, agent, ct);
            s.Located[agent] = located;
            foreach (LocatedTarget t in located.Take(3))
                text.Append(CultureInfo.InvariantCulture, $"{t.Kind} '{t.Name}' ").Append(t.Located
                    ? FormattableString.Invariant($"at {t.Position.Floor()} (+-{t.Uncertainty:0.#}), {t.Distance:0.#} blocks {t.Direction}; ")
                    : $"heard from the {t.Direction}, not located yet; ");
        }
        FrontierAnswer? frontiers = await nav.FrontiersAsync(agent, ct);
        s.Frontiers[agent] = frontiers;
        if (frontiers is not null)
            text.Append(frontiers.Frontiers.Count == 0
                ? $"No frontier: {frontiers.WhyNone}"
                : "Frontiers: " + string.Join("; ", frontiers.Frontiers.Take(4).Select(f => FormattableString.Invariant($"#{f.Rank} goal {f.Goal} size {f.Size} path {f.PathDistance:0}"))));
        if (nav.LastError is string error) text.Append(" Map error: ").Append(error);
        return text.Length == 0 ? null : new ExpertContext(text.ToString().Trim(), []);
    }
}
