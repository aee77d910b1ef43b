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
/// <item>explore (<see cref="ExploreRules"/>): the own-memory direction with the most unseen columns 40..95 blocks
/// ahead; with experts the best frontier of the dynamic map not set aside and not taken by a teammate, when it
/// beats that direction.</item>
/// <item>search: approach the target when any agent has seen it; else (experts) a located landmark or
/// sound, or the bearing of an unlocated sound; else (own) the latest sound heard; else explore.</item>
/// <item>find (blocks): a target in view counts as found, so go down to the lowest open floor the team
/// has seen (ores lie deep), else explore, preferring the lowest frontiers.</item>
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
        SubTaskKind.Find => Find(f, expert, part),
        SubTaskKind.Collect => Collect(agent, part, f, expert),
        SubTaskKind.Build => Build(f.Build ?? expert?.Build, f.Feet),
        _ => new Directive(DirectiveKind.Wait),
    };

    /// <summary>The own-memory direction (<see cref="ExploreRules.BestUnseenDirection"/>).</summary>
    public static Direction BestUnseenDirection(IReadOnlyList<int> unseen, Direction preferred, IReadOnlyCollection<Direction> blocked) =>
        ExploreRules.BestUnseenDirection(unseen, preferred, blocked);

    private static Directive Explore(ConductorFacts f, ExpertFacts? expert, Direction preferred, bool preferLow) =>
        ExploreRules.Explore(f, expert, preferred, preferLow);

    private static Directive Search(ConductorFacts f, ExpertFacts? expert, SubTask part)
    {
        if (f.SeenTarget is BlockPos seen) return new Directive(DirectiveKind.Approach, seen);
        foreach (LocatedFact t in expert?.Located ?? [])
        {
            if (t.Position is BlockPos p && !SetAsideAreas.IsSetAside(f.Unreachable, f.UnreachableAreas, p)) return new Directive(DirectiveKind.Approach, p);
            if (t.Position is null && t.Bearing is Direction bearing) return new Directive(DirectiveKind.Explore, Direction: bearing);
        }
        if (f.Sound is { Position: BlockPos heard }) return new Directive(DirectiveKind.Approach, heard);
        if (f.Sound is { Bearing: Direction from }) return new Directive(DirectiveKind.Explore, Direction: from);
        return Explore(f, expert, part.Direction, preferLow: false);
    }

    private static Directive Find(ConductorFacts f, ExpertFacts? expert, SubTask part)
    {
        // A target in view is found already: go down into ravines and cave mouths the team has seen (ores lie
        // deep), else on to unseen ground, low first. On arrival somewhere new (and on the first step) look
        // down ahead first, so floors below come into view.
        if (f.LowestOpening is BlockPos low) return new Directive(DirectiveKind.GoTo, low);
        Directive? last = f.PreviousDirective is string text && Directive.TryParse(text, out Directive? d, out _) ? d : null;
        if (last is null or { Kind: DirectiveKind.GoTo or DirectiveKind.Explore } && f.Pitch < 30)
        {
            double yaw = f.Yaw * Math.PI / 180;
            return new Directive(DirectiveKind.Look, f.Feet.Offset((int)Math.Round(-Math.Sin(yaw) * 6), -6, (int)Math.Round(Math.Cos(yaw) * 6)));
        }
        return Explore(f, expert, part.Direction, preferLow: true);
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
}
