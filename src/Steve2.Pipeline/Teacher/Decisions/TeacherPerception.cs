using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Teacher.Planning;
using Steve2.Pipeline.Teacher.Roles;
using Steve2.Pipeline.Teacher.Rules;

namespace Steve2.Pipeline.Teacher.Decisions;

/// <summary>
/// Turns the teacher's state into the facts each role decides on (DECISIONS.md): queries of the team's own
/// knowledge (the nearest animal seen, the lowest open floor seen, how much is unseen each way) and of the
/// critic's corrections, resolved for one agent and its current part. Reads, never writes. Everything the rule
/// backend decides on, except the experts' answers (<see cref="ExpertFacts"/>), comes from here.
/// </summary>
public static class TeacherPerception
{
    /// <summary>Places set aside within this many columns of the agent are listed in its facts.</summary>
    public const int UnreachableRadius = 64;

    public static ManagerFacts Manager(TeacherSituation s) =>
        new(s.Goal.Task, s.AgentCount, s.TargetKind, s.Goal.TargetName, s.Goal.Materials, TeamInventory(s),
            s.Goal.Materials is null ? null : Enumerable.Range(0, s.AgentCount).Select(a => AgentInventory(s, a)).ToArray());

    public static ConductorFacts Conductor(TeacherSituation s, int agent, SubTask part)
    {
        Observation o = s.Latest(agent);
        BlockPos feet = o.Pose.Block;
        var teammateGoals = s.Directives
            .Where(d => d.Key != agent && s.TeamOf(d.Key) == s.TeamOf(agent) && d.Value.Kind == DirectiveKind.GoTo)
            .OrderBy(d => d.Key).Select(d => d.Value.Target).ToArray();
        var unreachable = s.Unreachable
            .Where(p => Math.Abs(p.X - feet.X) <= UnreachableRadius && Math.Abs(p.Z - feet.Z) <= UnreachableRadius)
            .OrderBy(p => p.X).ThenBy(p => p.Y).ThenBy(p => p.Z).ToArray();
        var areas = s.UnreachableAreas
            .Where(a => Math.Abs(a.Center.X - feet.X) <= UnreachableRadius + a.Radius && Math.Abs(a.Center.Z - feet.Z) <= UnreachableRadius + a.Radius)
            .Distinct().OrderBy(a => a.Center.X).ThenBy(a => a.Center.Y).ThenBy(a => a.Center.Z).ThenBy(a => a.Radius).ToArray();
        BlockPos? seen = null;
        SoundFact? sound = null;
        IReadOnlyList<BlockPos>? seenTargets = null;
        IReadOnlyList<TeammateTarget>? teammateTargets = null;
        if (part.Kind == SubTaskKind.Search)
        {
            seenTargets = SearchPerception.SeenTargets(s, part.Argument, o.Pose.Position);
            teammateTargets = SearchPerception.TeammateTargets(s, agent);
            seen = seenTargets.Count > 0 ? seenTargets[0] : null;
            if (s.Knowledge.LatestSound(part.Argument) is { } heard)
                sound = heard.Sound.Position is Vec3 p
                    ? new SoundFact(s.Unreachable.Contains(p.Floor()) ? null : p.Floor(), null)
                    : SearchPerception.FarSound(s, heard.Sound, heard.Listener, feet);
        }
        var waiting = s.GatherRetryAfter.Where(r => r.Key.Agent == agent && s.Knowledge.Tick < r.Value)
            .Select(r => r.Key.Item).Order(StringComparer.Ordinal).ToArray();
        return new ConductorFacts(
            feet, o.Pose.Yaw, o.Pose.Pitch,
            o.Inventory, TeamInventory(s), s.Goal.Materials,
            s.Directives.GetValueOrDefault(agent)?.ToText(),
            teammateGoals,
            (s.BlockedDirections.GetValueOrDefault(agent) ?? []).Order().ToArray(),
            s.Knowledge.UnseenColumns(feet),
            unreachable,
            seen,
            sound,
            part.Kind == SubTaskKind.Find ? LowestOpening(s, feet) : null,
            waiting,
            part.Kind == SubTaskKind.Build && s.Plan is { FromExpert: false } plan ? plan.WindowFor(agent) : null,
            seenTargets,
            teammateTargets,
            part.Kind == SubTaskKind.Search && SearchPerception.IsChest(part.Argument) && seen is null ? SearchPerception.StructureHint(s, feet, part.Argument) : null,
            part.Kind == SubTaskKind.Collect ? SeenSources(s, feet, waiting, o.Inventory) : null,
            part.Kind == SubTaskKind.Find ? DeepFloor(s, feet) : null,
            part.Kind == SubTaskKind.Find
                ? s.Knowledge.Visited.Where(v => v.Y <= BlockSearchRules.DeepFloorTop && Math.Abs(v.X - feet.X) <= 48 && Math.Abs(v.Z - feet.Z) <= 48).ToArray()
                : null,
            s.Knowledge.UnseenAhead(feet),
            areas,
            part.Kind == SubTaskKind.Search ? s.Knowledge.UnviewedAround(feet) : null);
    }

