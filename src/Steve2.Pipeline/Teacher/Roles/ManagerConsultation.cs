using Steve2.Pipeline.Agents;
using Steve2.Pipeline.Teacher.Planning;

namespace Steve2.Pipeline.Teacher.Roles;

/// <summary>What the manager learnt from the experts before deciding.</summary>
/// <param name="Expert">The experts' output for this step (teacher only), or null.</param>
/// <param name="Plan">The build plan made on the first creation call (the caller keeps it), or null.</param>
/// <param name="Correction">A correction for the shared memory (the creation expert gave nothing usable), or null.</param>
public sealed record ManagerConsultation(ExpertContext? Expert, SitePlan? Plan, string? Correction);
