using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Teacher.Decisions;
using Steve2.Pipeline.Teacher.Roles;
using Steve2.Pipeline.World;

namespace Steve2.Pipeline.Teacher.Rules;

/// <summary>
/// The conductor's rules for block search (<c>find diamond_ore</c>), what a Minecraft player does: a pickaxe first
/// (logs, planks, sticks, a crafting table, a wooden pickaxe: enough for stone and coal; a target block in view
/// counts as found, so the pickaxe that could harvest diamonds is not needed), then down to the diamond layer
/// (into a cave or ravine the team has seen well below, else a staircase), then the caves of that layer (the nearest
/// unvisited deep floor the team has seen), else strip-mining at the layer: 20-block tunnels in the agent's direction
/// (with experts, toward the best deep frontier of the dynamic map), 3 blocks aside between them so every tunnel opens
/// new rock. A function of the part, <see cref="ConductorFacts"/> and the <see cref="ExpertFacts"/>.
/// </summary>
public static class BlockSearchRules
{
    /// <summary>The feet level the agents strip-mine at (diamonds lie at y 2..15; the deep caves run at 4..13).</summary>
    public const int StripY = 11;

    /// <summary>Standing places at or below this y count as the diamond layer (its caves and floors).</summary>
    public const int DeepFloorTop = 16;

    /// <summary>Blocks a strip tunnel digs in the agent's direction, and blocks aside between two tunnels.</summary>
    public const int StripLength = CodeAction.MaxDigSteps, StripSpacing = 3;

    /// <summary>Cave goals are at least this many columns away, and not within <see cref="VisitedRadius"/> of where an agent stood.</summary>
    public const int MinHop = 8, VisitedRadius = 5;

    /// <summary>At the layer, a blocked way is left by digging this many blocks down, never below <see cref="MinStripY"/>.</summary>
    public const int StepDown = 5, MinStripY = 4;

    /// <summary>Without a known log, a frontier of the map is walked to only when at least this many columns away.</summary>
    public const int TreeHop = 24;

    public static Directive Find(int agent, SubTask part, ConductorFacts f, ExpertFacts? expert)
    {
        ToolTier tool = BlockTable.BestTool(f.Inventory);
        if (tool == ToolTier.None) return Pickaxe(agent, f, expert);
        // The stone pickaxe as soon as digging gave the cobblestone (sticks and table are left from the first): iron
        // ore no longer stops a tunnel.
        if (tool == ToolTier.Wood && f.Inventory.GetValueOrDefault(Items.Cobblestone) >= 3 && f.Inventory.GetValueOrDefault(Items.Stick) >= 2
            && f.Inventory.GetValueOrDefault(Items.CraftingTable) > 0)
            return new Directive(DirectiveKind.Craft, Item: Items.StonePickaxe, Count: 1);
        BlockPos feet = f.Feet;
        Direction main = Cardinal(part.Direction, f.BlockedDirections);
        if (feet.Y > DeepFloorTop)
        {
            // A cave or ravine seen well below: walk down into it; else dig a staircase toward the layer.
            if (f.LowestOpening is BlockPos low && low.Y <= feet.Y - 6) return new Directive(DirectiveKind.GoTo, low);
            int levels = Math.Min(CodeAction.MaxDigSteps, feet.Y - StripY);
            // The agent's own way is blocked (an open drop, water, bedrock): straight down where it stands.
            if (f.BlockedDirections.Contains(Cardinal(part.Direction, [])) && f.PreviousDirective?.StartsWith("digdown", StringComparison.Ordinal) != true)
                return new Directive(DirectiveKind.DigDown, Count: levels);
            return new Directive(DirectiveKind.Staircase, Count: levels, Direction: main);
        }
        // At the layer: the caves first (their walls show the most ore), then strip-mining. The map's deep frontiers lie
        // in the rock around what the team has seen (a goto there finds no place to stand and climbs to the surface
        // above), so with experts the best one chooses the way to strip-mine: the tunnel heads for the most unseen rock.
        Directive? last = f.PreviousDirective is string text && Directive.TryParse(text, out Directive? d, out _) ? d : null;
        // Never straight back along the tunnel just dug, nor into rock already dug (a place an agent stood just ahead).
        foreach (FrontierFact deep in DeepFrontiers(f, expert))
        {
            Direction toward = Cardinal(DirectionNames.Toward(deep.Goal.X - feet.X, deep.Goal.Z - feet.Z), f.BlockedDirections);
            if (last?.Kind == DirectiveKind.Tunnel && toward == DirectionNames.Turn(last.Direction, 4)) continue;
            if (DugAhead(f, toward)) continue;
            // Teammates were sent different ways (the manager's directions): never against the own one.
            if (toward == DirectionNames.Turn(Cardinal(part.Direction, []), 4)) continue;
            main = toward;
            break;
        }
        if (f.DeepFloor is BlockPos floor && f.TeammateGoals.All(t => t.DistanceTo(floor) > 8)) return new Directive(DirectiveKind.GoTo, floor);
        // The own way is blocked (the edge of a cave below, water, bedrock): down a few blocks where the agent stands,
        // then on at the new level (the critic frees the directions after a dig down).
        if (f.BlockedDirections.Contains(Cardinal(part.Direction, [])) && last?.Kind != DirectiveKind.DigDown && feet.Y > MinStripY)
            return new Directive(DirectiveKind.DigDown, Count: Math.Min(StepDown, feet.Y - MinStripY));
        if (last is { Kind: DirectiveKind.Tunnel, Count: >= StripLength } && last.Direction == main)
        {
            Direction aside = Cardinal(DirectionNames.Turn(main, agent % 2 == 0 ? 2 : -2), f.BlockedDirections);
            if (aside != main) return new Directive(DirectiveKind.Tunnel, Count: StripSpacing, Direction: aside);
        }
        return new Directive(DirectiveKind.Tunnel, Count: StripLength, Direction: main);
    }

