using Steve2.Pipeline.Teacher.Decisions;
using Steve2.Pipeline.Teacher.Roles;
using Steve2.Pipeline.Teacher.Rules;

namespace Steve2.Pipeline.Teacher.Backends;

/// <summary>
/// The embedded backend: deterministic rules and search per role (<see cref="ManagerRules"/>,
/// <see cref="ConductorRules"/>, <see cref="ActorRules"/>). Its answer is a function of the prompt's
/// instruction, facts and expert facts alone (<see cref="Answer"/>), so a recorded step decides again to the
/// recorded answer.
/// </summary>
public sealed class RuleBackend : IRoleBackend
{
    public static readonly RuleBackend Instance = new();

    public string Name => "rules";

    public Task<string> RespondAsync(RolePrompt prompt, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Answer(prompt));
    }

    /// <summary>The rules' answer text; throws when the instruction does not parse for the role or the facts belong to another role.</summary>
    public static string Answer(RolePrompt prompt) => (prompt.Role, prompt.Facts) switch
    {
        (TeacherRole.Manager, ManagerFacts f) => ManagerRules.Plan(f),
        (TeacherRole.Conductor, ConductorFacts f) => ConductorRules.Direct(prompt.AgentId, ParsePart(prompt.Instruction), f, prompt.Expert).ToText(),
        (TeacherRole.Actor, ActorFacts f) => ActorRules.Act(ParseDirective(prompt.Instruction), f).ToCode(),
        _ => throw new ArgumentException($"The {prompt.Role.Name()} cannot decide on {prompt.Facts.GetType().Name}.", nameof(prompt)),
    };

    private static SubTask ParsePart(string text) =>
        SubTask.TryParse(text, out SubTask? part, out string error) ? part! : throw new ArgumentException($"A conductor's instruction must be a sub-task: {error}");

    private static Directive ParseDirective(string text) =>
        Directive.TryParse(text, out Directive? directive, out string error) ? directive! : throw new ArgumentException($"An actor's instruction must be a directive: {error}");
}
