using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Teacher.Backends;
using Steve2.Pipeline.Teacher.Skills;

namespace Steve2.Pipeline.Teacher.Roles;

/// <summary>
/// An actor: turns its agent's directive into one code action of the skill library. The answer is text
/// parsed by the world's code-action grammar; the critic rejects actions that break a known rule.
/// </summary>
public sealed class Actor(RoleRunner runner)
{
    /// <summary>The code action and the answer text it was parsed from; the caller steps and records it.</summary>
    public async Task<(CodeAction Action, string Text, string State)> ActAsync(TeacherSituation s, int agent, CancellationToken ct)
    {
        Directive directive = s.Directives.GetValueOrDefault(agent) ?? new Directive(DirectiveKind.Wait);
        string state = Describer.Describe(s.Latest(agent));
        var prompt = new RolePrompt(TeacherRole.Actor, agent, directive.ToText(), state, null, SkillLibrary.Syntax,
            s.Memory.Recent(Memory.MemoryKind.Trajectory, agent, 3).Select(m => m.Text).ToArray(), [], s);
        var (action, text, _) = await runner.AskAsync(prompt,
            t => SkillLibrary.TryParse(t, out CodeAction? a, out string error) ? (a, null) : ((CodeAction?)null, error),
            a => Critic.CheckAction(s, agent, a), ct);
        return (action, text, state);
    }
}
