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
        new(s.Goal.Task, s.AgentCount, s.TargetKind, s.Goal.TargetName, s.Goal.Materials, TeamInventory(s));

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
        if (part.Kind == SubTaskKind.Search)
        {
            seen = s.Knowledge.EntitiesOfKind(part.Argument, o.Pose.Position).Select(e => e.Position.Floor())
                .Where(p => !s.Unreachable.Contains(p)).Select(p => (BlockPos?)p).FirstOrDefault();
            if (s.Knowledge.LatestSound(part.Argument) is { } heard)
                sound = heard.Sound.Position is Vec3 p
                    ? new SoundFact(s.Unreachable.Contains(p.Floor()) ? null : p.Floor(), null)
                    : new SoundFact(null, DirectionNames.Toward(heard.Sound.Direction.X, heard.Sound.Direction.Z));
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
            s.Knowledge.UnseenAhead(feet),
            areas);
    }

    public static ActorFacts Actor(TeacherSituation s, int agent, Directive directive)
    {
        Observation o = s.Latest(agent);
        BlockPos? stand = directive.Kind is DirectiveKind.Place or DirectiveKind.Mine ? StandNear(s, o.Pose.Block, directive.Target) : null;
        return new ActorFacts(o.Pose, s.Options.Reach, o.Inventory, stand);
    }

    /// <summary>Items the whole team holds (every agent's latest inventory summed), in item order.</summary>
    public static IReadOnlyDictionary<string, int> TeamInventory(TeacherSituation s)
    {
        var team = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (Observation o in s.Knowledge.Latest.Values)
            foreach (var (item, count) in o.Inventory)
                team[item] = team.GetValueOrDefault(item) + count;
        return team;
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

    private static bool OpenFloor(TeacherSituation s, BlockPos p) => !s.Knowledge.Blocks.ContainsKey(p.Above) && !s.Knowledge.Blocks.ContainsKey(p.Above.Above);

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
