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
/// <item>search: <see cref="SearchRules"/> (a seen target no nearer teammate takes; located targets, uncertain ones
/// searched as areas; sounds; else explore).</item>
/// <item>find (blocks): <see cref="BlockSearchRules"/> (pickaxe, descend, search the caves, strip-mine).</item>
/// <item>collect: the recipe planner's next step for the agent's items (<see cref="RecipePlanner.Next"/>); when only
/// gathering an item with no known source is left, go to a source of it a teammate has seen; else dig straight down
/// for stone and ores (with the pickaxe they need: mine the block under the feet); else explore.</item>
/// <item>build: the nearest step not claimed by a teammate among the next few of the plan (a box of blocks,
/// placed with the plan's material).</item>
/// </list>
/// </summary>
public static class ConductorRules
{
    /// <summary>Collect: agents dig down for stone and ores only while their feet are above this level (bedrock lies at 0).</summary>
    public const int MinDigLevel = 5;

    public static Directive Direct(int agent, SubTask part, ConductorFacts f, ExpertFacts? expert) => part.Kind switch
    {
        SubTaskKind.Explore => ExploreRules.Explore(f, expert, part.Direction, preferLow: false),
        SubTaskKind.Search => SearchRules.Search(f, expert, part, () => ExploreRules.Explore(f, expert, part.Direction, preferLow: false)),
        SubTaskKind.Find => BlockSearchRules.Find(agent, part, f, expert),
        SubTaskKind.Collect => Collect(agent, part, f, expert),
        SubTaskKind.Build => Build(f.Build ?? expert?.Build, f.Feet),
        _ => new Directive(DirectiveKind.Wait),
    };

    /// <summary>What the team still lacks of each item of a collect part: the goal's count (the part's without one) less what the team holds, at least 0.</summary>
    public static IReadOnlyList<KeyValuePair<string, int>> Lacking(SubTask part, ConductorFacts f) =>
        part.Items.Select(i => new KeyValuePair<string, int>(i.Key,
            Math.Max(0, (f.GoalMaterials?.GetValueOrDefault(i.Key) ?? i.Value) - f.TeamInventory.GetValueOrDefault(i.Key)))).ToArray();

    /// <summary>
    /// The agent's goals for a collect part: what it holds of each of its items plus what the team still lacks (items
    /// the team has complete stay as goals at what the agent holds, so no recipe eats them).
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, int>> OwnGoals(SubTask part, ConductorFacts f) =>
        RecipePlanner.OwnGoals(Lacking(part, f), f.Inventory);

    private static Directive Collect(int agent, SubTask part, ConductorFacts f, ExpertFacts? expert)
    {
        var (step, blocked) = RecipePlanner.Next(OwnGoals(part, f), f.Inventory, f.GatherWaiting);
        if (step is not null) return step;
        if (blocked is null) return new Directive(DirectiveKind.Wait);
        // No known source of what blocks the plan: go to one a teammate has seen; else stone and ores (which lie under the
        // surface) are dug for straight down, as a player digs for stone; else explore.
        if (f.SeenSources is not null && f.SeenSources.TryGetValue(blocked, out BlockPos source) && !f.Unreachable.Contains(source)
            && source.DistanceTo(f.Feet) > 4)
            return new Directive(DirectiveKind.GoTo, source);
        World.ToolTier tier = RecipePlanner.RequiredTool(blocked);
        if (tier is > World.ToolTier.None and < World.ToolTier.Unbreakable && World.BlockTable.BestTool(f.Inventory) >= tier && f.Feet.Y > MinDigLevel)
            return new Directive(DirectiveKind.Mine, f.Feet.Below);
        return ExploreRules.Explore(f, expert, OwnWay(agent), preferLow: false);
    }

    /// <summary>
    /// The way an agent explores when its part names none (a collector without a known source, a block searcher looking
    /// for trees): agents turn three eighths apart from north.
    /// </summary>
    public static Direction OwnWay(int agent) => DirectionNames.Turn(Direction.North, agent * 3);

    /// <summary>The direction an exploration for this part prefers (<see cref="ExploreRules.PreferredBonus"/>); null for parts that do not explore by direction.</summary>
    public static Direction? PreferredWay(int agent, SubTask part) => part.Kind switch
    {
        SubTaskKind.Explore or SubTaskKind.Search => part.Direction,
        SubTaskKind.Collect or SubTaskKind.Find => OwnWay(agent),
        _ => null,
    };

    private static Directive Build(BuildWindow? window, BlockPos feet)
    {
        if (window is null) return new Directive(DirectiveKind.Wait);
        PlanStep? step = window.Pending.Where(p => !window.ClaimedByTeammates.Contains(p.Index))
            .MinBy(p => p.Position.DistanceSquared(feet));
        return step is null ? new Directive(DirectiveKind.Wait) : StepDirective(window, step);
    }

    /// <summary>The directive that builds one step of the plan: mine its box for a removal, else place its block (the window's item without one).</summary>
    public static Directive StepDirective(BuildWindow window, PlanStep step) => step.Action == PlannedBlockAction.Remove
        ? new Directive(DirectiveKind.Mine, step.Position, To: step.To)
        : new Directive(DirectiveKind.Place, step.Position, step.Block ?? window.Item, To: step.To);
}
