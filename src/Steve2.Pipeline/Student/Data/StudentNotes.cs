using System.Globalization;
using System.Text;
using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Teacher.Decisions;
using Steve2.Pipeline.Teacher.Planning;
using Steve2.Pipeline.Teacher.Roles;
using Steve2.Pipeline.Teacher.Rules;

namespace Steve2.Pipeline.Student.Data;

/// <summary>
/// The student's notes (STUDENT.md, "What the student reads"): the team's own perception of the episode, as the
/// no-expert teacher keeps it (<see cref="TeacherPerception"/>: what the team has seen and heard, where it could not
/// go, what its teammates are heading for), written as short lines. These are the role's recorded facts
/// (steps.jsonl <c>facts</c>), which never hold an expert's answer (those are <see cref="ExpertFacts"/>, in
/// <c>expert/</c> only): when the student plays, the same facts come from its own <see cref="TeacherPerception"/>
/// without experts. A player keeps this memory of the world; without it a directive such as <c>goto -45 46 -3</c> (the
/// place a sound came from) is not a function of anything the student reads.
/// Positions are written as the directives write them (<c>x y z</c>); directions as the code actions and directives name
/// them (<c>southwest</c>, so the pick the rules make is copied word for word, not translated from an abbreviation);
/// per-direction counts the most useful first (open before blocked, then the most, ties in compass order). Lists keep their first <see cref="ListLimit"/> entries (the facts sort them nearest
/// or most relevant first). The same function makes the dataset's notes and the playing student's.
/// </summary>
public static class StudentNotes
{
    public const int ListLimit = 3;
    private const int Directions = 8;

    /// <param name="facts">The role's recorded (or live) facts.</param>
    /// <param name="instruction">The role's instruction: a conductor's part (a collect part's checklist and recipe steps
    /// are the part's), an actor's directive (whose place the actor's notes measure from its pose).</param>
    /// <param name="agentId">The agent: a collector or block searcher without a way of its own explores its agent's way
    /// (<see cref="ConductorRules.OwnWay"/>), which orders its per-direction counts.</param>
    public static string Text(RoleFacts? facts, string? instruction = null, int agentId = 0) => facts switch
    {
        ManagerFacts m => Manager(m),
        ConductorFacts c => Conductor(c, instruction, agentId),
        ActorFacts a => Actor(a, instruction),
        _ => "",
    };

    private static string Manager(ManagerFacts m)
    {
        var lines = new List<string> { $"team of {m.AgentCount}" + (m.TargetKind is null ? "" : $", target {m.TargetKind}") };
        if (m.Materials is not null)
        {
            lines.Add("need: " + Items(m.Materials));
            // The checklist: what the team still lacks (need less what it holds), the list the manager splits.
            var missing = ManagerRules.MissingMaterials(m.Materials, m.TeamInventory);
            lines.Add("missing: " + (missing.Count == 0 ? "nothing" : List(missing)));
            // The recipe book's split of the checklist (whole recipe trees to one agent, the split that finishes soonest):
            // an exhaustive search over assignments, not learnable from a hundred collection episodes.
            if (ManagerRules.CollectionSplit(m) is { } split)
                lines.Add("split: " + string.Join("; ", split.Select((share, a) =>
                    $"agent {a} " + (share.Count == 0 ? "nothing" : string.Join(" ", share.Select(kv => Inv($"{kv.Key} {kv.Value}")))))));
        }
        if (m.AgentInventories is not null)
            for (int a = 0; a < m.AgentInventories.Count; a++) lines.Add($"agent {a} holds: " + Items(m.AgentInventories[a]));
        return string.Join("\n", lines);
    }

