using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Teacher.Decisions;
using Steve2.Pipeline.Teacher.Roles;

namespace Steve2.Pipeline.Teacher.Rules;

/// <summary>
/// Where to go to see what nobody has seen (exploration, and searching without a lead). Both teachers score the
/// eight directions by their own memory (<see cref="ConductorFacts.UnseenAhead"/>: unseen columns 40..95 blocks
/// ahead, where a 50-block <c>explore</c> and the look at its end reach). The teacher with experts also has the
/// dynamic map's frontiers, ranked by the map (size, unseen area around the goal, path distance): it walks to the
/// best one that is not set aside (exactly or by area), not taken by a teammate and not at the agent's feet, and
/// explores the own direction only when no frontier is usable. (Measured on exploration seeds 0-29: the best
/// frontier beat the own direction even where the direction looked more unseen; preferring the direction when its
/// unseen share exceeded the frontier's by 0.25 lost 225 columns, re-ranking frontiers by the direction's unseen
/// share lost 600.) Without frontiers, the largest set-aside group 12..45 columns away may be tried. A function
/// of the facts alone.
/// </summary>
public static class ExploreRules
{
    /// <summary>Bonus (in sample points) for the direction the manager gave the agent, so teammates spread.</summary>
    public const int PreferredBonus = 3;

    public static Directive Explore(ConductorFacts f, ExpertFacts? expert, Direction preferred, bool preferLow)
    {
        BlockPos feet = f.Feet;
        IReadOnlyList<int> unseen = f.UnseenAhead ?? f.UnseenColumns;
        Direction own = BestUnseenDirection(unseen, preferred, f.BlockedDirections);
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
            if (pick is not null) return new Directive(DirectiveKind.GoTo, pick.Goal);
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