    public static ActorFacts Actor(TeacherSituation s, int agent, Directive directive)
    {
        Observation o = s.Latest(agent);
        BlockPos? stand = directive.Kind is DirectiveKind.Place or DirectiveKind.Mine
            ? directive.To is BlockPos far ? StandForBox(s, o.Pose.Block, directive.Target, far) : StandNear(s, o.Pose.Block, directive.Target)
            : directive.Kind == DirectiveKind.Open ? SearchPerception.StandBeside(s, o.Pose.Block, directive.Target) : null;
        return new ActorFacts(o.Pose, s.Options.Reach, o.Inventory, stand);
    }

    /// <summary>One agent's items in item order (empty before its first observation).</summary>
    private static IReadOnlyDictionary<string, int> AgentInventory(TeacherSituation s, int agent) =>
        new SortedDictionary<string, int>(s.Knowledge.Latest.TryGetValue(agent, out Observation? o) ? o.Inventory.ToDictionary() : [], StringComparer.Ordinal);

    /// <summary>Items the whole team holds (every agent's latest inventory summed), in item order.</summary>
    public static IReadOnlyDictionary<string, int> TeamInventory(TeacherSituation s)
    {
        var team = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (Observation o in s.Knowledge.Latest.Values)
            foreach (var (item, count) in o.Inventory)
                team[item] = team.GetValueOrDefault(item) + count;
        return team;
    }

    /// <summary>Collect: sources the team has seen are offered within this many columns (horizontal distance) of the agent, one move.</summary>
    public const int SeenSourceRadius = ActorRules.MoveRange;

    /// <summary>
    /// For each item waiting to be gathered, the nearest block the team has seen (its latest content) that yields it and
    /// that the agent's best pickaxe harvests, within <see cref="SeenSourceRadius"/> columns, and not within 4 columns
    /// (8 blocks up or down) of a place set aside as unreachable (a failed move there condemns its neighbourhood, not one
    /// cell). Ties go to the smallest position, so the fact does not depend on the order blocks were seen in.
    /// </summary>
    private static IReadOnlyDictionary<string, BlockPos> SeenSources(TeacherSituation s, BlockPos feet, IReadOnlyList<string> waiting, IReadOnlyDictionary<string, int> inventory)
    {
        var found = new SortedDictionary<string, BlockPos>(StringComparer.Ordinal);
        if (waiting.Count == 0) return found;
        World.ToolTier tool = World.BlockTable.BestTool(inventory);
        foreach (string item in waiting)
        {
            BlockPos? best = null;
            foreach (var (p, block) in s.Knowledge.Blocks)
            {
                World.BlockInfo info = World.BlockTable.Get(block);
                if (info.Drop != item || info.Tool > tool) continue;
                if ((p.X - feet.X) * (p.X - feet.X) + (p.Z - feet.Z) * (p.Z - feet.Z) > SeenSourceRadius * SeenSourceRadius) continue;
                if (s.Unreachable.Any(u => Math.Abs(u.X - p.X) <= 4 && Math.Abs(u.Z - p.Z) <= 4 && Math.Abs(u.Y - p.Y) <= 8)) continue;
                if (best is not BlockPos b || p.DistanceSquared(feet) < b.DistanceSquared(feet)
                    || (p.DistanceSquared(feet) == b.DistanceSquared(feet) && (p.X, p.Y, p.Z).CompareTo((b.X, b.Y, b.Z)) < 0))
                    best = p;
            }
            if (best is BlockPos found1) found[item] = found1;
        }
        return found;
    }

    /// <summary>
    /// The lowest place the team has seen at least 4 blocks below the agent, within 40 columns: a seen
    /// solid block with no seen block in the two cells above it, beside at least two more such blocks at
    /// its level (a floor, not a ledge of a wall), not found unreachable. Ties go to the nearer.
    /// </summary>
    private static BlockPos? LowestOpening(TeacherSituation s, BlockPos feet)
    {
        BlockPos? best = null;
        foreach (var (p, block) in s.Knowledge.Blocks)
        {
            if (p.Y > feet.Y - 4 || block is Block.Water or Block.OakLeaves or Block.OakLog) continue;
            if (Math.Abs(p.X - feet.X) > 40 || Math.Abs(p.Z - feet.Z) > 40) continue;
            BlockPos stand = p.Above;
            if (!OpenFloor(s, p) || s.Unreachable.Contains(stand)) continue;
            int floorNeighbours = new[] { p.Offset(1, 0, 0), p.Offset(-1, 0, 0), p.Offset(0, 0, 1), p.Offset(0, 0, -1) }
                .Count(n => s.Knowledge.Blocks.ContainsKey(n) && OpenFloor(s, n));
            if (floorNeighbours < 2) continue;
            if (best is not BlockPos b || stand.Y < b.Y || (stand.Y == b.Y && stand.DistanceSquared(feet) < b.DistanceSquared(feet))) best = stand;
        }
        return best;
    }