    private static string Conductor(ConductorFacts c, string? instruction, int agentId)
    {
        var lines = new List<string>();
        SubTask? part = Part(instruction);
        Direction? preferred = part is null ? null : ConductorRules.PreferredWay(agentId, part);
        if (c.Build is { } b)
        {
            lines.Add(Inv($"plan: {b.Remaining} of {b.Total} left"));
            // The steps no teammate works on, nearest first (the distance the rules rank them by), with their block.
            lines.AddRange(b.Pending.Where(p => !b.ClaimedByTeammates.Contains(p.Index))
                .OrderBy(p => p.Position.DistanceSquared(c.Feet)).ThenBy(p => p.Index)
                .Take(ListLimit)
                .Select(p => $"next: {p.Action.ToString().ToLowerInvariant()}"
                    + (p.Action == Experts.PlannedBlockAction.Remove ? "" : " " + (p.Block ?? b.Item))
                    + $" {Pos(p.Position)}" + (p.To is { } to ? " " + Pos(to) : "")));
        }
        if (c.GoalMaterials is not null)
        {
            lines.Add("team has: " + Items(c.TeamInventory));
            if (part is { Kind: SubTaskKind.Collect })
            {
                // The part's checklist (what the team still lacks of each item) and the recipe book's plan for the
                // agent's share from its own inventory, its first steps: what a player knows, as creation's notes
                // carry the build plan's next steps.
                lines.Add("still needed: " + List(ConductorRules.Lacking(part, c)));
                var goals = ConductorRules.OwnGoals(part, c);
                var steps = RecipePlanner.Plan(goals, c.Inventory);
                if (steps.Count > 0) lines.Add("recipe steps: " + string.Join(", ", steps.Take(ListLimit).Select(d => d.ToText())));
                // The step the rules take now (RecipePlanner.Next): the first the inventory allows, a craft cut to what it
                // holds, past gatherings that wait; or the gathering that blocks the plan. Without it, v7's conductors
                // repeated the first step written (craft oak_planks 8 holding 7 logs) for a whole episode.
                var (now, blockedOn) = RecipePlanner.Next(goals, c.Inventory, c.GatherWaiting);
                if (now is not null) lines.Add("now: " + now.ToText());
                else if (blockedOn is not null) lines.Add("blocked on: " + blockedOn);
                // Where a collector digs for stone (the rules' mine directive): the block under its feet, one below the
                // state's position; v7's conductors wrote 2 of 16 such directives right.
                lines.Add("below feet: " + Pos(c.Feet.Below));
            }
        }
        if (part is { Kind: SubTaskKind.Find }) lines.Add(Descent(c, part));
        if (c.GatherWaiting.Count > 0) lines.Add("waiting: " + string.Join(", ", c.GatherWaiting));
        if (c.SeenSources is { Count: > 0 } sources) lines.Add("sources: " + string.Join(", ", sources.Select(s => $"{s.Key} {Pos(s.Value)}")));
        // A chest searcher opens what it sees, an animal searcher approaches it: the label says which (v8's conductors
        // approached a seen chest in 2 of 60 first differences from the teacher).
        string seenLabel = part is { Kind: SubTaskKind.Search } && SearchPerception.IsChest(part.Argument) ? "seen chest: " : "seen target: ";
        if (c.SeenTargets is { Count: > 0 } targets) lines.Add(seenLabel + string.Join(", ", targets.Take(ListLimit).Select(t => Pos(t) + Claim(c, t, SearchRules.ClaimRadius))));
        else if (c.SeenTarget is { } seen) lines.Add(seenLabel + Pos(seen) + Claim(c, seen, SearchRules.ClaimRadius));
        if (c.Sound is { } sound) lines.Add(Sound(sound, c));
        if (c.StructureHint is { } hint) lines.Add(Structure(c, hint, part));
        if (c.LowestOpening is { } opening) lines.Add("lowest opening: " + Pos(opening));
        if (c.DeepFloor is { } deep) lines.Add("deep floor: " + Pos(deep));
        if (c.DeepVisited is { Count: > 0 } visited) lines.Add(Inv($"deep visited: {visited.Count}, last {Pos(visited[^1])}"));
        // The explore rules read the counts ahead (the unseen columns without them), with a bonus for the part's way.
        lines.Add("unseen: " + PerDirection(c.UnseenColumns, c.BlockedDirections, c.UnseenAhead is null ? preferred : null));
        if (c.UnseenAhead is { } ahead) lines.Add("ahead: " + PerDirection(ahead, c.BlockedDirections, preferred));
        if (c.UnviewedAround is { } around) lines.Add("around: " + PerDirection(around, [], null) + LookAround(c));
        if (c.BlockedDirections.Count > 0) lines.Add("blocked: " + string.Join(" ", c.BlockedDirections.Select(DirectionNames.Name)));
        if (c.TeammateGoals.Count > 0) lines.Add("teammates to: " + Positions(c.TeammateGoals));
        if (c.TeammateTargets is { Count: > 0 } tt) lines.Add("teammates at targets: " + string.Join(", ", tt.Take(ListLimit).Select(t => Inv($"{Pos(t.Target)} d {Math.Round(t.Distance)}"))));
        if (c.Unreachable.Count > 0) lines.Add(Inv($"set aside ({c.Unreachable.Count}): ") + Positions(c.Unreachable.OrderBy(p => p.DistanceSquared(c.Feet)).ToArray()));
        if (c.UnreachableAreas is { Count: > 0 } areas)
            lines.Add("areas set aside: " + string.Join(", ", areas.OrderBy(a => a.Center.DistanceSquared(c.Feet)).Take(ListLimit).Select(a => Inv($"{Pos(a.Center)} r {a.Radius}"))));
        return string.Join("\n", lines);
    }

