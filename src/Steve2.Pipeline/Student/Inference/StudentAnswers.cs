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
}
