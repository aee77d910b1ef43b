using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Teacher.Roles;
using Steve2.Pipeline.Teacher.Rules;

namespace Steve2.Pipeline.Teacher.Decisions;

/// <summary>
/// The search part's perception queries (DECISIONS.md, "Search"): the targets the team has seen, what the teammates
/// are heading for, and where to stand to open a chest. Reads the teacher's state, never writes it.
/// </summary>
public static class SearchPerception
{
    /// <summary>The chest target kinds (ObjectSearchTask.RuinChest, PyramidChest): the chest of a ruin or of a desert pyramid.</summary>
    public const string RuinChest = "ruin_chest", PyramidChest = "pyramid_chest";

    public static bool IsChest(string kind) => kind is RuinChest or PyramidChest;

    /// <summary>
    /// Whether a seen chest can be the chest of that kind: the block under it, when seen, tells the structure (a pyramid's
    /// sandstone floor, a ruin's grass or dirt, WORLD.md); a chest with nothing seen under it may be either.
    /// </summary>
    public static bool ChestMayBe(TeacherSituation s, BlockPos chest, string kind) =>
        !s.Knowledge.Blocks.TryGetValue(chest.Offset(0, -1, 0), out Block below)
        || (kind == PyramidChest ? below == Block.Sandstone : below is Block.Grass or Block.Dirt);

    /// <summary>
    /// Up to four targets the team has seen, not set aside, nearest first: animals of the kind (their last seen cells),
    /// or, for "chest", the chest blocks seen.
    /// </summary>
    public static IReadOnlyList<BlockPos> SeenTargets(TeacherSituation s, string kind, Vec3 from)
    {
        IEnumerable<BlockPos> cells = IsChest(kind)
            ? s.Knowledge.Blocks.Where(b => b.Value == Block.Chest && ChestMayBe(s, b.Key, kind)).Select(b => b.Key)
                .OrderBy(p => new Vec3(p.X + 0.5, p.Y, p.Z + 0.5).DistanceTo(from)).ThenBy(p => p.X).ThenBy(p => p.Y).ThenBy(p => p.Z)
            : s.Knowledge.EntitiesOfKind(kind, from).Select(e => e.Position.Floor());
        return cells.Where(p => !SetAsideAreas.IsSetAside(s.Unreachable, s.UnreachableAreas, p)).Distinct().Take(4).ToArray();
    }

    /// <summary>
    /// Where to go to see the chest of the nearest structure of the kind's sort the team has seen (WORLD.md), not set aside, within 96 columns:
    /// a ruin (cobblestone, which the world makes nowhere else): the centre of the cobblestone seen within 6 columns of the
    /// nearest one, where its chest stands; a desert pyramid (sandstone with nothing seen on it, at least 2 above sand seen
    /// within 4 columns): the highest such block within 8 columns of the nearest is its apex, and the place is in front of its
    /// door (6 south of the apex, 4 below it), from where the chest inside is in view. The nearer of the two; null when none.
    /// </summary>
    public static BlockPos? StructureHint(TeacherSituation s, BlockPos feet, string kind)
    {
        var near = s.Knowledge.Blocks.Where(b => Math.Abs(b.Key.X - feet.X) <= 96 && Math.Abs(b.Key.Z - feet.Z) <= 96).ToArray();
        var candidates = new List<BlockPos>();
        var cobble = near.Where(b => b.Value == Block.Cobblestone).Select(b => b.Key).ToArray();
        if (cobble.Length > 0 && kind == RuinChest)
        {
            BlockPos c = cobble.MinBy(p => (p.DistanceSquared(feet), p.X, p.Z));
            var ring = cobble.Where(p => Math.Abs(p.X - c.X) <= 6 && Math.Abs(p.Z - c.Z) <= 6).ToArray();
            candidates.Add(new BlockPos((int)Math.Round(ring.Average(p => p.X)), ring.Min(p => p.Y), (int)Math.Round(ring.Average(p => p.Z))));
        }
        var sandTop = new Dictionary<(int, int), int>();
        foreach (var (p, block) in near)
            if (block == Block.Sand) sandTop[(p.X, p.Z)] = Math.Min(sandTop.GetValueOrDefault((p.X, p.Z), int.MaxValue), p.Y);
        var raised = near.Where(b => b.Value == Block.Sandstone && !s.Knowledge.Blocks.ContainsKey(b.Key.Above) && SandBelow(sandTop, b.Key))
            .Select(b => b.Key).ToArray();
        if (raised.Length > 0 && kind == PyramidChest)
        {
            BlockPos r = raised.MinBy(p => (p.DistanceSquared(feet), p.X, p.Z));
            BlockPos apex = raised.Where(p => Math.Abs(p.X - r.X) <= 8 && Math.Abs(p.Z - r.Z) <= 8).MaxBy(p => (p.Y, -p.DistanceSquared(feet)));
            candidates.Add(new BlockPos(apex.X, apex.Y - 4, apex.Z + 6));
        }
        return candidates.Where(p => !SetAsideAreas.IsSetAside(s.Unreachable, s.UnreachableAreas, p)).Select(p => (BlockPos?)p).OrderBy(p => p!.Value.DistanceSquared(feet)).FirstOrDefault();
    }

