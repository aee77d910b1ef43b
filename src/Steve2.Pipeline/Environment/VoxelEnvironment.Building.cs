using Steve2.Pipeline.World;

namespace Steve2.Pipeline.Environment;

// The building actions (placeBox, removeBox): many blocks in one code action, each block still checked as one
// place or mine is. ACTIONS.md, "Building actions", states the rules and the messages.
public sealed partial class VoxelEnvironment
{
    /// <summary>Distance from the agent's standing column to a block under the building actions' reach rule (<see cref="BuildReach"/>).</summary>
    private double LiftReachDistance(BlockPos feet, BlockPos b) =>
        BuildReach.Distance(feet, BuildReach.FreeTop(p => _world.Get(p), feet, Math.Max(feet.Y, b.Y)), b);

    /// <summary>
    /// The walk of a building action: when <paramref name="target"/> is out of reach of the standing column at
    /// <paramref name="feet"/>, the agent moves to the nearest standing place (fewest blocks of walk, then nearest
    /// the block's level) from which it is in reach: two free cells, outside the box, at any height (it climbs on
    /// scaffolding of its own, as towering and bridging players do). Null when in reach (feet possibly moved), else
    /// why not: no such place within reach, or the walk would pass <see cref="CodeAction.MaxMoveBlocks"/> blocks.
    /// </summary>
    private string? WalkAlong(ref BlockPos feet, ref int walked, BlockPos target, BlockPos boxMin, BlockPos boxMax)
    {
        if (LiftReachDistance(feet, target) <= _options.Reach) return null;
        BlockPos self = feet;
        int r = (int)Math.Floor(_options.Reach);
        BlockPos? best = null;
        (int Walk, int Level) bestKey = (int.MaxValue, int.MaxValue);
        for (int dx = -r; dx <= r; dx++)
            for (int dz = -r; dz <= r; dz++)
                for (int dy = -2; dy <= 1; dy++)
                {
                    var p = target.Offset(dx, dy, dz);
                    if (!_world.InBounds(p.X, p.Y + 1, p.Z) || p.Y < 1) continue;
                    if (p.X >= boxMin.X && p.X <= boxMax.X && p.Z >= boxMin.Z && p.Z <= boxMax.Z && p.Y + 1 >= boxMin.Y && p.Y <= boxMax.Y) continue;
                    if (_world.Get(p) != Block.Air || _world.Get(p.Above) != Block.Air) continue;
                    if (_agents.Any(a => a.Feet != self && (a.Feet == p || a.Feet == p.Above || a.Feet.Above == p))) continue;
                    if (BuildReach.Distance(p, p.Y, target) > _options.Reach) continue;
                    var key = (Math.Abs(p.X - feet.X) + Math.Abs(p.Z - feet.Z), Math.Abs(dy + 1));
                    if (key.CompareTo(bestKey) < 0) { bestKey = key; best = p; }
                }
        if (best is not BlockPos stand) return $"{Pos(target)} has no free place to stand within reach";
        if (walked + bestKey.Walk > CodeAction.MaxMoveBlocks)
            return $"{Pos(target)} is beyond the {CodeAction.MaxMoveBlocks}-block walk of one building action";
        walked += bestKey.Walk;
        feet = stand;
        return null;
    }

    /// <summary>The agent ends a building action at its last standing place, climbing down its scaffolding to the first block below.</summary>
    private void StandAt(AgentState agent, BlockPos feet)
    {
        if (feet != agent.Feet)
        {
            double yaw = YawOf(feet.X - agent.Feet.X, feet.Z - agent.Feet.Z);
            agent.Pose = new Pose(new Vec3(feet.X + 0.5, feet.Y, feet.Z + 0.5), yaw, agent.Pose.Pitch);
        }
        Settle();
    }

    private static (BlockPos Min, BlockPos Max, int Count) Box(BlockPos a, BlockPos b)
    {
        var min = new BlockPos(Math.Min(a.X, b.X), Math.Min(a.Y, b.Y), Math.Min(a.Z, b.Z));
        var max = new BlockPos(Math.Max(a.X, b.X), Math.Max(a.Y, b.Y), Math.Max(a.Z, b.Z));
        return (min, max, PlaceBox.Cells(a, b));
    }

    private static string BoxText(BlockPos min, BlockPos max) => $"{Pos(min)}..{Pos(max)}";

