using Steve2.Pipeline.Environment;

namespace Steve2.Pipeline.Teacher.Decisions;

/// <summary>
/// A conductor's facts about one agent: where it is, what it and the team hold, what its teammates are
/// heading for, and what the team remembers that its part needs (DECISIONS.md). Facts a part does not use
/// are null or empty.
/// </summary>
/// <param name="Feet">The agent's block.</param>
/// <param name="Yaw">The agent's yaw in degrees (0 south, 90 west).</param>
/// <param name="Pitch">The agent's pitch in degrees (+90 down).</param>
/// <param name="Inventory">The agent's items.</param>
/// <param name="TeamInventory">The team's items (every agent's latest inventory summed).</param>
/// <param name="GoalMaterials">The goal's materials (collection), or null.</param>
/// <param name="PreviousDirective">The agent's directive of its previous iteration (directive text), or null on its first.</param>
/// <param name="TeammateGoals">Where the agent's teammates are heading now (their <c>goto</c> targets).</param>
/// <param name="BlockedDirections">Exploration directions the critic found blocked for this agent.</param>
/// <param name="UnseenColumns">
/// For each of the eight compass directions (north, northeast, east, ... northwest), how many of the 42 sample
/// points 20..50 blocks ahead have no column seen by the team within one block (<see cref="Knowledge.TeamKnowledge.UnseenColumns"/>).
/// </param>
/// <param name="Unreachable">Places the critic set aside as unreachable, within 64 columns of the agent (sorted).</param>
/// <param name="SeenTarget">Search: the nearest animal of the searched kind any agent has seen, not set aside; or null.</param>
/// <param name="Sound">Search: the latest sound of the searched kind, or null.</param>
/// <param name="LowestOpening">Find: the lowest open floor the team has seen at least 4 blocks below the agent (where to stand), or null.</param>
/// <param name="GatherWaiting">Collect: items whose gathering found no source and waits for the critic's retry time.</param>
/// <param name="SeenSources">
/// Collect: for each item whose gathering waits (<paramref name="GatherWaiting"/>), the nearest block the team has
/// seen that yields it and that the agent's pickaxe harvests, within 45 columns (one move), not within 4 columns of a
/// place set aside as unreachable; items without one are left out. Null for other parts.
/// </param>
/// <param name="UnseenAhead">
/// For each of the eight compass directions, how many of the 108 sample points 40..95 blocks ahead (every 5 ahead,
/// every 5 to the side, 20 each way) have no column seen by the team within one block: what an <c>explore</c> of 50
/// blocks that way and the look at its end may reveal (<see cref="Knowledge.TeamKnowledge.UnseenAhead"/>). Null in
/// recordings made before it existed (the rules then read <paramref name="UnseenColumns"/>).
/// </param>
/// <param name="UnviewedAround">
/// Search: for each of the eight compass directions, how many of the 40 sample points 12..40 blocks that way (every 7
/// ahead, every 4 to the side, 8 each way) the team has neither seen nor swept with a camera
/// (<see cref="Knowledge.TeamKnowledge.UnviewedAround"/>): what one look that way may show. Null for other parts and in older recordings.
/// </param>
/// <param name="UnreachableAreas">Areas the critic set aside as unreachable (<see cref="SetAsideArea"/>), within 64 columns of the agent (sorted); null in older recordings.</param>
/// <param name="Build">Build: the next steps of the teacher's own build plan (a plan the creation expert made is expert output: <see cref="ExpertFacts.Build"/>).</param>
/// <param name="SeenTargets">Search: up to four targets any agent has seen (animals of the kind, or chest blocks for "chest"), not set aside, nearest first; null in older records.</param>
/// <param name="StructureHint">Search for a chest: where to go to see into the nearest structure the team has seen (<see cref="SearchPerception.StructureHint"/>), or null.</param>
/// <param name="TeammateTargets">Search: where the agent's teammates are heading (their approach, open, goto and look targets) and how far each teammate is from it; null in older records.</param>
/// <param name="DeepFloor">Find: the nearest open floor the team has seen in the diamond layer (standing y &lt;= <see cref="Rules.BlockSearchRules.DeepFloorTop"/>), 8..40 columns away, where no agent has stood within 5 blocks, not set aside; or null.</param>
/// <param name="DeepVisited">Find: where agents have stood in the diamond layer, within 48 columns of the agent (null reads as none).</param>
public sealed record ConductorFacts(
    BlockPos Feet,
    double Yaw,
    double Pitch,
    IReadOnlyDictionary<string, int> Inventory,
    IReadOnlyDictionary<string, int> TeamInventory,
    IReadOnlyDictionary<string, int>? GoalMaterials,
    string? PreviousDirective,
    IReadOnlyList<BlockPos> TeammateGoals,
    IReadOnlyList<Direction> BlockedDirections,
    IReadOnlyList<int> UnseenColumns,
    IReadOnlyList<BlockPos> Unreachable,
    BlockPos? SeenTarget,
    SoundFact? Sound,
    BlockPos? LowestOpening,
    IReadOnlyList<string> GatherWaiting,
    BuildWindow? Build,
    IReadOnlyList<BlockPos>? SeenTargets = null,
    IReadOnlyList<TeammateTarget>? TeammateTargets = null,
    BlockPos? StructureHint = null,
    IReadOnlyDictionary<string, BlockPos>? SeenSources = null,
    BlockPos? DeepFloor = null,
    IReadOnlyList<BlockPos>? DeepVisited = null,
    IReadOnlyList<int>? UnseenAhead = null,
    IReadOnlyList<SetAsideArea>? UnreachableAreas = null,
    IReadOnlyList<int>? UnviewedAround = null) : RoleFacts;

/// <summary>A teammate's current target and the teammate's distance to it (blocks, horizontal).</summary>
public sealed record TeammateTarget(BlockPos Target, double Distance);

/// <summary>
/// The latest sound of the searched kind: where it came from when the listener was near it (not set aside), else its bearing
/// and, by the world's hearing model (loudness = 1 - distance / 64, OBSERVATIONS.md), an estimate of where it was made: an
/// area of <see cref="Radius"/> blocks around <see cref="Estimate"/>, with the points of it the team has not seen yet
/// (<see cref="Rules.SearchRules.UnseenInArea"/>).
/// </summary>
/// <param name="Position">The source's block, when heard near and not set aside as unreachable.</param>
/// <param name="Bearing">The compass direction it came from, when it was heard from afar.</param>
/// <param name="Estimate">Heard from afar: the listener's eye plus the direction times the range the loudness gives (not set aside); null in older records.</param>
/// <param name="Radius">The estimate's radius: a sixth of the range, at least 5 blocks (the animal wanders after it was heard).</param>
/// <param name="Unseen">The estimate area's points no agent has seen yet, nearest first.</param>
public sealed record SoundFact(BlockPos? Position, Direction? Bearing, BlockPos? Estimate = null, double? Radius = null, IReadOnlyList<BlockPos>? Unseen = null);
