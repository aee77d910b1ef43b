using Expert.DynamicMap.Episodes;
using Expert.DynamicMap.Geometry;
using Expert.DynamicMap.Storage;

namespace Expert.DynamicMap.Frontiers;

/// <summary>
/// Finds frontiers around an agent: standing cells, observed (<see cref="MapWalkability"/>), where agents stood,
/// or inferred between sparse ground samples (<see cref="GroundSurvey"/>), next to unexplored columns; grouped by
/// 8-connectivity in x/z with |dy| ≤ 1 (cut into 16-column tiles when wider), reached from the agent by a
/// breadth-first walk over standing cells (4 neighbours, one step up or up to three down), ranked by
/// score = GainWeight × size + UnseenWeight × unseen area − DistanceWeight × path distance, the goal never within
/// 3 columns of the agent. Groups that the walk does not reach, that a client blacklisted, that are smaller than
/// MinSize, or that are reached only at the agent's place are set aside with a reason (MAP_LAYOUT.md §5).
/// </summary>
internal static class FrontierFinder
{
    private static readonly (int Dx, int Dz)[] Four = [(1, 0), (-1, 0), (0, 1), (0, -1)];

    public static FrontierReport Find(MapState state, FrontierRequest request)
    {
        var agent = state.Agents.Find(request.AgentId)
            ?? throw new MapNotFoundException($"Agent '{request.AgentId}' has not reported in this episode.");
        var pose = agent.Pose;
        var start = new Cell(CellMath.Cell(pose.X), CellMath.Cell(pose.Y), CellMath.Cell(pose.Z));
        int yMin = request.YMin ?? start.Y - request.VerticalReach;
        int yMax = request.YMax ?? start.Y + request.VerticalReach;
        var region = MapRegion.Around(start.X, start.Z, request.Radius, yMin, yMax);

        var kinds = state.Palette.Kinds;
        var store = state.Store;
        var reader = new CellReader(store);

        // 1. Known standing cells in the region, and a survey of the columns around it (the region widened by the
        // sample radius and the gain radius): surface samples, explored columns.
        int margin = Math.Max(GroundSurvey.SampleRadius, GainRadius);
        var box = MapRegion.Around(start.X, start.Z, request.Radius + margin, yMin, yMax);
        var survey = new GroundSurvey(box);
        var foliage = state.Palette.Names.Select(GroundSurvey.IsFoliage).ToArray();
        var standing = new HashSet<long>(PackedKeyComparer.Instance);
        var standingCells = new List<Cell>();
        long known = 0;
        for (int cy = yMin >> Chunk.Shift; cy <= yMax >> Chunk.Shift; cy++)
        for (int cz = box.Z0 >> Chunk.Shift; cz <= (box.Z1 - 1) >> Chunk.Shift; cz++)
        for (int cx = box.X0 >> Chunk.Shift; cx <= (box.X1 - 1) >> Chunk.Shift; cx++)
        {
            var chunk = store.TryGet(new ChunkKey(cx, cy, cz));
            if (chunk is null || chunk.Known == 0) continue;
            int x0 = Math.Max(box.X0, cx << Chunk.Shift), x1 = Math.Min(box.X1, (cx + 1) << Chunk.Shift);
            int z0 = Math.Max(box.Z0, cz << Chunk.Shift), z1 = Math.Min(box.Z1, (cz + 1) << Chunk.Shift);
            int y0 = Math.Max(yMin, cy << Chunk.Shift), y1 = Math.Min(yMax + 1, (cy + 1) << Chunk.Shift);
            for (int y = y0; y < y1; y++)
            for (int z = z0; z < z1; z++)
            for (int x = x0; x < x1; x++)
            {
                ushort block = chunk.Blocks[Chunk.Index(x & Chunk.Mask, y & Chunk.Mask, z & Chunk.Mask)];
                if (block == BlockPalette.UnknownId) continue;
                survey.Known(ref reader, kinds, x, y, z, kinds[block], foliage[block]);
                bool inRegion = region.ContainsColumn(x, z);
                if (inRegion) known++;
                if (!MapWalkability.IsOpen(kinds[block]) || !MapWalkability.IsStanding(ref reader, kinds, x, y, z)) continue;
                if (!foliage[reader.BlockAt(x, y - 1, z)]) survey.Standing(x, y, z);   // a canopy top is no ground sample
                if (!inRegion) continue;
                standing.Add(CellMath.Pack(x, y, z));
                standingCells.Add(new Cell(x, y, z));
            }
        }

        // Where agents have stood (their reported feet cells) is standing ground, seen or not.
        foreach (var track in state.Agents.All)
        foreach (var visit in track.VisitCounts())
        {
            if (!box.ContainsCell(visit.X, visit.Y, visit.Z) || kinds[reader.BlockAt(visit.X, visit.Y, visit.Z)] is BlockKind.Solid or BlockKind.Liquid) continue;
            survey.Standing(visit.X, visit.Y, visit.Z);
            if (region.ContainsColumn(visit.X, visit.Z) && standing.Add(CellMath.Pack(visit.X, visit.Y, visit.Z)))
                standingCells.Add(new Cell(visit.X, visit.Y, visit.Z));
        }

        // 1b. Standing cells inferred between sparse ground samples (GroundSurvey), then the frontier cells: standing
        // cells, seen or inferred, beside a column that is unexplored at their level and has no inferred ground.
        var inferred = request.ObservedOnly || known == 0 ? [] : survey.Infer(ref reader, kinds, region);
        foreach (var cell in inferred)
        {
            standing.Add(cell.Packed);
            standingCells.Add(cell);
        }
        var inferredSet = new HashSet<long>(inferred.Select(c => c.Packed), PackedKeyComparer.Instance);
        var frontierCells = new List<Cell>();
        foreach (var cell in standingCells)
            if (BordersUnknown(ref reader, survey, cell)) frontierCells.Add(cell);

        // 2. Path distances from the agent over standing cells.
        var distance = new Dictionary<long, int>(PackedKeyComparer.Instance);
        var queue = new Queue<Cell>();
        distance[start.Packed] = 0;
        queue.Enqueue(start);
        while (queue.Count > 0)
        {
            var cell = queue.Dequeue();
            int next = distance[cell.Packed] + 1;
            foreach (var (dx, dz) in Four)
            for (int dy = 1; dy >= -3; dy--)
            {
                var neighbour = new Cell(cell.X + dx, cell.Y + dy, cell.Z + dz);
                long key = neighbour.Packed;
                if (!standing.Contains(key) || distance.ContainsKey(key)) continue;
                if (dy < 0 && !FallIsOpen(ref reader, kinds, neighbour.X, neighbour.Y + 1, cell.Y + 1, neighbour.Z)) continue;
                distance[key] = next;
                queue.Enqueue(neighbour);
            }
        }

        // 3. Groups of frontier cells.
        var frontierSet = new HashSet<long>(frontierCells.Select(c => c.Packed), PackedKeyComparer.Instance);
        var assigned = new HashSet<long>(PackedKeyComparer.Instance);
        var groups = new List<List<Cell>>();
        foreach (var seed in frontierCells)
        {
            if (!assigned.Add(seed.Packed)) continue;
            var group = new List<Cell> { seed };
            var pending = new Queue<Cell>();
            pending.Enqueue(seed);
            while (pending.Count > 0)
            {
                var cell = pending.Dequeue();
                for (int dx = -1; dx <= 1; dx++)
                for (int dz = -1; dz <= 1; dz++)
                for (int dy = -1; dy <= 1; dy++)
                {
                    if (dx == 0 && dz == 0) continue;
                    var neighbour = new Cell(cell.X + dx, cell.Y + dy, cell.Z + dz);
                    long key = neighbour.Packed;
                    if (!frontierSet.Contains(key) || !assigned.Add(key)) continue;
                    group.Add(neighbour);
                    pending.Enqueue(neighbour);
                }
            }
            groups.AddRange(Split(group));
        }

        // 4. Rank, or set aside.
        var ranked = new List<Frontier>();
        var setAside = new List<SetAsideFrontier>();
        int unreachable = 0, blacklisted = 0, small = 0, atAgent = 0;
        var agentPosition = pose.Position;
        foreach (var group in groups)
        {
            var centroid = new Vec3(group.Average(c => c.X + 0.5), group.Average(c => c.Y + 0.5), group.Average(c => c.Z + 0.5));
            var blocked = group.Select(c => state.Blacklist.Covering(c, request.AgentId)).FirstOrDefault(e => e is not null);
            if (blocked is not null)
            {
                blacklisted++;
                setAside.Add(new SetAsideFrontier(group.Count, centroid, $"blacklisted near {blocked.Cell}: {blocked.Reason}"));
                continue;
            }
            if (group.Count < request.MinSize)
            {
                small++;
                setAside.Add(new SetAsideFrontier(group.Count, centroid, $"too small: {group.Count} cells, MinSize is {request.MinSize}"));
                continue;
            }
            Cell? goal = null;
            int best = int.MaxValue;
            bool reached = false;
            foreach (var cell in group)
            {
                if (!distance.TryGetValue(cell.Packed, out int d)) continue;
                reached = true;
                if (AtAgent(cell, start)) continue;
                if (d < best || (d == best && Compare(cell, goal!.Value) < 0))
                {
                    best = d;
                    goal = cell;
                }
            }
            if (goal is null)
            {
                if (reached)
                {
                    atAgent++;
                    setAside.Add(new SetAsideFrontier(group.Count, centroid,
                        $"at the agent: every reachable cell is within {MinGoalDistance} columns of {request.AgentId} at {start}; look around instead"));
                    continue;
                }
                unreachable++;
                setAside.Add(new SetAsideFrontier(group.Count, centroid,
                    $"unreachable: no path over explored standing cells from {request.AgentId} at {start}"));
                continue;
            }
            int unseen = survey.UnexploredAround(goal.Value.X, goal.Value.Z, GainRadius);
            double score = request.GainWeight * group.Count + request.UnseenWeight * unseen - request.DistanceWeight * best;
            var sorted = group.OrderBy(c => c.X).ThenBy(c => c.Z).ThenBy(c => c.Y).ToArray();
            ranked.Add(new Frontier(0, group.Count, centroid, goal.Value, best, agentPosition.DistanceTo(goal.Value.Center), score, sorted,
                unseen, group.Count(c => inferredSet.Contains(c.Packed))));
        }

        var ordered = ranked
            .OrderByDescending(f => f.Score).ThenBy(f => f.PathDistance).ThenBy(f => f.Goal.X).ThenBy(f => f.Goal.Z).ThenBy(f => f.Goal.Y)
            .Take(Math.Max(0, request.MaxResults))
            .Select((f, i) => f with { Rank = i + 1 })
            .ToArray();

        var stats = new FrontierStats(known, standing.Count, distance.Count - (standing.Contains(start.Packed) ? 0 : 1),
            frontierCells.Count, groups.Count, region, inferred.Count);
        string? whyNone = ordered.Length > 0 ? null : ExplainNone(request, start, stats, unreachable, blacklisted, small, atAgent);
        return new FrontierReport(request.AgentId, start,
            ordered, setAside.OrderByDescending(s => s.Size).ToArray(), whyNone, stats);
    }

