using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Experts;
using Steve2.Pipeline.Teacher.Decisions;
using Steve2.Pipeline.Teacher.Planning;
using Steve2.Pipeline.Teacher.Roles;

namespace Steve2.Pipeline.Teacher.Rules;

/// <summary>
/// The conductors' rules: the next immediate goal of one agent for its part, a function of the part, the
/// agent's <see cref="ConductorFacts"/> and (with experts) the <see cref="ExpertFacts"/>.
/// <list type="bullet">
/// <item>explore: the best frontier of the dynamic map (with experts) that no teammate is heading to and
/// that is not blacklisted; else the own-memory direction with the most unseen columns.</item>
/// <item>search: approach the target when any agent has seen it; else (experts) a located landmark or
/// sound, or the bearing of an unlocated sound; else (own) the latest sound heard; else explore.</item>
/// <item>find (blocks): <see cref="BlockSearchRules"/> (pickaxe, descend, search the caves, strip-mine).</item>
/// <item>collect: the recipe planner's next step; gathering that found no source explores first.</item>
/// <item>build: the nearest step not claimed by a teammate among the next few of the plan.</item>
/// </list>
/// </summary>
public static class ConductorRules
{
    public static Directive Direct(int agent, SubTask part, ConductorFacts f, ExpertFacts? expert) => part.Kind switch
    {
        SubTaskKind.Explore => Explore(f, expert, part.Direction, preferLow: false),
        SubTaskKind.Search => Search(f, expert, part),
        SubTaskKind.Find => BlockSearchRules.Find(agent, part, f, expert),
        SubTaskKind.Collect => Collect(agent, part, f, expert),
        SubTaskKind.Build => Build(f.Build ?? expert?.Build, f.Feet),
        _ => new Directive(DirectiveKind.Wait),
    };

    /// <summary>
    /// The own-memory direction: the most unseen columns ahead, with a bonus of 3 for <paramref name="preferred"/>,
    /// never a blocked one; ties go to the compass order (north first); all blocked leaves the preferred one.
    /// </summary>
    public static Direction BestUnseenDirection(IReadOnlyList<int> unseen, Direction preferred, IReadOnlyCollection<Direction> blocked)
    {
        Direction best = preferred;
        double bestScore = double.NegativeInfinity;
        foreach (Direction d in Enum.GetValues<Direction>())
        {
            if (blocked.Contains(d)) continue;
            double score = unseen[(int)d] + (d == preferred ? 3 : 0);
            if (score > bestScore)
            {
                bestScore = score;
                best = d;
            }
        }
        return best;
    }

    internal static Directive Explore(ConductorFacts f, ExpertFacts? expert, Direction preferred, bool preferLow)
    {
        BlockPos feet = f.Feet;
        if (expert?.Frontiers is { Count: > 0 } frontiers)
        {
            // Teammates (the agents of this conductor's team) head for different frontiers.
            var usable = frontiers
                .Where(fr => !f.Unreachable.Contains(fr.Goal) && fr.Goal.DistanceTo(feet) > 3)
                .Where(fr => f.TeammateGoals.All(t => t.DistanceTo(fr.Goal) > 16))
                .ToArray();
            FrontierFact? pick = preferLow
                ? usable.OrderBy(fr => fr.Goal.Y).ThenByDescending(fr => fr.Score).FirstOrDefault()
                : usable.FirstOrDefault();
            if (pick is not null) return new Directive(DirectiveKind.GoTo, pick.Goal);
        }
        else if (expert?.Frontiers is { Count: 0 })
        {
            // The map sets aside frontiers it cannot walk to over what it has seen (observations are sparse);
            // the world's path finder may still get there: the largest one 12..45 columns away, toward the
            // agent's direction first, that no teammate heads for.
            var (px, pz) = preferred.Step();
            BlockPos? goal = (expert.SetAside ?? [])
                .Where(g => Horizontal(g.Cell, feet) is >= 12 and <= 45 && !f.Unreachable.Contains(g.Cell) && f.TeammateGoals.All(t => t.DistanceTo(g.Cell) > 16))
                .OrderByDescending(g => g.Size + 10 * ((g.Cell.X - feet.X) * px + (g.Cell.Z - feet.Z) * pz) / Math.Max(1, Horizontal(g.Cell, feet)))
                .Select(g => (BlockPos?)g.Cell).FirstOrDefault();
            if (goal is BlockPos g) return new Directive(DirectiveKind.GoTo, g);
        }
        Direction d = BestUnseenDirection(f.UnseenColumns, preferred, f.BlockedDirections);
        return new Directive(DirectiveKind.Explore, Direction: d);
    }

    private static Directive Search(ConductorFacts f, ExpertFacts? expert, SubTask part)
    {
        if (f.SeenTarget is BlockPos seen) return new Directive(DirectiveKind.Approach, seen);
        foreach (LocatedFact t in expert?.Located ?? [])
        {
            if (t.Position is BlockPos p && !f.Unreachable.Contains(p)) return new Directive(DirectiveKind.Approach, p);
            if (t.Position is null && t.Bearing is Direction bearing) return new Directive(DirectiveKind.Explore, Direction: bearing);
        }
        if (f.Sound is { Position: BlockPos heard }) return new Directive(DirectiveKind.Approach, heard);
        if (f.Sound is { Bearing: Direction from }) return new Directive(DirectiveKind.Explore, Direction: from);
        return Explore(f, expert, part.Direction, preferLow: false);
    }

    private static Directive Collect(int agent, SubTask part, ConductorFacts f, ExpertFacts? expert)
    {
        int goalNeed = f.GoalMaterials?.GetValueOrDefault(part.Argument) ?? part.Count;
        int team = f.TeamInventory.GetValueOrDefault(part.Argument);
        int own = f.Inventory.GetValueOrDefault(part.Argument);
        int target = own + Math.Max(0, goalNeed - team);
        Directive? next = RecipePlanner.Next(part.Argument, target, f.Inventory);
        if (next is null) return new Directive(DirectiveKind.Wait);
        if (next.Kind == DirectiveKind.Gather && f.GatherWaiting.Contains(next.Item))
            return Explore(f, expert, DirectionNames.Turn(Direction.North, agent * 3), preferLow: false);
        return next;
    }

    private static Directive Build(BuildWindow? window, BlockPos feet)
    {
        if (window is null) return new Directive(DirectiveKind.Wait);
        PlanStep? step = window.Pending.Where(p => !window.ClaimedByTeammates.Contains(p.Index))
            .MinBy(p => p.Position.DistanceSquared(feet));
        if (step is null) return new Directive(DirectiveKind.Wait);
        return step.Action == PlannedBlockAction.Remove
            ? new Directive(DirectiveKind.Mine, step.Position)
            : new Directive(DirectiveKind.Place, step.Position, Tasks.CreationTask.Material);
    }

    private static double Horizontal(BlockPos a, BlockPos b) => Math.Sqrt((double)(a.X - b.X) * (a.X - b.X) + (double)(a.Z - b.Z) * (a.Z - b.Z));
}
