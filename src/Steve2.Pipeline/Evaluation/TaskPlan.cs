using Steve2.Pipeline.Tasks;

namespace Steve2.Pipeline.Evaluation;

/// <summary>A task and the seeds to play it on.</summary>
public sealed record TaskPlan(ITaskDefinition Task, IReadOnlyList<int> Seeds);
