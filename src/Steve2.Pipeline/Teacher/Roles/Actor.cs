using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Teacher.Backends;
using Steve2.Pipeline.Teacher.Decisions;
using Steve2.Pipeline.Teacher.Memory;
using Steve2.Pipeline.Teacher.Skills;

namespace Steve2.Pipeline.Teacher.Roles;

/// <summary>
/// An actor: turns its agent's directive into one code action of the skill library. The answer is text
/// parsed by the world's code-action grammar; the critic rejects actions that break a known rule. A question
/// (<see cref="Prompt"/>) and a side-effect-free decision (<see cref="DecideAsync"/>); the teacher steps the
/// world with the action and records it.
/// </summary>
public sealed class Actor(RoleRunner runner)
{
    /// <summary>The actor's question: the directive, the agent's description, its last three actions and outcomes, and the facts.</summary>
    public static RolePrompt Prompt(TeacherSituation s, int agent, Directive directive) =>
        new(TeacherRole.Actor, agent, directive.ToText(), Describer.Describe(s.Latest(agent)), null, SkillLibrary.Syntax,
            s.Memory.Recent(MemoryKind.Trajectory, agent, 3).Select(m => m.Text).ToArray(), [], TeacherPerception.Actor(s, agent, directive));

    /// <summary>The actor's decision: one code action the critic finds feasible. Side-effect free.</summary>
    public Task<RoleAnswer<CodeAction>> DecideAsync(RolePrompt prompt, CancellationToken ct) =>
        runner.DecideAsync(prompt,
            t => SkillLibrary.TryParse(t, out CodeAction? a, out string error) ? (a, null) : ((CodeAction?)null, error),
            a => Critic.CheckAction((ActorFacts)prompt.Facts, prompt.AgentId, a), ct);
}
