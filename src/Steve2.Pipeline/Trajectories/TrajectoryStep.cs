using Steve2.Pipeline.Agents;
using Steve2.Pipeline.Teacher.Decisions;

namespace Steve2.Pipeline.Trajectories;

/// <summary>
/// One line of steps.jsonl: the student-visible part of a <see cref="StepRecord"/>. The image is a
/// PNG file in the episode folder (<see cref="Image"/> is its path relative to that folder); the
/// expert context is never here (it is in expert/context.jsonl, keyed by <see cref="Step"/>).
/// </summary>
/// <param name="Step">0-based position in the file.</param>
/// <param name="Iteration">The episode's iteration (code actions so far) when the step was taken.</param>
/// <param name="Code">The code action's one line of code (<c>moveTo(1, 64, 2)</c>), or null for planning roles.</param>
/// <param name="Memory">The memory entries the role was given (its recent actions and outcomes, or the critic's corrections).</param>
/// <param name="Facts">The teacher's own facts the decision was a function of (Teacher/Decisions/DECISIONS.md), or null.</param>
/// <param name="Backend">The backend whose answer this is ("rules", "chat:MODEL"), or null (not written by a teacher, or before this field).</param>
/// <param name="Fallback">Why the rules answered instead of the role's chat backend, or null.</param>
public sealed record TrajectoryStep(
    int Step,
    int Iteration,
    string Role,
    int AgentId,
    string Instruction,
    string Image,
    string StateText,
    string ActionText,
    string? Code,
    StepOutcome? Outcome,
    IReadOnlyList<string> Memory,
    RoleFacts? Facts,
    string? Backend = null,
    string? Fallback = null);

/// <summary>One line of expert/context.jsonl: what the experts told the teacher at a step. Teacher-only.</summary>
/// <param name="Images">Expert images, paths relative to the episode folder (under expert/images/).</param>
/// <param name="Facts">The experts' answers as the teacher's rules took them, or null.</param>
public sealed record TrajectoryExpertContext(int Step, string Text, IReadOnlyList<TrajectoryExpertImage> Images, ExpertFacts? Facts);

/// <summary>A named expert image ("front", "map") stored as a PNG file.</summary>
public sealed record TrajectoryExpertImage(string Name, string File);