    /// <summary>
    /// The map's deep frontiers in the diamond layer (goal y in <see cref="MinStripY"/>..<see cref="DeepFloorTop"/>), in the
    /// map's order, <see cref="MinHop"/>..<see cref="ActorRules.MoveRange"/> columns away, not within <see cref="VisitedRadius"/>
    /// of where an agent stood in the layer, not set aside, not near a teammate's goal; none without experts.
    /// </summary>
    public static IEnumerable<FrontierFact> DeepFrontiers(ConductorFacts f, ExpertFacts? expert) =>
        (expert?.Frontiers ?? [])
            .Where(fr => fr.Goal.Y is >= MinStripY and <= DeepFloorTop && Horizontal(fr.Goal, f.Feet) is >= MinHop and <= ActorRules.MoveRange)
            .Where(fr => (f.DeepVisited ?? []).All(v => v.DistanceTo(fr.Goal) > VisitedRadius))
            .Where(fr => !SetAsideAreas.IsSetAside(f.Unreachable, f.UnreachableAreas, fr.Goal) && f.TeammateGoals.All(t => t.DistanceTo(fr.Goal) > 8));

    /// <summary>Whether an agent stood in the layer 1..<see cref="DugReach"/> blocks ahead in <paramref name="d"/> (at most 1 aside, 2 up or down): the rock there is dug.</summary>
    public static bool DugAhead(ConductorFacts f, Direction d)
    {
        var (dx, dz) = d.Step();
        return (f.DeepVisited ?? []).Any(v =>
        {
            int ax = v.X - f.Feet.X, az = v.Z - f.Feet.Z;
            int along = ax * dx + az * dz, aside = Math.Abs(ax * dz - az * dx);
            return along is >= 1 and <= DugReach && aside <= 1 && Math.Abs(v.Y - f.Feet.Y) <= 2;
        });
    }

    /// <summary>How far ahead <see cref="DugAhead"/> looks.</summary>
    public const int DugReach = 8;

    /// <summary>
    /// The next step toward a wooden pickaxe: gather the logs for every plank at once (3 + 4 for the table + 2 for the
    /// sticks), then planks, sticks, the table and the pickaxe; when no log is known, explore for trees.
    /// </summary>
    private static Directive Pickaxe(int agent, ConductorFacts f, ExpertFacts? expert)
    {
        var inv = f.Inventory;
        int planks = inv.GetValueOrDefault(Items.OakPlanks), logs = inv.GetValueOrDefault(Items.OakLog), sticks = inv.GetValueOrDefault(Items.Stick);
        bool table = inv.GetValueOrDefault(Items.CraftingTable) > 0;
        int needPlanks = 3 + (table ? 0 : 4) + (sticks >= 2 ? 0 : 2);
        if (planks < needPlanks)
        {
            int crafts = (needPlanks - planks + 3) / 4;
            if (logs >= crafts) return new Directive(DirectiveKind.Craft, Item: Items.OakPlanks, Count: crafts);
            if (f.GatherWaiting.Contains(Items.OakLog))
            {
                // Trees are seen from afar: with experts only a frontier at least TreeHop columns away (the map's best
                // are often a few steps off, and hopping between them kept agents at the surface all episode); else
                // the own memory's most unseen direction, like the teacher without experts.
                var far = expert?.Frontiers?.Where(fr => Horizontal(fr.Goal, f.Feet) >= TreeHop).ToArray();
                ExpertFacts? trees = far is { Length: > 0 } ? expert! with { Frontiers = far } : null;
                return ExploreRules.Explore(f, trees, ConductorRules.OwnWay(agent), preferLow: false);
            }
            return new Directive(DirectiveKind.Gather, Item: Items.OakLog, Count: crafts - logs);
        }
        if (sticks < 2) return new Directive(DirectiveKind.Craft, Item: Items.Stick, Count: 1);
        if (!table) return new Directive(DirectiveKind.Craft, Item: Items.CraftingTable, Count: 1);
        return new Directive(DirectiveKind.Craft, Item: Items.WoodenPickaxe, Count: 1);
    }

    /// <summary>The cardinal direction nearest <paramref name="preferred"/> (diagonals turn left) that is not blocked, clockwise from it; all blocked gives it back.</summary>
    public static Direction Cardinal(Direction preferred, IReadOnlyCollection<Direction> blocked)
    {
        Direction start = (int)preferred % 2 == 0 ? preferred : DirectionNames.Turn(preferred, -1);
        for (int k = 0; k < 4; k++)
        {
            Direction d = DirectionNames.Turn(start, 2 * k);
            if (!blocked.Contains(d)) return d;
        }
        return start;
    }

    private static double Horizontal(BlockPos a, BlockPos b) => Math.Sqrt((double)(a.X - b.X) * (a.X - b.X) + (double)(a.Z - b.Z) * (a.Z - b.Z));
}
