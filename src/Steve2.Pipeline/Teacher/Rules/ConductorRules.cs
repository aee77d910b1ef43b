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
        // deep), else on to unseen ground, low first, and every third step look down ahead.
        BlockPos feet = o.Pose.Block;
        if (LowestOpening(s, feet) is BlockPos low) return new Directive(DirectiveKind.GoTo, low);
        if (s.Directives.GetValueOrDefault(agent) is { Kind: DirectiveKind.GoTo or DirectiveKind.Explore } && o.Pose.Pitch < 30 && o.Iteration % 3 == 2)
        {
            var (dx, dz) = part.Direction.Step();
            return new Directive(DirectiveKind.Look, feet.Offset(dx * 4, -6, dz * 4));
        }
        return Explore(s, agent, part.Direction, preferLow: true);
    }

    /// <summary>
    /// The lowest place the team has seen at least 4 blocks below the agent, within 40 columns: a seen
    /// solid block with no seen block in the two cells above it (an open floor), not found unreachable.
    /// </summary>
    private static BlockPos? LowestOpening(TeacherSituation s, BlockPos feet)
    {
        BlockPos? best = null;
        foreach (var (p, block) in s.Knowledge.Blocks)
        {
            if (p.Y > feet.Y - 4 || block is Block.Water or Block.OakLeaves or Block.OakLog) continue;
            if (Math.Abs(p.X - feet.X) > 40 || Math.Abs(p.Z - feet.Z) > 40) continue;
            BlockPos stand = p.Above;
            if (s.Knowledge.Blocks.ContainsKey(stand) || s.Knowledge.Blocks.ContainsKey(stand.Above) || s.Unreachable.Contains(stand)) continue;
            if (best is not BlockPos b || stand.Y < b.Y || (stand.Y == b.Y && stand.DistanceSquared(feet) < b.DistanceSquared(feet))) best = stand;
        }
        return best;
    }

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
