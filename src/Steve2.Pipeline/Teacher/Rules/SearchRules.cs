using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Teacher.Decisions;
using Steve2.Pipeline.Teacher.Knowledge;
using Steve2.Pipeline.Teacher.Roles;

namespace Steve2.Pipeline.Teacher.Rules;

/// <summary>
/// The conductors' search rules (object search), shared by both teachers; only the expert facts differ. In order:
/// <list type="number">
/// <item>a target the team has seen (<see cref="ConductorFacts.SeenTargets"/>, nearest first) that no teammate nearer to it
/// heads for: approach it (an animal) or open it (a chest);</item>
/// <item>a chest not seen yet: go to where the nearest structure seen shows its chest (<see cref="ConductorFacts.StructureHint"/>);</item>
/// <item>(experts) a target the map located: within <see cref="ExactRadius"/> it is a place: approach or open it; an
/// uncertain fix is an area: walk to its centre until inside the radius, then look at the nearest point of the area the
/// team has not seen; an area all seen is passed over;</item>
/// <item>(own) the latest sound of the kind: approach where it was heard near; heard from afar, the area where the hearing
/// model puts it, searched as above;</item>
/// <item>a bearing without a fix (the map's, then the own), unless that way is blocked: explore that way;</item>
/// <item>else explore (the conductor's exploration rules).</item>
/// </list>
/// A target a teammate heads for and is at least as near to (horizontally, within the claim radius) is left to that
/// teammate, so two agents do not chase one animal while another is known.
/// </summary>
public static class SearchRules
{
    /// <summary>How far north of a pyramid's hint (in front of its door) the look into it aims (the apex column, where the chest stands below).</summary>
    public const int PyramidInside = 6;

    /// <summary>A located target with an uncertainty radius at most this (blocks) is searched as a place, larger as an area.</summary>
    public const double ExactRadius = 4;

    /// <summary>Teammates' targets within this distance (blocks) of a target claim it.</summary>
    public const double ClaimRadius = 4;

    /// <summary>Within this many columns (horizontally) of a seen structure's hint the agent has arrived and looks into it.</summary>
    public const double StructureReach = 3;

    public static Directive Search(ConductorFacts f, ExpertFacts? expert, SubTask part, Func<Directive> explore)
    {
        bool chest = SearchPerception.IsChest(part.Argument);
        BlockPos feet = f.Feet;
        foreach (BlockPos t in Seen(f))
            if (!ClaimedByNearer(f, feet, t, ClaimRadius))
                return new Directive(chest ? DirectiveKind.Open : DirectiveKind.Approach, t);

        if (chest && f.StructureHint is BlockPos structure && StructureOpen(f, structure))
        {
            // Arrived (within StructureReach columns): look into the structure once (a ruin's chest stands at its centre,
            // below an agent on its wall; a pyramid's inside lies north of its door), then the critic sets the place aside
            // if no chest shows.
            if (Horizontal(feet, structure) > StructureReach) return new Directive(DirectiveKind.GoTo, structure);
            return new Directive(DirectiveKind.Look, StructureInside(part.Argument, structure));
        }
        foreach (LocatedFact t in expert?.Located ?? [])
        {
            if (t.Position is not BlockPos p || SetAsideAreas.IsSetAside(f.Unreachable, f.UnreachableAreas, p)) continue;
            if (Place(f, p, t.Radius ?? 0, t.Unseen, chest) is Directive d) return d;
        }
        if (f.Sound is { Position: BlockPos heard } && !ClaimedByNearer(f, feet, heard, ClaimRadius)) return new Directive(DirectiveKind.Approach, heard);
        if (f.Sound is { Estimate: BlockPos estimate } && Place(f, estimate, f.Sound.Radius ?? 0, f.Sound.Unseen, chest) is Directive fromSound) return fromSound;
        foreach (LocatedFact t in expert?.Located ?? [])
            if (t.Position is null && t.Bearing is Direction bearing && !f.BlockedDirections.Contains(bearing)) return new Directive(DirectiveKind.Explore, Direction: bearing);
        if (f.Sound is { Bearing: Direction from } && !f.BlockedDirections.Contains(from)) return new Directive(DirectiveKind.Explore, Direction: from);
        if (LookAround(f) is Directive look) return look;
        return explore();
    }

    /// <summary>The targets the team has seen, nearest first (<see cref="ConductorFacts.SeenTargets"/>, or the one <see cref="ConductorFacts.SeenTarget"/> of older facts).</summary>
    public static IReadOnlyList<BlockPos> Seen(ConductorFacts f) => f.SeenTargets ?? (f.SeenTarget is BlockPos one ? [one] : []);

    /// <summary>Whether a chest searcher heads for the seen structure: not set aside, and no nearer teammate heads for it.</summary>
    public static bool StructureOpen(ConductorFacts f, BlockPos structure) =>
        !SetAsideAreas.IsSetAside(f.Unreachable, f.UnreachableAreas, structure) && !ClaimedByNearer(f, f.Feet, structure, ClaimRadius);

    /// <summary>Where the look into an arrived-at structure aims: a ruin's centre, or <see cref="PyramidInside"/> north of a pyramid's door.</summary>
    public static BlockPos StructureInside(string target, BlockPos structure) =>
        target == SearchPerception.PyramidChest ? new BlockPos(structure.X, structure.Y, structure.Z - PyramidInside) : structure;

