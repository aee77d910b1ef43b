using Steve2.Pipeline.Teacher.Backends;
using Steve2.Pipeline.Teacher.Roles;
using Steve2.Pipeline.Trajectories;

namespace Steve2.Pipeline.Teacher.Decisions;

/// <summary>
/// Decides a recorded step again with the rule backend, from what the step carries (its role, agent,
/// instruction and facts, and the expert facts of its expert context): the check that a recording holds
/// everything the rule teacher's decisions depend on, and the way to label a state from its facts.
/// </summary>
public static class RuleReplay
{
    /// <summary>The rules' answer to the recorded step; null when the step carries no facts (not a rule teacher's step).</summary>
    public static string? Decide(TrajectoryStep step, TrajectoryExpertContext? expert)
    {
        ArgumentNullException.ThrowIfNull(step);
        if (step.Facts is null) return null;
        if (expert is not null && expert.Step != step.Step)
            throw new ArgumentException($"The expert context of step {expert.Step} does not belong to step {step.Step}.", nameof(expert));
        TeacherRole role = Enum.Parse<TeacherRole>(step.Role, ignoreCase: true);
        var prompt = new RolePrompt(role, step.AgentId, step.Instruction, step.StateText, expert?.Text, "", step.Memory, [], step.Facts, expert?.Facts);
        return RuleBackend.Answer(prompt);
    }
}
