using Steve2.Pipeline.World;

namespace Steve2.Pipeline.Environment;

/// <summary>
/// A* over standable cells (<see cref="WalkingRules"/>): each side step costs one block of movement; the
/// heuristic is the horizontal Manhattan distance to the goal column minus the goal's slack, which never
/// overestimates. The search stops after <c>nodeBudget</c> expansions. When the goal is not found, the
/// walker goes toward the expanded cell closest to the goal (partial progress).
/// </summary>
public static class PathFinder
{
    /// <summary>Searches from <paramref name="start"/>.</summary>
    /// <param name="world">The blocks.</param>
    /// <param name="start">The walker's feet cell.</param>
    /// <param name="goalColumn">The column the heuristic aims at.</param>
    /// <param name="isGoal">Whether a cell satisfies the goal.</param>
    /// <param name="slack">Horizontal distance from the goal column at which a cell may already satisfy the goal (0 for an exact cell).</param>
    /// <param name="maxSearchSteps">Cells farther than this many steps from the start are not expanded.</param>
    /// <param name="maxWalk">The returned path is cut to this many steps.</param>
    /// <param name="nodeBudget">Most nodes to expand.</param>
    public static PathResult Find(VoxelWorld world, BlockPos start, (int X, int Z) goalColumn, Func<BlockPos, bool> isGoal,
        int slack, int maxSearchSteps, int maxWalk, int nodeBudget)
    {
        int H(BlockPos p) => Math.Max(0, Math.Abs(p.X - goalColumn.X) + Math.Abs(p.Z - goalColumn.Z) - slack);

        if (isGoal(start)) return new PathResult([], true, true, 0, 0);
        var parent = new Dictionary<BlockPos, BlockPos>();
        var cost = new Dictionary<BlockPos, int> { [start] = 0 };
        var open = new PriorityQueue<BlockPos, (int F, int H)>();
        open.Enqueue(start, (H(start), H(start)));
        var closed = new HashSet<BlockPos>();
        BlockPos best = start;
        int bestH = H(start), bestG = 0, expanded = 0;
        BlockPos? goal = null;
        while (open.TryDequeue(out var current, out _) && expanded < nodeBudget)
        {
            if (!closed.Add(current)) continue;
            expanded++;
            int g = cost[current];
            int h = H(current);
            if (h < bestH || h == bestH && g < bestG)
            {
                best = current;
                bestH = h;
                bestG = g;
            }
            if (isGoal(current))
            {
                goal = current;
                break;
            }
            if (g >= maxSearchSteps) continue;
            foreach (var (dx, dz) in WalkingRules.SideSteps)
            {
                if (WalkingRules.Step(world, current, dx, dz) is not { } next || closed.Contains(next)) continue;
                int ng = g + 1;
                if (cost.TryGetValue(next, out int old) && old <= ng) continue;
                cost[next] = ng;
                parent[next] = current;
                int nh = H(next);
                open.Enqueue(next, (ng + nh, nh));
            }
        }
        var end = goal ?? best;
        var path = new List<BlockPos>();
        for (var p = end; p != start; p = parent[p]) path.Add(p);
        path.Reverse();
        int full = path.Count;
        bool reached = goal is not null && full <= maxWalk;
        if (path.Count > maxWalk) path.RemoveRange(maxWalk, path.Count - maxWalk);
        return new PathResult(path, reached, goal is not null, full, expanded);
    }
}
