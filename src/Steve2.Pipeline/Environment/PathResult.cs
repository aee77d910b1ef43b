namespace Steve2.Pipeline.Environment;

/// <summary>
/// A path search's answer. <paramref name="Path"/> runs from the cell after the start to the last cell
/// walked (already cut to the walking limit); empty when the walker stays.
/// </summary>
/// <param name="Path">Feet cells to walk through, in order.</param>
/// <param name="ReachedGoal">Whether the last cell of <paramref name="Path"/> satisfies the goal.</param>
/// <param name="GoalFound">Whether the search found the goal at all (even if beyond the walking limit).</param>
/// <param name="FullLength">Horizontal steps of the whole path to the goal when found, else of the path to the closest cell.</param>
/// <param name="NodesExpanded">Search nodes expanded (bounded by the node budget).</param>
public sealed record PathResult(IReadOnlyList<BlockPos> Path, bool ReachedGoal, bool GoalFound, int FullLength, int NodesExpanded);
