using Steve2.Pipeline.Teacher.Roles;
using Steve2.Pipeline.Teacher.Rules;

namespace Steve2.Pipeline.Teacher.Backends;

/// <summary>The embedded backend: deterministic rules and search per role (<see cref="ManagerRules"/>, <see cref="ConductorRules"/>, <see cref="ActorRules"/>).</summary>
public sealed class RuleBackend : IRoleBackend
{
    public static readonly RuleBackend Instance = new();

    public string Name => "rules";

    public Task<string> RespondAsync(RolePrompt prompt, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        string answer = prompt.Role switch
        {
            TeacherRole.Manager => ManagerRules.Plan(prompt.Situation),
            TeacherRole.Conductor => ConductorRules.Direct(prompt.Situation, prompt.AgentId).ToText(),
            _ => ActorRules.Act(prompt.Situation, prompt.AgentId).ToCode(),
        };
        return Task.FromResult(answer);
    }
}
