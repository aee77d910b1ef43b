using Steve2.Pipeline.Teacher.Roles;

namespace Steve2.Pipeline.Teacher.Backends;

/// <summary>
/// One question to a role's backend. The text fields are the prompt of a language model; the rule backend
/// reads <see cref="Situation"/> instead. <see cref="ExpertText"/> is what the experts said (the teacher's
/// only); <see cref="Feedback"/> holds the critic's rejections of earlier answers to this question.
/// </summary>
public sealed record RolePrompt(
    TeacherRole Role,
    int AgentId,
    string Instruction,
    string StateText,
    string? ExpertText,
    string OutputFormat,
    IReadOnlyList<string> Memory,
    IReadOnlyList<string> Feedback,
    TeacherSituation Situation);