    private static string Actor(ActorFacts a, string? instruction) =>
        Inv($"pose: {a.Pose.Position.X:0.#} {a.Pose.Position.Y:0.#} {a.Pose.Position.Z:0.#} yaw {Math.Round(a.Pose.Yaw)} pitch {Math.Round(a.Pose.Pitch)}")
        + (a.Stand is { } stand ? "\nstand: " + Pos(stand) : "")
        + (Goal(a.Pose, instruction) is { } goal ? "\n" + goal : "");

    /// <summary>
    /// How far the directive's place is and which way (<c>goal: 68.2 blocks east, 34 down</c>): horizontal distance, the
    /// compass direction as the code actions name it, and the height difference. What a player sees of a place it is sent
    /// to; the rules walk there within <see cref="Teacher.Rules.ActorRules.MoveRange"/> blocks and explore that way beyond.
    /// </summary>
    private static string? Goal(Pose pose, string? instruction)
    {
        if (instruction is null || !Directive.TryParse(instruction, out Directive? d, out _) || d is null
            || d.Kind is not (DirectiveKind.GoTo or DirectiveKind.Approach or DirectiveKind.Look or DirectiveKind.Place or DirectiveKind.Mine or DirectiveKind.Open))
            return null;
        BlockPos feet = pose.Block;
        int dx = d.Target.X - feet.X, dz = d.Target.Z - feet.Z, dy = d.Target.Y - feet.Y;
        double h = Math.Sqrt((double)dx * dx + (double)dz * dz);
        string way = h < 0.5 ? "here" : Inv($"{h:0.#} blocks {DirectionNames.Name(DirectionNames.Toward(dx, dz))}");
        string text = "goal: " + way + (dy == 0 ? "" : Inv($", {Math.Abs(dy)} {(dy > 0 ? "up" : "down")}"));
        // Where a look at the goal points (a player sees which way it lies) and, for an approach from afar, the place
        // the approach stops short of it: the geometry, not learnable from a few hundred looks.
        if (d.Kind == DirectiveKind.Look || (d.Kind == DirectiveKind.Approach && h is >= 1.5 and <= 3))
        {
            LookAt view = ActorRules.LookAt(pose, d.Target);
            text += Inv($"; view yaw {view.Yaw:0.#} pitch {view.Pitch:0.#}");
        }
        else if (d.Kind == DirectiveKind.GoTo || (d.Kind == DirectiveKind.Approach && h > 3))
        {
            // Where the walk ends (an approach stops short of the target), or, beyond one walk's range, the way to explore.
            BlockPos walk = d.Kind == DirectiveKind.GoTo ? d.Target : ActorRules.StopShort(feet, d.Target, ActorRules.StopDistance);
            if (ActorRules.Toward(feet, walk) is Explore far) text += "; too far to walk, explore " + DirectionNames.Name(far.Direction);
            else if (d.Kind == DirectiveKind.Approach) text += "; stop at " + Pos(walk);
        }
        return text;
    }

