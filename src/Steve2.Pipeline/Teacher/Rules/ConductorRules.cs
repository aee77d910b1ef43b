using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Experts;
using Steve2.Pipeline.Teacher.Planning;
using Steve2.Pipeline.Teacher.Roles;

namespace Steve2.Pipeline.Teacher.Rules;

/// <summary>
/// The conductors' rules: the next immediate goal of one agent for its part.
/// <list type="bullet">
/// <item>explore: the best frontier of the dynamic map (with experts) that no teammate is heading to and
/// that is not blacklisted; else the own-memory direction with the most unseen columns.</item>
/// <item>search: approach the target when any agent has seen it; else (experts) a located landmark or
/// sound, or the bearing of an unlocated sound; else (own) the latest sound heard; else explore.</item>
/// <item>find (blocks): a target in view counts as found, so go down to the lowest open floor the team
/// has seen (ores lie deep), else explore, preferring the lowest frontiers.</item>
/// <item>collect: the recipe planner's next step; gathering that found no source explores first.</item>
/// <item>build: the nearest unclaimed step among the next few of the plan.</item>
/// </list>
/// </summary>
public static class ConductorRules
{
    public static Directive Direct(TeacherSituation s, int agent)
    {
        SubTask part = s.Assignments.GetValueOrDefault(agent) ?? new SubTask(SubTaskKind.Idle);
        Observation o = s.Latest(agent);
        return part.Kind switch
        {
            SubTaskKind.Explore => Explore(s, agent, part.Direction, preferLow: false),
            SubTaskKind.Search => Search(s, agent, part, o),
            SubTaskKind.Find => Find(s, agent, part, o),
            SubTaskKind.Collect => Collect(s, agent, part, o),
            SubTaskKind.Build => Build(s, agent, o),
            _ => new Directive(DirectiveKind.Wait),
        };
    }

    private static Directive Explore(TeacherSituation s, int agent, Direction preferred, bool preferLow)
    {
        BlockPos feet = s.Latest(agent).Pose.Block;
        if (s.Frontiers.GetValueOrDefault(agent) is FrontierAnswer answer && answer.Frontiers.Count > 0)
        {
            // Teammates (the agents of this conductor's team) head for different frontiers.
            var others = s.Directives.Where(d => d.Key != agent && s.TeamOf(d.Key) == s.TeamOf(agent) && d.Value.Kind == DirectiveKind.GoTo)
                .Select(d => d.Value.Target).ToArray();
            var usable = answer.Frontiers
                .Where(f => !s.Unreachable.Contains(f.Goal) && f.Goal.DistanceTo(feet) > 3)
                .Where(f => others.All(t => t.DistanceTo(f.Goal) > 16))
                .ToArray();
            MapFrontier? pick = preferLow
                ? usable.OrderBy(f => f.Goal.Y).ThenByDescending(f => f.Score).FirstOrDefault()
                : usable.FirstOrDefault();
            if (pick is not null) return new Directive(DirectiveKind.GoTo, pick.Goal);
        }
        if (s.Frontiers.GetValueOrDefault(agent) is FrontierAnswer report && report.Frontiers.Count == 0)
        {
            // The map sets aside frontiers it cannot walk to over what it has seen (observations are sparse);
            // the world's path finder may still get there: the largest one 12..45 columns away, toward the
            // agent's direction first, that no teammate heads for.
            var (px, pz) = preferred.Step();
            var others = s.Directives.Where(d => d.Key != agent && s.TeamOf(d.Key) == s.TeamOf(agent) && d.Value.Kind == DirectiveKind.GoTo)
                .Select(d => d.Value.Target).ToArray();
            BlockPos? goal = report.SetAside
                .Where(f => f.Reason.StartsWith("unreachable", StringComparison.Ordinal))
                .Select(f => (f.Size, Cell: f.Centroid.Floor()))
                .Where(f => Horizontal(f.Cell, feet) is >= 12 and <= 45 && !s.Unreachable.Contains(f.Cell) && others.All(t => t.DistanceTo(f.Cell) > 16))
                .OrderByDescending(f => f.Size + 10 * ((f.Cell.X - feet.X) * px + (f.Cell.Z - feet.Z) * pz) / Math.Max(1, Horizontal(f.Cell, feet)))
                .Select(f => (BlockPos?)f.Cell).FirstOrDefault();
            if (goal is BlockPos g) return new Directive(DirectiveKind.GoTo, g);
        }
        Direction d = s.Knowledge.BestUnseenDirection(feet, preferred, s.Blocked(agent));
        return new Directive(DirectiveKind.Explore, Direction: d);
    }