    /// <summary>
    /// The nearest open floor the team has seen in the diamond layer (standing y at most
    /// <see cref="BlockSearchRules.DeepFloorTop"/>), 8..40 columns from the agent, beside at least two more such floor
    /// blocks, where no agent has stood within 5 blocks, not set aside. Ties go to the lower x, y, z.
    /// </summary>
    private static BlockPos? DeepFloor(TeacherSituation s, BlockPos feet)
    {
        BlockPos? best = null;
        double bestD = double.PositiveInfinity;
        foreach (var (p, block) in s.Knowledge.Blocks)
        {
            if (p.Y + 1 > BlockSearchRules.DeepFloorTop || block is Block.Water) continue;
            double d = Math.Sqrt((double)(p.X - feet.X) * (p.X - feet.X) + (double)(p.Z - feet.Z) * (p.Z - feet.Z));
            if (d < BlockSearchRules.MinHop || d > 40 || d > bestD) continue;
            BlockPos stand = p.Above;
            if (!OpenFloor(s, p) || s.Unreachable.Contains(stand)) continue;
            if (s.Knowledge.Visited.Any(v => v.DistanceTo(stand) <= BlockSearchRules.VisitedRadius)) continue;
            int floorNeighbours = new[] { p.Offset(1, 0, 0), p.Offset(-1, 0, 0), p.Offset(0, 0, 1), p.Offset(0, 0, -1) }
                .Count(n => s.Knowledge.Blocks.ContainsKey(n) && OpenFloor(s, n));
            if (floorNeighbours < 2) continue;
            if (d < bestD || best is BlockPos b && (stand.X, stand.Y, stand.Z).CompareTo((b.X, b.Y, b.Z)) < 0)
            {
                bestD = d;
                best = stand;
            }
        }
        return best;
    }

    private static bool OpenFloor(TeacherSituation s, BlockPos p) => !s.Knowledge.Blocks.ContainsKey(p.Above) && !s.Knowledge.Blocks.ContainsKey(p.Above.Above);

    /// <summary>
    /// The standing place nearest the agent from which a whole box can be built with one building action
    /// (<see cref="ActorRules.BoxFromHere"/>): on the site's level, on the cleared ground (the site's square and
    /// its margin), outside the plan's footprint and not set aside (a place the agent was sent to and did not
    /// reach is set aside by the critic); null when nowhere fits.
    /// </summary>
    private static BlockPos? StandForBox(TeacherSituation s, BlockPos feet, BlockPos from, BlockPos to)
    {
        int level = s.Plan?.Origin.Y ?? feet.Y;
        int r = (int)Math.Ceiling(s.Options.Reach);
        BlockPos? best = null;
        double bestD = double.PositiveInfinity;
        for (int x = Math.Min(from.X, to.X) - r; x <= Math.Max(from.X, to.X) + r; x++)
            for (int z = Math.Min(from.Z, to.Z) - r; z <= Math.Max(from.Z, to.Z) + r; z++)
            {
                var p = new BlockPos(x, level, z);
                if (s.Plan is SitePlan plan && (plan.InFootprint(x, z) || !OnClearedGround(plan, x, z))) continue;
                if (s.Unreachable.Contains(p) || !ActorRules.BoxFromHere(p, from, to, s.Options.Reach)) continue;
                double d = p.DistanceTo(feet);
                if (d < bestD) { bestD = d; best = p; }
            }
        return best;
    }

    /// <summary>Whether a column is on the ground the task cleared: the site's square and its margin (any column when the plan names no site).</summary>
    private static bool OnClearedGround(SitePlan plan, int x, int z) =>
        plan.SiteSide <= 0 ||
        x >= plan.Origin.X - Tasks.BuildSite.Margin && x < plan.Origin.X + plan.SiteSide + Tasks.BuildSite.Margin &&
        z >= plan.Origin.Z - Tasks.BuildSite.Margin && z < plan.Origin.Z + plan.SiteSide + Tasks.BuildSite.Margin;

    /// <summary>
    /// The standing place nearest the agent from which the block is in reach, on the site's level, outside the
    /// plan's footprint, not set aside and not in the block's own column; null when nowhere fits.
    /// </summary>
    private static BlockPos? StandNear(TeacherSituation s, BlockPos feet, BlockPos target)
    {
        int level = s.Plan?.Origin.Y ?? feet.Y;
        BlockPos? best = null;
        double bestD = double.PositiveInfinity;
        for (int dx = -4; dx <= 4; dx++)
            for (int dz = -4; dz <= 4; dz++)
            {
                if (dx == 0 && dz == 0) continue;
                var p = new BlockPos(target.X + dx, level, target.Z + dz);
                if (s.Plan?.InFootprint(p.X, p.Z) == true || s.Unreachable.Contains(p)) continue;
                if (ActorRules.ReachFrom(p.X + 0.5, p.Y + Pose.EyeHeight, p.Z + 0.5, target) > s.Options.Reach - 0.05) continue;
                double d = p.DistanceTo(feet);
                if (d < bestD) { bestD = d; best = p; }
            }
        return best;
    }
}
