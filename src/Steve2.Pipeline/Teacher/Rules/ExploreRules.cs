using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Teacher.Decisions;
using Steve2.Pipeline.Teacher.Roles;

namespace Steve2.Pipeline.Teacher.Rules;

/// <summary>
/// Where to go to see what nobody has seen (exploration, and searching without a lead). Both teachers score the
/// eight directions by their own memory (<see cref="ConductorFacts.UnseenAhead"/>: unseen columns 40..95 blocks
/// ahead, where a 50-block <c>explore</c> and the look at its end reach). The teacher with experts also has the
/// dynamic map's frontiers: it walks to the best one that is not set aside, not taken by a teammate and not at
/// the agent's feet, when that frontier beats the own direction, i.e. the frontier's unseen area (as a share of
/// its window) is at least the best direction's unseen share less <see cref="FrontierMargin"/>; the map also knows
/// where the ground is walkable, which the own memory does not. Without frontiers, the largest set-aside group
/// 12..45 columns away may be tried. A function of the facts alone.
/// </summary>
public static class ExploreRules
{
    /// <summary>Bonus (in sample points) for the direction the manager gave the agent, so teammates spread.</summary>
    public const int PreferredBonus = 3;

    /// <summary>How much lower a frontier's unseen share may be than the best direction's and still be preferred.</summary>
    public const double FrontierMargin = 0.25;

    /// <summary>The unseen area a frontier reports is counted in a square of this many columns (33 × 33, the map's gain window).</summary>
    public const int FrontierWindow = 33 * 33;

    /// <summary>The sample points per direction of <see cref="ConductorFacts.UnseenAhead"/>.</summary>
    public const int AheadSamples = 108;

    public static Directive Explore(ConductorFacts f, ExpertFacts? expert, Direction preferred, bool preferLow)
    {
        BlockPos feet = f.Feet;
        IReadOnlyList<int> unseen = f.UnseenAhead ?? f.UnseenColumns;
        int samples = f.UnseenAhead is null ? 42 : AheadSamples;
        Direction own = BestUnseenDirection(unseen, preferred, f.BlockedDirections);
        double ownShare = unseen[(int)own] / (double)samples;
        if (expert?.Frontiers is { Count: > 0 } frontiers)
        {
            // Teammates (the agents of this conductor's team) head for different frontiers.
            var usable = frontiers
                .Where(fr => !SetAsideAreas.IsSetAside(f.Unreachable, f.UnreachableAreas, fr.Goal) && Horizontal(fr.Goal, feet) > 3)
                .Where(fr => f.TeammateGoals.All(t => t.DistanceTo(fr.Goal) > 16))
                .ToArray();
            FrontierFact? pick = preferLow
                ? usable.OrderBy(fr => fr.Goal.Y).ThenByDescending(fr => fr.Score).FirstOrDefault()
                : usable.FirstOrDefault();
            if (pick is not null && (preferLow || pick.Unseen == 0 || pick.Unseen / (double)FrontierWindow >= ownShare - FrontierMargin))
                return new Directive(DirectiveKind.GoTo, pick.Goal);
        }
        else if (expert?.Frontiers is { Count: 0 })
        {
            // The map sets aside frontiers it cannot walk to over what it has seen; the world's path finder may
            // still get there: the largest one 12..45 columns away, toward the agent's direction first, that no
            // teammate heads for.
            var (px, pz) = preferred.Step();
            BlockPos? goal = (expert.SetAside ?? [])
                .Where(g => Horizontal(g.Cell, feet) is >= 12 and <= 45 && !SetAsideAreas.IsSetAside(f.Unreachable, f.UnreachableAreas, g.Cell)
                    && f.TeammateGoals.All(t => t.DistanceTo(g.Cell) > 16))
                .OrderByDescending(g => g.Size + 10 * ((g.Cell.X - feet.X) * px + (g.Cell.Z - feet.Z) * pz) / Math.Max(1, Horizontal(g.Cell, feet)))
                .Select(g => (BlockPos?)g.Cell).FirstOrDefault();
            if (goal is BlockPos g) return new Directive(DirectiveKind.GoTo, g);
        }
        return new Directive(DirectiveKind.Explore, Direction: own);
    }

    /// <summary>
    /// The own-memory direction: the most unseen sample points ahead, with a bonus of <see cref="PreferredBonus"/> for
    /// <paramref name="preferred"/>, never a blocked one; ties go to the compass order (north first); all blocked
    /// leaves the preferred one.
    /// </summary>
    public static Direction BestUnseenDirection(IReadOnlyList<int> unseen, Direction preferred, IReadOnlyCollection<Direction> blocked)
    {
        Direction best = preferred;
        double bestScore = double.NegativeInfinity;
        foreach (Direction d in Enum.GetValues<Direction>())
        {
            if (blocked.Contains(d)) continue;
            double score = unseen[(int)d] + (d == preferred ? PreferredBonus : 0);
            if (score > bestScore)
            {
                bestScore = score;
                best = d;
            }
        }
        return best;
    }

    private static double Horizontal(BlockPos a, BlockPos b) => Math.Sqrt((double)(a.X - b.X) * (a.X - b.X) + (double)(a.Z - b.Z) * (a.Z - b.Z));
}