    private ActionResult DoPlaceBox(AgentState agent, string item, BlockPos from, BlockPos to)
    {
        var (min, max, count) = Box(from, to);
        if (count > PlaceBox.MaxBlocks)
            return new ActionResult(false, $"the box {BoxText(min, max)} has {count} cells; a build action covers at most {PlaceBox.MaxBlocks}: split it into lines or layers");
        if (Items.BlockOf(item) is not { } block || block is Block.Water or Block.Bedrock or Block.Chest)
            return new ActionResult(false, $"\"{item}\" is not a block placeBox can place");
        if (!agent.Inventory.Has(item)) return new ActionResult(false, $"no {item} in the inventory; collect or craft it first");
        int placed = 0, already = 0, walked = 0;
        BlockPos feet = agent.Feet;
        var cells = new List<BlockPos>(count);
        for (int y = min.Y; y <= max.Y; y++)
            for (int z = min.Z; z <= max.Z; z++)
                for (int x = min.X; x <= max.X; x++)
                    cells.Add(new BlockPos(x, y, z));
        // Blocks that had nothing to be placed against are tried again after the others (an eave hangs from the
        // layer above it), while that places more.
        var failures = new Dictionary<BlockPos, string>();
        bool progress = true;
        for (int pass = 0; progress && cells.Count > 0; pass++)
        {
            progress = false;
            var retry = new List<BlockPos>();
            foreach (BlockPos target in cells)
            {
                string? why = _world.Get(target) == block ? "" : WalkAlong(ref feet, ref walked, target, min, max) ?? PlaceOneOfBox(agent, feet, item, block, target);
                if (why is null) { placed++; progress = true; failures.Remove(target); }
                else if (why.Length == 0) { if (pass == 0) already++; failures.Remove(target); }
                else
                {
                    failures[target] = why;
                    if (why.Contains("no solid neighbour", StringComparison.Ordinal)) retry.Add(target);
                }
            }
            cells = retry;
        }
        int failed = failures.Count;
        string? firstFailure = failures.Count > 0 ? failures.OrderBy(f => (f.Key.Y, f.Key.Z, f.Key.X)).First().Value : null;
        StandAt(agent, feet);
        string summary = $"placed {placed} {item} in the box {BoxText(min, max)} ({count} cells";
        summary += already > 0 ? $", {already} already {item})" : ")";
        if (walked > 0) summary += $", walking {walked} blocks to {Pos(agent.Feet)}";
        return failed == 0
            ? new ActionResult(true, summary, walked)
            : new ActionResult(false, $"{summary}; {failed} failed, the first: {firstFailure}", walked);
    }

    /// <summary>Places one block of a box: null when placed, "" when the cell holds the block already, else why not.</summary>
    private string? PlaceOneOfBox(AgentState agent, BlockPos feet, string item, Block block, BlockPos target)
    {
        if (!_world.InBounds(target.X, target.Y, target.Z) || target.Y < 1) return $"{Pos(target)} is outside the world";
        var there = _world.Get(target);
        if (there == block) return "";
        if (there is not (Block.Air or Block.Water)) return $"{Pos(target)} is taken by {Name(there)}";
        if (!agent.Inventory.Has(item)) return $"no {item} left in the inventory";
        if (LiftReachDistance(feet, target) is var d && d > _options.Reach)
            return FormattableString.Invariant($"{Pos(target)} is out of reach ({d:0.#} blocks from the standing column, reach {_options.Reach:0.#})");
        bool support = false;
        foreach (var n in (ReadOnlySpan<BlockPos>)[target.Above, target.Below, target.Offset(1, 0, 0), target.Offset(-1, 0, 0), target.Offset(0, 0, 1), target.Offset(0, 0, -1)])
            if (BlockTable.IsSolid(_world.Get(n))) support = true;
        if (!support) return $"{Pos(target)} has no solid neighbour to place against";
        foreach (var a in _agents)
        {
            BlockPos at = a == agent ? feet : a.Feet;
            if (at == target || at.Above == target) return $"{Pos(target)} is inside agent {a.Id}";
        }
        foreach (var animal in _animals)
            if (animal.Feet == target) return $"a {animal.Kind} stands at {Pos(target)}";
        agent.Inventory.Remove(item, 1);
        _world.Set(target, block);
        agent.Saw(target, block);
        return null;
    }

    private ActionResult DoRemoveBox(AgentState agent, BlockPos from, BlockPos to)
    {
        var (min, max, count) = Box(from, to);
        if (count > PlaceBox.MaxBlocks)
            return new ActionResult(false, $"the box {BoxText(min, max)} has {count} cells; a build action covers at most {PlaceBox.MaxBlocks}: split it into lines or layers");
        int removed = 0, failed = 0, walked = 0;
        string? firstFailure = null;
        BlockPos feet = agent.Feet;
        var gained = new Dictionary<string, int>();
        for (int y = max.Y; y >= min.Y; y--)
            for (int z = min.Z; z <= max.Z; z++)
                for (int x = min.X; x <= max.X; x++)
                {
                    var target = new BlockPos(x, y, z);
                    if (!_world.InBounds(x, y, z)) { failed++; firstFailure ??= $"{Pos(target)} is outside the world"; continue; }
                    var block = _world.Get(target);
                    if (block == Block.Air) continue;
                    string? why = block is Block.Water or Block.Chest ? $"{Name(block)} at {Pos(target)} cannot be removed"
                        : WalkAlong(ref feet, ref walked, target, target, target) is string far ? far
                        : !Exposed(target) ? $"{Name(block)} at {Pos(target)} is enclosed"
                        : !TryBreak(agent, target, gained, out string broke) ? broke : null;
                    if (why is null) removed++;
                    else
                    {
                        failed++;
                        firstFailure ??= why;
                    }
                }
        StandAt(agent, feet);
        string summary = $"removed {removed} blocks in the box {BoxText(min, max)} ({count} cells)" + (walked > 0 ? $", walking {walked} blocks to {Pos(agent.Feet)}" : "");
        return failed == 0
            ? new ActionResult(true, summary, walked, gained)
            : new ActionResult(false, $"{summary}; {failed} failed, the first: {firstFailure}", walked, gained);
    }
}