    private static Directive Search(TeacherSituation s, int agent, SubTask part, Observation o)
    {
        string kind = part.Argument;
        var seen = s.Knowledge.EntitiesOfKind(kind, o.Pose.Position);
        if (seen.Count > 0) return new Directive(DirectiveKind.Approach, seen[0].Position.Floor());
        foreach (LocatedTarget t in s.Located.GetValueOrDefault(agent) ?? [])
        {
            if (t.Located && !s.Unreachable.Contains(t.Position.Floor())) return new Directive(DirectiveKind.Approach, t.Position.Floor());
            if (!t.Located && DirectionNames.TryParse(CompassToEight(t.Direction), out Direction bearing))
                return new Directive(DirectiveKind.Explore, Direction: bearing);
        }
        if (s.Knowledge.LatestSound(kind) is { } heard)
        {
            if (heard.Sound.Position is Vec3 p && !s.Unreachable.Contains(p.Floor())) return new Directive(DirectiveKind.Approach, p.Floor());
            if (heard.Sound.Position is null) return new Directive(DirectiveKind.Explore, Direction: DirectionNames.Toward(heard.Sound.Direction.X, heard.Sound.Direction.Z));
        }
        return Explore(s, agent, part.Direction, preferLow: false);
    }

    private static Directive Find(TeacherSituation s, int agent, SubTask part, Observation o)
    {
        // A target in view is found already: go down into ravines and cave mouths the team has seen (ores lie
        // deep), else on to unseen ground, low first. On arrival somewhere new (and on the first step) look
        // down ahead first, so floors below come into view.
        BlockPos feet = o.Pose.Block;
        if (LowestOpening(s, feet) is BlockPos low) return new Directive(DirectiveKind.GoTo, low);
        Directive? last = s.Directives.GetValueOrDefault(agent);
        if (last is null or { Kind: DirectiveKind.GoTo or DirectiveKind.Explore } && o.Pose.Pitch < 30)
        {
            double yaw = o.Pose.Yaw * Math.PI / 180;
            return new Directive(DirectiveKind.Look, feet.Offset((int)Math.Round(-Math.Sin(yaw) * 6), -6, (int)Math.Round(Math.Cos(yaw) * 6)));
        }
        return Explore(s, agent, part.Direction, preferLow: true);
    }

    /// <summary>
    /// The lowest place the team has seen at least 4 blocks below the agent, within 40 columns: a seen
    /// solid block with no seen block in the two cells above it, beside at least two more such blocks at
    /// its level (a floor, not a ledge of a wall), not found unreachable.
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

    private static double Horizontal(BlockPos a, BlockPos b) => Math.Sqrt((double)(a.X - b.X) * (a.X - b.X) + (double)(a.Z - b.Z) * (a.Z - b.Z));

    private static bool OpenFloor(TeacherSituation s, BlockPos p) => !s.Knowledge.Blocks.ContainsKey(p.Above) && !s.Knowledge.Blocks.ContainsKey(p.Above.Above);

    private static Directive Collect(TeacherSituation s, int agent, SubTask part, Observation o)
    {
        int goalNeed = s.Goal.Materials?.GetValueOrDefault(part.Argument) ?? part.Count;
        int team = s.Knowledge.Latest.Values.Sum(x => x.Inventory.GetValueOrDefault(part.Argument));
        int own = o.Inventory.GetValueOrDefault(part.Argument);
        int target = own + Math.Max(0, goalNeed - team);
        Directive? next = RecipePlanner.Next(part.Argument, target, o.Inventory);
        if (next is null) return new Directive(DirectiveKind.Wait);
        if (next.Kind == DirectiveKind.Gather && s.GatherRetryAfter.TryGetValue((agent, next.Item), out int after) && s.Knowledge.Tick < after)
            return Explore(s, agent, DirectionNames.Turn(Direction.North, agent * 3), preferLow: false);
        return next;
    }

    private static Directive Build(TeacherSituation s, int agent, Observation o)
    {
        if (s.Plan is not BuildPlan plan) return new Directive(DirectiveKind.Wait);
        var claimed = s.ClaimedSteps.Where(c => c.Key != agent).Select(c => c.Value).ToHashSet();
        PlanStep? step = plan.Next(o.Pose.Block, claimed);
        if (step is null)
        {
            s.ClaimedSteps.Remove(agent);
            return new Directive(DirectiveKind.Wait);
        }
        s.ClaimedSteps[agent] = step.Index;
        return step.Action == PlannedBlockAction.Remove
            ? new Directive(DirectiveKind.Mine, step.Position)
            : new Directive(DirectiveKind.Place, step.Position, Tasks.CreationTask.Material);
    }

    /// <summary>The 8-point word for a 16-point compass name ("NNE" to "north", "ENE" to "east").</summary>
    private static string CompassToEight(string compass) => compass.ToUpperInvariant() switch
    {
        "N" or "NNE" or "NNW" => "north",
        "NE" => "northeast",
        "E" or "ENE" or "ESE" => "east",
        "SE" => "southeast",
        "S" or "SSE" or "SSW" => "south",
        "SW" => "southwest",
        "W" or "WSW" or "WNW" => "west",
        "NW" => "northwest",
        _ => compass,
    };
}
