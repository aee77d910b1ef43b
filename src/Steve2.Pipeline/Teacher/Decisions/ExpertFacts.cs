using Steve2.Pipeline.Environment;

namespace Steve2.Pipeline.Teacher.Decisions;

/// <summary>
/// The experts' answers as the teacher's rules take them (teacher only: recorded in expert/context.jsonl,
/// never in what the student reads). Places the critic set aside are already left out.
/// </summary>
/// <param name="Frontiers">The dynamic map's frontiers for the agent, best first; null when the map gave no answer.</param>
/// <param name="SetAside">Frontier groups the map set aside as unreachable over what it has seen (their centre cells and sizes), when it offered no frontier.</param>
/// <param name="Located">Search: the targets the map located or heard, best first.</param>
/// <param name="Build">Build: the next steps of the plan made from the creation expert's imagined building.</param>
public sealed record ExpertFacts(
    IReadOnlyList<FrontierFact>? Frontiers = null,
    IReadOnlyList<SetAsideFact>? SetAside = null,
    IReadOnlyList<LocatedFact>? Located = null,
    BuildWindow? Build = null);

/// <summary>A frontier's goal cell (where to stand), score, and unseen area (the unexplored columns within 16 of the goal; 0 when the map did not say).</summary>
public sealed record FrontierFact(BlockPos Goal, double Score, int Unseen = 0);

/// <summary>A set-aside frontier group: its centre cell and size in cells.</summary>
public sealed record SetAsideFact(BlockPos Cell, int Size);

/// <summary>
/// A target the map located (<see cref="Position"/>) or only heard from <see cref="Bearing"/>. <see cref="Radius"/> is the
/// map's uncertainty of a located one (blocks; null in older records); for an uncertain one (radius above
/// <see cref="Rules.SearchRules.ExactRadius"/>) <see cref="Unseen"/> lists the points of its area (the centre and eight
/// points at 0.6 of the radius) whose columns the team has not seen yet, nearest first.
/// </summary>
public sealed record LocatedFact(BlockPos? Position, Direction? Bearing, double? Radius = null, IReadOnlyList<BlockPos>? Unseen = null);
