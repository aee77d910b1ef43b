using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Teacher;
using Steve2.Pipeline.Teacher.Decisions;
using Steve2.Pipeline.Teacher.Roles;
using Steve2.Pipeline.Teacher.Skills;

namespace Steve2.Pipeline.Student.Inference;

/// <summary>
/// Whether a student's answer is usable, with the teacher's own parsers and the critic's feasibility checks:
/// a manager's plan (<see cref="Manager.Parse"/>, <see cref="Critic.CheckPlan"/>), a conductor's directive (<see cref="Directive.TryParse"/>,
/// <see cref="Critic.CheckDirective"/>), an actor's code action (<see cref="SkillLibrary.TryParse"/> on
/// <c>CodeActionSyntax</c>, <see cref="Critic.CheckAction"/>). The facts are the critic's, not the model's input.
/// </summary>
public static class StudentAnswers
{
    /// <summary>Why the answer cannot be used, or null.</summary>
    public static string? Problem(string role, int agentId, string text, RoleFacts? facts) => role switch
    {
        "manager" => Manager.Parse(text, (facts as ManagerFacts)?.AgentCount ?? 1) is var (plan, error) && error is not null ? error
            : facts is ManagerFacts mf ? Critic.CheckPlan(mf, plan!) : null,
        "conductor" => !Directive.TryParse(text, out Directive? d, out string e) ? e
            : facts is ConductorFacts cf ? Critic.CheckDirective(cf, agentId, d!) : null,
        "actor" => !SkillLibrary.TryParse(text, out CodeAction? a, out string e2) ? e2
            : facts is ActorFacts af ? Critic.CheckAction(af, agentId, a!) : null,
        _ => $"unknown role '{role}'",
    };

    /// <summary>
    /// Why the critic would rather have another answer, or null: a usable answer that the rules would not give, by a check
    /// of the student's own facts and its instruction. A build part's directive that is not one of its plan's steps
    /// (<see cref="Critic.CheckBuildStep"/>), a directive that spends the turn on what the critic knows gives nothing
    /// (<see cref="Critic.CheckSpentTurn"/>), an <c>open</c> or <c>approach</c> where the student's own facts hold no target
    /// (<see cref="Critic.CheckSearchTarget"/>), a <c>mine</c> outside a build plan that is not the rules'
    /// dig straight down with a pickaxe (<see cref="Critic.CheckDig"/>), an actor's build action that is not its directive's box
    /// (<see cref="Critic.CheckBuildAction"/>), an actor that does not open its directive's chest (another chest, or
    /// anything else with that chest in reach: <see cref="Critic.CheckOpenAction"/>), an actor that explores when its directive's
    /// place is within one walk (<see cref="Critic.CheckExplore"/>). <see cref="StudentAsking"/> asks again, and takes the first such answer
    /// when no retry is better.
    /// </summary>
    public static string? Concern(string role, string instruction, string text, RoleFacts? facts) => role switch
    {
        "conductor" => facts is ConductorFacts cf && Directive.TryParse(text, out Directive? d, out _)
            ? Critic.CheckBuildStep(cf, d!) ?? Critic.CheckSpentTurn(cf, d!) ?? Critic.CheckSearchTarget(cf, d!) ?? Critic.CheckDig(cf, d!) : null,
        "actor" => Directive.TryParse(instruction, out Directive? given, out _) && SkillLibrary.TryParse(text, out CodeAction? a, out _)
            ? Critic.CheckBuildAction(given!, a!) ?? (facts is ActorFacts af ? Critic.CheckOpenAction(af, given!, a!) ?? Critic.CheckExplore(af, given!, a!) : null) : null,
        _ => null,
    };

    /// <summary>
    /// Which part of an actor's answer the critic's concern points at, or null (no concern of this kind, another role): the
    /// action itself (<see cref="AnswerFault.Action"/>: another action while the directive's chest is in reach,
    /// <see cref="Critic.CheckOpenAction"/>; an explore within one walk, <see cref="Critic.CheckExplore"/>; a build action of
    /// the other kind), else the answer's first argument that is not the directive's, with the directive's text for it (an
    /// <c>openChest</c> of another block; a build box or block that is not the directive's, <see cref="Critic.CheckBuildAction"/>).
    /// <see cref="StudentAsking"/> goes another way there first.
    /// </summary>
    public static AnswerFault? Faulted(string role, string instruction, string text, RoleFacts? facts)
    {
        if (role != "actor" || !Directive.TryParse(instruction, out Directive? d, out _) || !SkillLibrary.TryParse(text, out CodeAction? a, out _)) return null;
        if (Critic.CheckBuildAction(d!, a!) is not null) return FirstDifference(a!, d!);
        if (facts is not ActorFacts af) return null;
        if (Critic.CheckOpenAction(af, d!, a!) is not null) return FirstDifference(a!, d!);
        return Critic.CheckExplore(af, d!, a!) is not null ? AnswerFault.Action : null;
    }

    /// <summary>
    /// The first argument of <paramref name="a"/> that is not the directive's own (its block, then its corners as written),
    /// or the action as a whole when it does not take the directive's arguments (another kind, or the same corners in
    /// another order).
    /// </summary>
    private static AnswerFault FirstDifference(CodeAction a, Directive d)
    {
        BlockPos to = d.To ?? d.Target;
        (string[] Given, string[] Wanted)? pair = (a, d.Kind) switch
        {
            (OpenChest o, DirectiveKind.Open) => (Texts(o.Target), Texts(d.Target)),
            (PlaceBox b, DirectiveKind.Place) => ([Quoted(b.Item), .. Texts(b.From), .. Texts(b.To)], [Quoted(d.Item), .. Texts(d.Target), .. Texts(to)]),
            (Place p, DirectiveKind.Place) => ([Quoted(p.Item), .. Texts(p.Target)], [Quoted(d.Item), .. Texts(d.Target)]),
            (RemoveBox r, DirectiveKind.Mine) => ([.. Texts(r.From), .. Texts(r.To)], [.. Texts(d.Target), .. Texts(to)]),
            (Mine m, DirectiveKind.Mine) => (Texts(m.Target), Texts(d.Target)),
            _ => null,
        };
        if (pair is var (given, wanted) && given.Length == wanted.Length)
            for (int i = 0; i < given.Length; i++)
                if (given[i] != wanted[i]) return new AnswerFault(i, wanted[i]);
        return AnswerFault.Action;
    }

    private static string[] Texts(BlockPos p) => [.. new[] { p.X, p.Y, p.Z }.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    private static string Quoted(string item) => $"\"{item}\"";
}

/// <summary>
/// Where the critic says an actor's answer went wrong: its argument <paramref name="Argument"/> (0-based; -1 the action
/// itself), which should read <paramref name="Wanted"/> (null for the action).
/// </summary>
public sealed record AnswerFault(int Argument, string? Wanted)
{
    public static readonly AnswerFault Action = new(-1, null);
}
