using Steve2.Pipeline.World;

namespace Steve2.Pipeline.Environment;

/// <summary>
/// A* over the cells an agent may occupy (<see cref="WalkingRules"/>, swimming included): each side step is
/// one block of movement (the movement limits count every step, walked or swum); the search's cost is
/// <see cref="WalkCost"/> per step onto a standable cell and <see cref="SwimCost"/> per step into a swimming
/// cell, so land is preferred when the ways are similar. The heuristic is <see cref="WalkCost"/> times the
/// horizontal Manhattan distance to the goal column minus the goal's slack, which never overestimates. The
/// search stops after <c>nodeBudget</c> expansions. When the goal is not found, the walker goes toward the
/// expanded cell closest to the goal (partial progress).
/// </summary>
public static class PathFinder
{
    /// <summary>Search cost of a step onto a standable cell (a wade included).</summary>
    public const int WalkCost = 2;

    /// <summary>Search cost of a step into a swimming cell: swimming counts one and a half walked blocks.</summary>
    public const int SwimCost = 3;

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
        int H(BlockPos p) => WalkCost * Math.Max(0, Math.Abs(p.X - goalColumn.X) + Math.Abs(p.Z - goalColumn.Z) - slack);

        if (isGoal(start)) return new PathResult([], true, true, 0, 0);
        var parent = new Dictionary<BlockPos, BlockPos>();
        var cost = new Dictionary<BlockPos, int> { [start] = 0 };
        var steps = new Dictionary<BlockPos, int> { [start] = 0 };
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
            int s = steps[current];
            if (s >= maxSearchSteps) continue;
            foreach (var (dx, dz) in WalkingRules.SideSteps)
            {
                if (WalkingRules.Step(world, current, dx, dz, swim: true) is not { } next || closed.Contains(next)) continue;
                int ng = g + (WalkingRules.CanSwim(world, next) ? SwimCost : WalkCost);
                if (cost.TryGetValue(next, out int old) && old <= ng) continue;
                cost[next] = ng;
                steps[next] = s + 1;
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
