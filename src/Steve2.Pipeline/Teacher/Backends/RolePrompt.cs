using Steve2.Pipeline.Agents;
using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Teacher.Decisions;
using Steve2.Pipeline.Teacher.Roles;

namespace Steve2.Pipeline.Teacher.Backends;

/// <summary>
/// One question to a role's backend: everything its decision may depend on, and all of it recorded with the
/// step (TRAJECTORY_FORMAT.md). The text fields are the prompt of a language model; the rule backend reads the
/// instruction and <see cref="Facts"/> (and <see cref="Expert"/>) instead. <see cref="ExpertText"/> and
/// <see cref="Expert"/> are what the experts said (the teacher's only); <see cref="Feedback"/> holds the
/// critic's rejections of earlier answers to this question. <see cref="Views"/> and <see cref="Pictures"/> are
/// what a multimodal chat backend may be shown (the rules never read them): the agents' egocentric views (the
/// step's recorded image is one of them) and named pictures: the task's target image ("target") and the experts'
/// pictures of this step (the creation renders "front", "side", "top", "isometric"; the dynamic map "map").
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
    ExpertFacts? Expert = null,
    IReadOnlyList<AgentView>? Views = null,
    IReadOnlyList<NamedImage>? Pictures = null);

/// <summary>An agent's egocentric view (64 x 64 RGB) as a role's prompt carries it.</summary>
public sealed record AgentView(int AgentId, RgbImage Image);
