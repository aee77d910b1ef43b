using Steve2.Pipeline.Teacher.Planning;

namespace Steve2.Pipeline.Teacher.Decisions;

/// <summary>
/// What a conductor sees of a build plan: its next <see cref="SitePlan.Window"/> pending steps in plan order,
/// the ones teammates have claimed, and how much is left.
/// </summary>
/// <param name="Pending">The first pending (not done, not given up) steps, in plan order.</param>
/// <param name="ClaimedByTeammates">Indices of steps other agents are working on.</param>
/// <param name="Remaining">Steps not done yet.</param>
/// <param name="Total">Steps in the plan.</param>
/// <param name="Item">The block the plan is built with (the goal's material).</param>
public sealed record BuildWindow(IReadOnlyList<PlanStep> Pending, IReadOnlyList<int> ClaimedByTeammates, int Remaining, int Total, string Item = Tasks.CreationTask.Material);
