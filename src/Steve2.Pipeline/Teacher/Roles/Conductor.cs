using System.Globalization;
using System.Text;
using Steve2.Pipeline.Agents;
using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Experts;
using Steve2.Pipeline.Teacher.Backends;
using Steve2.Pipeline.Teacher.Decisions;
using Steve2.Pipeline.Teacher.Memory;

namespace Steve2.Pipeline.Teacher.Roles;

/// <summary>
/// A conductor: executes its team's part by giving each of its agents the next immediate goal, and
/// organises the team (teammates take different frontiers and different build steps). With the dynamic
/// map it first asks for the agent's frontiers (and, when searching, the located targets); that answer
/// goes to the expert context and the expert facts, never into the state text. Each call is a consultation
/// of the experts (<see cref="ConsultAsync"/>), a question (<see cref="Prompt"/>) and a side-effect-free
/// decision (<see cref="DecideAsync"/>); the teacher applies and records the answer.
/// </summary>
public sealed class Conductor(RoleRunner runner)
{
    public const string OutputFormat = "one directive: goto X Y Z | explore DIRECTION | approach X Y Z | gather ITEM N | craft ITEM N | place ITEM X Y Z [X2 Y2 Z2] | mine X Y Z [X2 Y2 Z2] | look X Y Z | open X Y Z | wait | digdown N | staircase DIRECTION N | tunnel DIRECTION N";

    /// <summary>The conductor's question for one agent: its part, its description, the critic's recent corrections for it, and the facts.</summary>
    public static RolePrompt Prompt(TeacherSituation s, int agent, SubTask part, ExpertContext? expert) =>
        new(TeacherRole.Conductor, agent, part.ToText(), Describer.Describe(s.Latest(agent)), expert?.Text, OutputFormat,
            s.Memory.Recent(MemoryKind.Correction, agent, 4).Select(m => m.Text).ToArray(), [],
            TeacherPerception.Conductor(s, agent, part), expert?.Facts);

    /// <summary>The conductor's decision: one directive the critic finds feasible. Side-effect free.</summary>
    public Task<RoleAnswer<Directive>> DecideAsync(RolePrompt prompt, CancellationToken ct) =>
        runner.DecideAsync(prompt,
            t => Directive.TryParse(t, out Directive? d, out string error) ? (d, null) : ((Directive?)null, error),
            d => Critic.CheckDirective((ConductorFacts)prompt.Facts, prompt.AgentId, d), ct);

    /// <summary>
    /// What the experts say for this agent's part (teacher only): with the dynamic map the agent's frontiers (and,
    /// when searching, the located targets); with a plan the creation expert made, the plan's next steps. Places
    /// the critic set aside are left out of the facts. Null when there is nothing to say.
    /// </summary>
    public static async Task<ExpertContext?> ConsultAsync(TeacherSituation s, int agent, SubTask part, CancellationToken ct)
    {
        if (s.Navigation is not { } nav)
            return s.Plan is { FromExpert: true } plan && part.Kind == SubTaskKind.Build
                ? new ExpertContext($"Building the creation expert's plan: {plan.Remaining} of {plan.Steps.Count} steps left.", [],
                    new ExpertFacts(Build: plan.WindowFor(agent)))
                : null;
        if (part.Kind is not (SubTaskKind.Explore or SubTaskKind.Search or SubTaskKind.Find)) return null;
        var text = new StringBuilder();
        IReadOnlyList<LocatedFact>? located = null;
        if (part.Kind == SubTaskKind.Search)
        {
            var targets = await nav.LocateAsync(part.Argument, agent, ct);
            foreach (LocatedTarget t in targets.Take(3))
                text.Append(CultureInfo.InvariantCulture, $"{t.Kind} '{t.Name}' ").Append(t.Located
                    ? FormattableString.Invariant($"at {t.Position.Floor()} (+-{t.Uncertainty:0.#}), {t.Distance:0.#} blocks {t.Direction}; ")
                    : $"heard from the {t.Direction}, not located yet; ");
            located = targets.Select(t => LocatedFactOf(s, t, agent)).OfType<LocatedFact>().ToArray();
        }
        FrontierAnswer? frontiers = await nav.FrontiersAsync(agent, ct);
        if (frontiers is not null)
            text.Append(frontiers.Frontiers.Count == 0
                ? $"No frontier: {frontiers.WhyNone}"
                : "Frontiers: " + string.Join("; ", frontiers.Frontiers.Take(4).Select(f => FormattableString.Invariant($"#{f.Rank} goal {f.Goal} size {f.Size} path {f.PathDistance:0}"))));
        if (nav.LastError is string error) text.Append(" Map error: ").Append(error);
        var facts = new ExpertFacts(
            frontiers?.Frontiers.Where(f => !SetAsideAreas.IsSetAside(s.Unreachable, s.UnreachableAreas, f.Goal))
                .Select(f => new FrontierFact(f.Goal, f.Score, f.UnseenArea)).ToArray(),
            frontiers is { Frontiers.Count: 0 }
                ? frontiers.SetAside.Where(f => f.Reason.StartsWith("unreachable", StringComparison.Ordinal))
                    .Select(f => new SetAsideFact(f.Centroid.Floor(), f.Size)).Where(f => !SetAsideAreas.IsSetAside(s.Unreachable, s.UnreachableAreas, f.Cell)).ToArray()
                : null,
            located);
        return text.Length == 0 ? null : new ExpertContext(text.ToString().Trim(), [], facts);
    }

    /// <summary>
    /// A target as the rules take it: located (when not set aside) with the map's uncertainty radius and the points of its
    /// area the team has not seen yet, or heard from an eight-point bearing; null otherwise.
    /// </summary>
    private static LocatedFact? LocatedFactOf(TeacherSituation s, LocatedTarget t, int agent)
    {
        if (t.Located)
            return s.Unreachable.Contains(t.Position.Floor()) ? null
                : new LocatedFact(t.Position.Floor(), null, Math.Round(t.Uncertainty, 1), Rules.SearchRules.UnseenInArea(s.Knowledge, t.Position.Floor(), t.Uncertainty, s.Latest(agent).Pose.Block));
        return DirectionNames.TryParse(CompassToEight(t.Direction), out Direction bearing) ? new LocatedFact(null, bearing) : null;
    }

    /// <summary>The 8-point word for a 16-point compass name ("NNE" to "north", "ENE" to "east").</summary>
    private static string CompassToEight(string compass) => compass.ToUpperInvariant() switch
    {
        "N" or "NNE" or "NNW" => "north",
        "NE" => "northeast",
        "E" or "ENE" or "ESE" => "east",
        "SE" => "southeast",
        "S" or "SSE" or "SSW" => "south",
        "SW" => "southwest",
        "W" or "WSW" or "WNW" => "west",
        "NW" => "northwest",
        _ => compass,
    };
}