    /// <summary>Sample points of <see cref="ConductorFacts.UnviewedAround"/> (of 40) that make a look around worth an action.</summary>
    public const int LookAroundMin = 24;

    /// <summary>Blocks ahead of the feet the look around aims at.</summary>
    public const int LookAroundDistance = 24;

    /// <summary>
    /// Without a lead, after a move (not after a look), the agent looks the way that shows it the most the team has neither
    /// seen nor swept with a camera within 12..40 blocks, when that is at least <see cref="LookAroundMin"/> of 40 sample points:
    /// a walk looks only ahead, and a structure or animal beside or behind the way walked stays unseen otherwise.
    /// Ties go to the compass order; null when no way is unviewed enough.
    /// </summary>
    public static Directive? LookAround(ConductorFacts f)
    {
        if (f.PreviousDirective is null || f.PreviousDirective.StartsWith("look", StringComparison.Ordinal)) return null;
        return LookAroundWay(f.UnviewedAround) is Direction best ? new Directive(DirectiveKind.Look, LookAroundPoint(f.Feet, best)) : null;
    }

    /// <summary>The most unviewed way of <see cref="ConductorFacts.UnviewedAround"/> (ties in compass order) when it holds at least <see cref="LookAroundMin"/> points; else null.</summary>
    public static Direction? LookAroundWay(IReadOnlyList<int>? around)
    {
        if (around is not { Count: 8 }) return null;
        Direction best = Direction.North;
        for (int d = 1; d < 8; d++)
            if (around[d] > around[(int)best]) best = (Direction)d;
        return around[(int)best] >= LookAroundMin ? best : null;
    }

    /// <summary>The point a look around aims at: <see cref="LookAroundDistance"/> blocks from the feet in direction <paramref name="d"/>, at the feet's level.</summary>
    public static BlockPos LookAroundPoint(BlockPos feet, Direction d)
    {
        var (sx, sz) = d.Step();
        double norm = sx != 0 && sz != 0 ? Math.Sqrt(0.5) : 1;
        return new BlockPos(feet.X + (int)Math.Round(sx * LookAroundDistance * norm), feet.Y, feet.Z + (int)Math.Round(sz * LookAroundDistance * norm));
    }

    /// <summary>
    /// A located target: within <see cref="ExactRadius"/> a place to approach (or open); an uncertain one an area: walk to its
    /// centre until inside the radius, then look at its nearest unseen point; null when a nearer teammate has it or the
    /// area is all seen.
    /// </summary>
    private static Directive? Place(ConductorFacts f, BlockPos p, double radius, IReadOnlyList<BlockPos>? unseen, bool chest)
    {
        BlockPos feet = f.Feet;
        AreaSide side = Side(feet, p, radius);
        if (side == AreaSide.Place)
            return ClaimedByNearer(f, feet, p, ClaimRadius) ? null : new Directive(chest ? DirectiveKind.Open : DirectiveKind.Approach, p);
        if (ClaimedByNearer(f, feet, p, Math.Max(ClaimRadius, radius))) return null;
        if (side == AreaSide.Outside) return new Directive(DirectiveKind.GoTo, p);
        return unseen is { Count: > 0 } ? new Directive(DirectiveKind.Look, unseen[0]) : null;
    }

    /// <summary>Where a located target stands for the rules: a place (radius within <see cref="ExactRadius"/>), or an area the feet are outside or inside of.</summary>
    public enum AreaSide { Place, Outside, Inside }

    public static AreaSide Side(BlockPos feet, BlockPos centre, double radius) =>
        radius <= ExactRadius ? AreaSide.Place : Horizontal(feet, centre) > radius ? AreaSide.Outside : AreaSide.Inside;

    /// <summary>
    /// The points of an uncertain target's area (the centre and eight points at 0.6 of the radius) whose columns no agent has
    /// seen, nearest to <paramref name="feet"/> first; empty for a target within <see cref="ExactRadius"/>.
    /// </summary>
    public static IReadOnlyList<BlockPos> UnseenInArea(TeamKnowledge knowledge, BlockPos centre, double radius, BlockPos feet)
    {
        if (!(radius > ExactRadius) || double.IsInfinity(radius)) return [];
        double r = 0.6 * Math.Min(radius, 32);
        var points = new List<BlockPos> { centre };
        foreach (Direction d in Enum.GetValues<Direction>())
        {
            var (sx, sz) = d.Step();
            double norm = sx != 0 && sz != 0 ? Math.Sqrt(0.5) : 1;
            points.Add(new BlockPos(centre.X + (int)Math.Round(sx * r * norm), centre.Y, centre.Z + (int)Math.Round(sz * r * norm)));
        }
        return points.Where(p => !knowledge.SeenNear(p.X, p.Z))
            .OrderBy(p => p.DistanceSquared(feet)).ThenBy(p => p.X).ThenBy(p => p.Z).ToArray();
    }

    /// <summary>True when a teammate heads for a target within <paramref name="radius"/> of <paramref name="target"/> and is nearer to its own target than this agent is to this one.</summary>
    public static bool ClaimedByNearer(ConductorFacts f, BlockPos feet, BlockPos target, double radius) =>
        (f.TeammateTargets ?? []).Any(t => Horizontal(t.Target, target) <= radius && t.Distance < Horizontal(feet, target));

    public static double Horizontal(BlockPos a, BlockPos b) => Math.Sqrt((double)(a.X - b.X) * (a.X - b.X) + (double)(a.Z - b.Z) * (a.Z - b.Z));
}
