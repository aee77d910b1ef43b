using Steve2.Pipeline.Student.Data;

namespace Steve2.Pipeline.Student.Distillation;

/// <summary>One answer the student sampled at a decision, and the teacher critic's verdict on it (<see cref="DaggerJudge"/>).</summary>
/// <param name="Verdict">"same" (the teacher's answer), "unparseable", "infeasible", "off-plan", "explored" or "differs".</param>
/// <param name="Problem">The parser's or the critic's reason, or what the task's measure found; null for "same" and "differs".</param>
public sealed record DaggerSample(string Text, string Verdict, string? Problem);

/// <summary>
/// One decision of a DAgger rollout: what the student read (<see cref="Prompt"/>, exactly as it played; the image by
/// the SHA-256 of its pixels in the episode's image file), every answer it sampled with the critic's verdict, the
/// teacher's label in the same state (with experts when the labelling teacher has them: the rules on the teacher's
/// facts and <c>ExpertFacts</c>; the expert output itself is never stored here), which of the two was executed, and
/// the round's beta. <see cref="Step"/> is the decision's index in the episode's recorded steps.
/// </summary>
public sealed record DaggerLabel(
    string Task,
    int Seed,
    int Step,
    int Iteration,
    string Role,
    int AgentId,
    StudentPrompt Prompt,
    string Image,
    IReadOnlyList<DaggerSample> Student,
    string Teacher,
    string? TeacherProblem,
    string Executed,
    double Beta);