    /// <summary>Frontier goals are at least this far (columns, horizontally) from the agent: never its own place.</summary>
    public const double MinGoalDistance = 3;

    /// <summary>A frontier's unseen area counts the unexplored columns within this many columns (a square) of its goal.</summary>
    public const int GainRadius = 16;

    /// <summary>Frontier groups wider or deeper than this many columns are cut into tiles of this size (a rim around a whole area is many places to go, not one).</summary>
    public const int MaxGroupExtent = 16;

    private static IEnumerable<List<Cell>> Split(List<Cell> group)
    {
        int minX = group.Min(c => c.X), maxX = group.Max(c => c.X), minZ = group.Min(c => c.Z), maxZ = group.Max(c => c.Z);
        if (maxX - minX < MaxGroupExtent && maxZ - minZ < MaxGroupExtent) return [group];
        return group.GroupBy(c => (Math.Floor((double)c.X / MaxGroupExtent), Math.Floor((double)c.Z / MaxGroupExtent)))
            .OrderBy(g => g.Key.Item1).ThenBy(g => g.Key.Item2).Select(g => g.ToList());
    }

    private static bool AtAgent(Cell cell, Cell start)
    {
        double dx = cell.X - start.X, dz = cell.Z - start.Z;
        return dx * dx + dz * dz < MinGoalDistance * MinGoalDistance;
    }

