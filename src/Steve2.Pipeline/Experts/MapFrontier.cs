using Steve2.Pipeline.Environment;

namespace Steve2.Pipeline.Experts;

/// <summary>A frontier of the dynamic map for one agent: where to walk (<see cref="Goal"/>, the frontier cell
/// nearest by walking), how many cells it has and how far it is by path; <see cref="UnseenArea"/>: the unexplored
/// columns around its goal (what going there may reveal); <see cref="InferredCells"/>: its cells inferred between
/// sparse ground samples.</summary>
public sealed record MapFrontier(int Rank, int Size, BlockPos Goal, Vec3 Centroid, double PathDistance, double Score, int UnseenArea = 0, int InferredCells = 0);

/// <summary>A frontier group the map set aside for an agent, with the reason ("smaller than ...", "unreachable: ...", "blacklisted ...").</summary>
public sealed record SetAsideFrontier(int Size, Vec3 Centroid, string Reason);

/// <summary>The frontiers offered to an agent, the ones set aside, and why none is offered (when none is).</summary>
public sealed record FrontierAnswer(IReadOnlyList<MapFrontier> Frontiers, string WhyNone, IReadOnlyList<SetAsideFrontier> SetAside);