    private static bool SandBelow(Dictionary<(int, int), int> sandTop, BlockPos p)
    {
        for (int dx = -4; dx <= 4; dx++)
            for (int dz = -4; dz <= 4; dz++)
                if (sandTop.TryGetValue((p.X + dx, p.Z + dz), out int y) && y <= p.Y - 2) return true;
        return false;
    }

    /// <summary>The voxel world's hearing radius (OBSERVATIONS.md, "Sounds"): loudness = 1 - distance / HearingRadius.</summary>
    public const double HearingRadius = 64;

    /// <summary>
    /// A sound heard from afar: its bearing, and where the hearing model puts it (the listener's eye plus the direction times
    /// the range its loudness gives) as an area of a sixth of the range (at least 5 blocks), with the area's points the team
    /// has not seen yet; the estimate is left out when it was set aside.
    /// </summary>
    public static SoundFact FarSound(TeacherSituation s, HeardSound sound, Vec3 listener, BlockPos feet)
    {
        Direction bearing = DirectionNames.Toward(sound.Direction.X, sound.Direction.Z);
        if (sound.Loudness is not (> 0 and < 1)) return new SoundFact(null, bearing);
        double range = HearingRadius * (1 - sound.Loudness);
        BlockPos estimate = new Vec3(listener.X + sound.Direction.X * range, listener.Y + sound.Direction.Y * range - 0.5, listener.Z + sound.Direction.Z * range).Floor();
        if (SetAsideAreas.IsSetAside(s.Unreachable, s.UnreachableAreas, estimate)) return new SoundFact(null, bearing);
        double radius = Math.Round(Math.Max(5, range / 6), 1);
        return new SoundFact(null, bearing, estimate, radius, SearchRules.UnseenInArea(s.Knowledge, estimate, radius, feet));
    }

    /// <summary>Teammates' approach, open, goto and look targets with each teammate's horizontal distance to it, in agent order.</summary>
    public static IReadOnlyList<TeammateTarget> TeammateTargets(TeacherSituation s, int agent) =>
        s.Directives
            .Where(d => d.Key != agent && s.TeamOf(d.Key) == s.TeamOf(agent)
                && d.Value.Kind is DirectiveKind.Approach or DirectiveKind.Open or DirectiveKind.GoTo or DirectiveKind.Look
                && s.Knowledge.Latest.ContainsKey(d.Key))
            .OrderBy(d => d.Key)
            .Select(d => new TeammateTarget(d.Value.Target, Math.Round(SearchRules.Horizontal(s.Latest(d.Key).Pose.Block, d.Value.Target), 1)))
            .ToArray();

    /// <summary>
    /// Where to stand to open a chest: the nearest cell to the agent within 3 columns of the chest, at the chest's level or
    /// one above or below, that the team has seen free (no seen block in it or the cell above) over a seen solid block,
    /// from which the chest is in reach and which is not set aside; null when none is known (the actor then walks toward it).
    /// </summary>
    public static BlockPos? StandBeside(TeacherSituation s, BlockPos feet, BlockPos chest)
    {
        BlockPos? best = null;
        double bestD = double.PositiveInfinity;
        for (int dx = -3; dx <= 3; dx++)
            for (int dz = -3; dz <= 3; dz++)
                for (int dy = -1; dy <= 1; dy++)
                {
                    if (dx == 0 && dz == 0) continue;
                    var p = new BlockPos(chest.X + dx, chest.Y + dy, chest.Z + dz);
                    if (s.Knowledge.Blocks.ContainsKey(p) || s.Knowledge.Blocks.ContainsKey(p.Above)) continue;
                    if (!s.Knowledge.Blocks.TryGetValue(p.Offset(0, -1, 0), out Block below) || below is Block.Water or Block.OakLeaves) continue;
                    if (SetAsideAreas.IsSetAside(s.Unreachable, s.UnreachableAreas, p)) continue;
                    if (ActorRules.ReachFrom(p.X + 0.5, p.Y + Pose.EyeHeight, p.Z + 0.5, chest) > s.Options.Reach - 0.05) continue;
                    double d = p.DistanceTo(feet);
                    if (d < bestD) { bestD = d; best = p; }
                }
        return best;
    }
}