    /// <summary>
    /// A standing cell is a frontier cell when a horizontal neighbour column is unexplored at its level
    /// (<see cref="MapWalkability.Unexplored"/>) and has no inferred ground either.
    /// </summary>
    private static bool BordersUnknown(ref CellReader reader, GroundSurvey survey, Cell c)
    {
        foreach (var (dx, dz) in Four)
        {
            int x = c.X + dx, z = c.Z + dz;
            if (MapWalkability.Unexplored(ref reader, x, c.Y, z) && survey.InferredFeet(x, z) is null) return true;
        }
        return false;
    }

    /// <summary>A drop into a lower neighbour passes its cells from <paramref name="from"/> up to <paramref name="to"/>: none may be solid.</summary>
    private static bool FallIsOpen(ref CellReader reader, BlockKind[] kinds, int x, int from, int to, int z)
    {
        for (int y = from; y <= to; y++)
            if (kinds[reader.BlockAt(x, y, z)] == BlockKind.Solid) return false;
        return true;
    }

    private static int Compare(Cell a, Cell b) =>
        a.X != b.X ? a.X.CompareTo(b.X) : a.Z != b.Z ? a.Z.CompareTo(b.Z) : a.Y.CompareTo(b.Y);

    private static string ExplainNone(FrontierRequest request, Cell start, FrontierStats stats, int unreachable, int blacklisted, int small, int atAgent)
    {
        var r = stats.Region;
        string where = $"within {request.Radius} columns of {request.AgentId} at {start}, y {r.YMin}..{r.YMax}";
        if (stats.KnownCells == 0)
            return $"The map is empty {where}: nothing has been observed there yet. Look around (send observations with blocks) before asking for frontiers.";
        if (stats.StandingCells == 0)
            return $"{stats.KnownCells} cells are known {where}, but none is a standing place (a solid floor with open, seen air above). "
                + "Observe the ground around the agent, or widen the vertical range.";
        if (stats.FrontierCells == 0)
            return $"No frontier {where}: all {stats.StandingCells} standing cells ({stats.ReachableCells} reachable from the agent) are bounded by known cells. "
                + "The reachable area is fully explored and enclosed; to go on, dig or build out of it, or search another vertical range or a wider radius.";
        return $"{stats.Groups} frontier groups exist {where}, but none can be offered: "
            + $"{unreachable} unreachable from the agent over explored ground, {blacklisted} blacklisted as unreachable, {small} smaller than {request.MinSize} cells, {atAgent} only at the agent's own place.";
    }
}