    /// <summary>
    /// A block searcher's depth and way (<c>descent: 14 down to y 11, way north</c>; at the diamond layer <c>layer: 5 above
    /// y 4, way east (north blocked)</c>): how many levels a staircase or dig takes to the strip-mining level (at most one
    /// action's <see cref="CodeAction.MaxDigSteps"/>), or at the layer how far a dig down may go, and the part's way as a
    /// cardinal direction, the first open one clockwise when it is blocked (<see cref="BlockSearchRules.Cardinal"/>).
    /// What a player knows of its depth and heading; the rules' counts and way are these numbers.
    /// </summary>
    private static string Descent(ConductorFacts c, SubTask part)
    {
        Direction own = BlockSearchRules.Cardinal(part.Direction, []);
        Direction way = BlockSearchRules.Cardinal(part.Direction, c.BlockedDirections);
        string heading = "way " + DirectionNames.Name(way) + (c.BlockedDirections.Contains(own) ? $" ({DirectionNames.Name(own)} blocked)" : "");
        int y = c.Feet.Y;
        return y > BlockSearchRules.DeepFloorTop
            ? Inv($"descent: {Math.Min(CodeAction.MaxDigSteps, y - BlockSearchRules.StripY)} down to y {BlockSearchRules.StripY}, ") + heading
            : Inv($"layer: {Math.Clamp(y - BlockSearchRules.MinStripY, 0, BlockSearchRules.StepDown)} above y {BlockSearchRules.MinStripY}, ") + heading;
    }

    /// <summary>A conductor's part, when its instruction is one.</summary>
    private static SubTask? Part(string? instruction) =>
        instruction is not null && SubTask.TryParse(instruction, out SubTask? part, out _) ? part : null;

    /// <summary>
    /// The latest sound of the kind: where it was heard near (<c>sound at</c>), or its bearing (<c>(blocked)</c> when that way
    /// is) and the hearing model's area: centre, radius and horizontal distance (the rules walk to an area's centre until
    /// inside its radius, then look at its unseen points). Places a nearer teammate heads for are marked (see <see cref="Claim"/>).
    /// </summary>
    private static string Sound(SoundFact s, ConductorFacts c)
    {
        if (s.Position is { } at) return "sound at: " + Pos(at) + Claim(c, at, SearchRules.ClaimRadius);
        var text = new StringBuilder("sound");
        if (s.Bearing is { } bearing)
            text.Append(" from ").Append(DirectionNames.Name(bearing)).Append(c.BlockedDirections.Contains(bearing) ? " (blocked)" : "");
        if (s.Estimate is { } estimate) text.Append(" about ").Append(Pos(estimate));
        if (s.Radius is { } radius) text.Append(Inv($" r {Math.Round(radius)}"));
        if (s.Estimate is { } centre)
        {
            text.Append(Inv($" d {Math.Round(SearchRules.Horizontal(c.Feet, centre))}"));
            // The rules walk to an area's centre from outside it and look at its unseen points from inside: the comparison
            // of d and r written out (v8's conductors looked from 43 blocks away and walked from inside).
            var side = SearchRules.Side(c.Feet, centre, s.Radius ?? 0);
            if (side != SearchRules.AreaSide.Place) text.Append(side == SearchRules.AreaSide.Outside ? " outside" : " inside");
            text.Append(Claim(c, centre, Math.Max(SearchRules.ClaimRadius, s.Radius ?? 0)));
        }
        if (s.Unseen is { Count: > 0 } unseen) text.Append("; unseen ").Append(Positions(unseen));
        return text.ToString();
    }

