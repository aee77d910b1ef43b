using Steve2.Pipeline.Teacher.Decisions;
using Steve2.Pipeline.Teacher.Roles;

namespace Steve2.Pipeline.Teacher.Backends;

/// <summary>
/// One question to a role's backend: everything its decision may depend on, and all of it recorded with the
/// step (TRAJECTORY_FORMAT.md). The text fields are the prompt of a language model; the rule backend reads the
/// instruction and <see cref="Facts"/> (and <see cref="Expert"/>) instead. <see cref="ExpertText"/> and
/// <see cref="Expert"/> are what the experts said (the teacher's only); <see cref="Feedback"/> holds the
/// critic's rejections of earlier answers to this question.
/// </summary>
/// <param name="Memory">The role's recent memory entries (the actor: its agent's last actions and outcomes; planners: the critic's corrections).</param>
public sealed record RolePrompt(
    TeacherRole Role,
    int AgentId,
    string Instruction,
    string StateText,
    string? ExpertText,
    string OutputFormat,
    IReadOnlyList<string> Memory,
    IReadOnlyList<string> Feedback,
    RoleFacts Facts,
    ExpertFacts? Expert = null);
