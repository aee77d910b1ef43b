using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Experts;

namespace Steve2.Pipeline.Teacher.Planning;

/// <summary>One block of a build plan in world coordinates: place it (building or scaffold) or remove it (a scaffold).</summary>
public sealed record PlanStep(int Index, BlockPos Position, PlannedBlockAction Action);