    /// <summary><c> (teammate nearer)</c> when a teammate heads for a place within <paramref name="radius"/> of <paramref name="target"/> and is nearer to it: the search rules leave it to that teammate.</summary>
    private static string Claim(ConductorFacts c, BlockPos target, double radius) =>
        SearchRules.ClaimedByNearer(c, c.Feet, target, radius) ? " (teammate nearer)" : "";

    /// <summary>
    /// <c>; look x y z</c>, the point a look around the most unviewed way aims at, when the rules would look
    /// (<see cref="SearchRules.LookAround"/>: that way holds enough unviewed points and the previous directive was a move,
    /// not a look). v8 wrote the point whenever the way qualified, and its conductors looked twice running where the
    /// teacher explores: 13 of 60 first differences in object search.
    /// </summary>
    private static string LookAround(ConductorFacts c) =>
        SearchRules.LookAround(c) is { } look ? "; look " + Pos(look.Target) : "";

    /// <summary>
    /// The structure seen (<c>structure: x y z d 12</c>): its hint and horizontal distance, <c>(set aside)</c> or
    /// <c>(teammate nearer)</c> when the rules pass it over (<see cref="SearchRules.StructureOpen"/>), and once arrived
    /// (within <see cref="SearchRules.StructureReach"/>) <c>; look inside x y z</c>, where the rules' look into it aims. v8
    /// read the hint alone and looked where the teacher walks there: 11 of 60 first differences in object search.
    /// </summary>
    private static string Structure(ConductorFacts c, BlockPos hint, SubTask? part)
    {
        double d = SearchRules.Horizontal(c.Feet, hint);
        string text = "structure: " + Pos(hint) + Inv($" d {Math.Round(d)}");
        if (SetAsideAreas.IsSetAside(c.Unreachable, c.UnreachableAreas, hint)) return text + " (set aside)";
        if (SearchRules.ClaimedByNearer(c, c.Feet, hint, SearchRules.ClaimRadius)) return text + " (teammate nearer)";
        return d <= SearchRules.StructureReach && part is not null ? text + "; look inside " + Pos(SearchRules.StructureInside(part.Argument, hint)) : text;
    }

    /// <summary>
    /// Counts per direction, the most first: open directions before <paramref name="blocked"/> ones, then by count
    /// (descending; the <paramref name="preferred"/> way counts <see cref="ExploreRules.PreferredBonus"/> more, as the rules
    /// score it), ties in compass order. The rules pick the best-scored open direction
    /// (<see cref="ExploreRules.BestUnseenDirection"/>); written this way, that pick is at the front of the line rather
    /// than an argmax over eight numbers the model would have to learn. The counts written are the plain ones.
    /// </summary>
    private static string PerDirection(IReadOnlyList<int> values, IReadOnlyCollection<Direction> blocked, Direction? preferred) =>
        string.Join(" ", values
            .Select((v, i) => (Value: v, Index: i))
            .OrderBy(e => e.Index < Directions && blocked.Contains((Direction)e.Index) ? 1 : 0)
            .ThenByDescending(e => e.Value + (preferred is { } p && e.Index == (int)p ? ExploreRules.PreferredBonus : 0))
            .ThenBy(e => e.Index)
            .Select(e => Inv($"{(e.Index < Directions ? DirectionNames.Name((Direction)e.Index) : e.Index.ToString(CultureInfo.InvariantCulture))} {e.Value}")));

    /// <summary>Items in the given order (<c>cobblestone 11, furnace 0</c>).</summary>
    private static string List(IEnumerable<KeyValuePair<string, int>> items) => string.Join(", ", items.Select(kv => Inv($"{kv.Key} {kv.Value}")));

    private static string Positions(IReadOnlyList<BlockPos> positions) => string.Join(", ", positions.Take(ListLimit).Select(Pos));

    private static string Items(IReadOnlyDictionary<string, int> items) =>
        items.Count == 0 ? "nothing" : string.Join(", ", items.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => Inv($"{kv.Key} {kv.Value}")));

    private static string Pos(BlockPos p) => Inv($"{p.X} {p.Y} {p.Z}");

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
