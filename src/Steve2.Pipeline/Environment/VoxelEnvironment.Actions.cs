using System.Globalization;
using Steve2.Pipeline.World;

namespace Steve2.Pipeline.Environment;

// The code actions of the voxel backend; ACTIONS.md states each rule and its failure messages.
public sealed partial class VoxelEnvironment
{
    private const int MaxCollectSearches = 12;
    private const int MaxCollectCount = 64;

    /// <summary>An exploration that ends this close to its goal column (after detours) counts as done.</summary>
    private const int ExploreTolerance = 4;

    private static string Pos(BlockPos p) => p.ToString();

    private static string Name(Block b) => Items.OfBlock(b);

    private static double YawOf(int dx, int dz) => Math.Atan2(-dx, dz) * 180 / Math.PI;

    /// <summary>Walks the agent along a path; returns the horizontal blocks moved.</summary>
    private int Walk(AgentState agent, IReadOnlyList<BlockPos> path)
    {
        if (path.Count == 0) return 0;
        var previous = agent.Feet;
        var last = path[^1];
        var beforeLast = path.Count >= 2 ? path[^2] : previous;
        double yaw = YawOf(last.X - beforeLast.X, last.Z - beforeLast.Z);
        agent.Pose = new Pose(new Vec3(last.X + 0.5, last.Y, last.Z + 0.5), yaw, agent.Pose.Pitch);
        return path.Count;
    }

    private ActionResult DoMoveTo(AgentState agent, BlockPos target)
    {
        if (!_world.InBounds(target.X, target.Y, target.Z))
            return new ActionResult(false, $"{Pos(target)} is outside the world (x {_world.MinX}..{_world.MaxX}, y 1..{_world.SizeY - 2}, z {_world.MinZ}..{_world.MaxZ})");
        BlockPos goal;
        string note = "";
        if (WalkingRules.CanOccupy(_world, target)) goal = target;
        else if (WalkingRules.CanOccupy(_world, target.Above)) goal = target.Above;
        else if (WalkingRules.StandableInColumn(_world, target.X, target.Z, target.Y) is { } column)
        {
            goal = column;
            note = $" ({Pos(target)} is no place to stand; aiming at {Pos(column)} in that column)";
        }
        else return new ActionResult(false, $"there is no place to stand in the column of {Pos(target)}; choose another target");

        var result = PathFinder.Find(_world, agent.Feet, (goal.X, goal.Z), p => p == goal, 0, 4 * CodeAction.MaxMoveBlocks, CodeAction.MaxMoveBlocks, _options.PathNodeBudget);
        int moved = Walk(agent, result.Path);
        if (result.ReachedGoal) return new ActionResult(true, $"arrived at {Pos(goal)} after {moved} blocks{note}", moved);
        if (result.GoalFound)
            return new ActionResult(false, $"moved {moved} of {result.FullLength} path blocks toward {Pos(goal)}: a path is longer than {CodeAction.MaxMoveBlocks} blocks; call moveTo again to continue{note}", moved);
        int left = Math.Abs(agent.Feet.X - goal.X) + Math.Abs(agent.Feet.Z - goal.Z);
        return moved == 0
            ? new ActionResult(false, $"no path to {Pos(goal)} from {Pos(agent.Feet)} (blocked by water, cliffs or walls); stayed{note}")
            : new ActionResult(false, $"no path to {Pos(goal)} found; moved {moved} blocks to {Pos(agent.Feet)}, the closest reachable point, {left} blocks from the target column{note}", moved);
    }

    private ActionResult DoExplore(AgentState agent, Direction direction, int blocks)
    {
        if (blocks is < 1 or > CodeAction.MaxMoveBlocks)
            return new ActionResult(false, $"explore takes 1..{CodeAction.MaxMoveBlocks} blocks, got {blocks}");
        var (sx, sz) = direction.Step();
        bool diagonal = sx != 0 && sz != 0;
        if (diagonal && blocks < 2)
            return new ActionResult(false, $"a diagonal exploration walks blocks / 2 along each axis: ask for at least 2 blocks {direction.ToString().ToLowerInvariant()}");
        // Diagonals split the blocks between the two axes, so every exploration walks at most `blocks`.
        int along = diagonal ? blocks / 2 : blocks;
        var feet = agent.Feet;
        int gx = Math.Clamp(feet.X + sx * along, _world.MinX, _world.MaxX), gz = Math.Clamp(feet.Z + sz * along, _world.MinZ, _world.MaxZ);
        string dir = direction.ToString().ToLowerInvariant();
        // The edge met, by axis and coordinate (the last column inside the world), so an agent can learn where the world ends.
        bool clampedX = gx != feet.X + sx * along, clampedZ = gz != feet.Z + sz * along;
        string edgeAt = string.Join(", ", new[] { clampedX ? $"x = {gx}" : null, clampedZ ? $"z = {gz}" : null }.Where(e => e is not null));
        if (gx == feet.X && gz == feet.Z) return new ActionResult(false, $"cannot explore {dir}: the world ends here ({Pos(feet)}; world's edge at {edgeAt})");
        bool edge = clampedX || clampedZ;
        int budget = Math.Abs(gx - feet.X) + Math.Abs(gz - feet.Z);
        var result = PathFinder.Find(_world, feet, (gx, gz), p => p.X == gx && p.Z == gz, 0, budget, budget, _options.PathNodeBudget);
        int moved = Walk(agent, result.Path);
        // Keep looking the way we explore, level.
        agent.Pose = agent.Pose with { Yaw = YawOf(sx, sz), Pitch = 0 };
        string edgeNote = edge ? $" (stopped at the world's edge at {edgeAt})" : "";
        if (result.ReachedGoal)
            return new ActionResult(!edge, $"explored {moved} blocks {dir} to {Pos(agent.Feet)}{edgeNote}", moved);
        int shortBy = Math.Abs(gx - agent.Feet.X) + Math.Abs(gz - agent.Feet.Z);
        if (moved > 0 && shortBy <= ExploreTolerance && !edge)
            return new ActionResult(true, $"explored {moved} blocks {dir} to {Pos(agent.Feet)}, {shortBy} short of the goal column after going around obstacles", moved);
        return new ActionResult(false, moved == 0
            ? $"cannot explore {dir} from {Pos(feet)}: blocked by water, a cliff or a wall; try another direction"
            : $"explored {moved} blocks {dir} to {Pos(agent.Feet)}, then blocked (water, cliff or wall){edgeNote}", moved);
    }

    private static ActionResult DoLookAt(AgentState agent, double yaw, double pitch)
    {
        if (!double.IsFinite(yaw) || !double.IsFinite(pitch))
            return new ActionResult(false, "lookAt needs finite yaw and pitch in degrees");
        if (pitch is < -90 or > 90)
            return new ActionResult(false, $"pitch must be in -90..90 degrees (90 looks straight down), got {pitch.ToString(CultureInfo.InvariantCulture)}");
        double normalized = yaw % 360;
        if (normalized > 180) normalized -= 360;
        if (normalized <= -180) normalized += 360;
        agent.Pose = agent.Pose with { Yaw = normalized, Pitch = pitch };
        return new ActionResult(true, FormattableString.Invariant($"looking at yaw {normalized:0.#}, pitch {pitch:0.#}"));
    }

    /// <summary>Distance from the agent's eye to the nearest point of a block.</summary>
    private static double ReachDistance(Vec3 eye, BlockPos b)
    {
        double dx = Math.Max(Math.Max(b.X - eye.X, 0), eye.X - (b.X + 1));
        double dy = Math.Max(Math.Max(b.Y - eye.Y, 0), eye.Y - (b.Y + 1));
        double dz = Math.Max(Math.Max(b.Z - eye.Z, 0), eye.Z - (b.Z + 1));
        return Math.Sqrt(dx * dx + dy * dy + dz * dz);
    }

    private bool InReach(AgentState agent, BlockPos b) => ReachDistance(FirstPersonRaycaster.Eye(agent.Pose), b) <= _options.Reach;

    private bool InReachFrom(BlockPos feet, BlockPos b) => ReachDistance(new Vec3(feet.X + 0.5, feet.Y + Pose.EyeHeight, feet.Z + 0.5), b) <= _options.Reach;

    /// <summary>Whether a block has a face open to a non-solid neighbour (the cheap line-of-sight rule for mining).</summary>
    private bool Exposed(BlockPos b)
    {
        foreach (var n in (ReadOnlySpan<BlockPos>)[b.Above, b.Below, b.Offset(1, 0, 0), b.Offset(-1, 0, 0), b.Offset(0, 0, 1), b.Offset(0, 0, -1)])
            if (!BlockTable.IsSolid(_world.Get(n))) return true;
        return false;
    }

    private string ReachMessage(AgentState agent, BlockPos b) =>
        FormattableString.Invariant($"{Pos(b)} is out of reach ({ReachDistance(FirstPersonRaycaster.Eye(agent.Pose), b):0.#} blocks from the eye, reach {_options.Reach:0.#}); moveTo next to it first");

    private ActionResult DoMine(AgentState agent, BlockPos target)
    {
        if (!_world.InBounds(target.X, target.Y, target.Z)) return new ActionResult(false, $"{Pos(target)} is outside the world");
        var block = _world.Get(target);
        if (block == Block.Air) return new ActionResult(false, $"there is nothing to mine at {Pos(target)} (air)");
        if (block == Block.Water) return new ActionResult(false, $"water at {Pos(target)} cannot be mined");
        if (block == Block.Chest) return new ActionResult(false, $"the chest at {Pos(target)} is opened with openChest, not mined");
        if (!InReach(agent, target)) return new ActionResult(false, ReachMessage(agent, target));
        if (!Exposed(target)) return new ActionResult(false, $"{Name(block)} at {Pos(target)} is enclosed: mine a neighbouring block first");
        var gained = new Dictionary<string, int>();
        if (!TryBreak(agent, target, gained, out string why)) return new ActionResult(false, why);
        string what = gained.Count == 0 ? "nothing dropped" : "got " + string.Join(", ", gained.Select(kv => $"{kv.Value} {kv.Key}"));
        return new ActionResult(true, $"mined {Name(block)} at {Pos(target)}: {what}", 0, gained);
    }

    /// <summary>Breaks a reachable block if the agent's tools allow; adds the drop to <paramref name="gained"/> and the inventory.</summary>
    private bool TryBreak(AgentState agent, BlockPos target, Dictionary<string, int> gained, out string why)
    {
        var block = _world.Get(target);
        var info = BlockTable.Get(block);
        if (info.Tool == ToolTier.Unbreakable)
        {
            why = $"{Name(block)} at {Pos(target)} cannot be broken";
            return false;
        }
        var tool = BlockTable.BestTool(agent.Inventory.View);
        if (tool < info.Tool)
        {
            why = $"{Name(block)} needs a {BlockTable.PickaxeOf(info.Tool)} or better to harvest (best tool held: {BlockTable.PickaxeOf(tool)}); craft one first";
            return false;
        }
        _world.Set(target, Block.Air);
        string? drop = info.Drop;
        if (block == Block.OakLeaves && _rng.Chance(0.1)) drop = Items.Apple;
        if (drop is not null)
        {
            agent.Inventory.Add(drop, 1);
            gained[drop] = gained.GetValueOrDefault(drop) + 1;
        }
        // What was behind the broken block is now in view.
        foreach (var n in (ReadOnlySpan<BlockPos>)[target.Above, target.Below, target.Offset(1, 0, 0), target.Offset(-1, 0, 0), target.Offset(0, 0, 1), target.Offset(0, 0, -1)])
        {
            var nb = _world.Get(n);
            if (nb != Block.Air) agent.Saw(n, nb);
        }
        Settle();
        why = "";
        return true;
    }

    private ActionResult DoCollect(AgentState agent, string item, int count)
    {
        if (count is < 1 or > MaxCollectCount) return new ActionResult(false, $"collect count must be 1..{MaxCollectCount}, got {count}");
        if (Animal.KindDropping(item) is { } kind) return CollectFromAnimals(agent, item, kind, count);
        var sources = BlockTable.All.Where(i => i.Drop == item).Select(i => i.Block).ToHashSet();
        if (sources.Count == 0)
            return new ActionResult(false, Items.NotCollectable(item));
        var tool = BlockTable.BestTool(agent.Inventory.View);
        var harvestable = sources.Where(b => BlockTable.Get(b).Tool <= tool).ToHashSet();
        if (harvestable.Count == 0)
        {
            var need = sources.Min(b => BlockTable.Get(b).Tool);
            return new ActionResult(false, $"{item} comes from {string.Join(" or ", sources.Select(Name))}, which needs a {BlockTable.PickaxeOf(need)} or better; craft one first");
        }
        var gained = new Dictionary<string, int>();
        var tried = new HashSet<BlockPos>();
        int moved = 0, searches = 0, got = 0;
        while (got < count && searches < MaxCollectSearches)
        {
            var eye = FirstPersonRaycaster.Eye(agent.Pose);
            BlockPos? next = null;
            double bestD = double.PositiveInfinity;
            int reachable = CodeAction.MaxMoveBlocks - moved + (int)Math.Ceiling(_options.Reach) + 1;
            foreach (var type in harvestable)
            {
                if (!agent.KnownSources.TryGetValue(type, out var known)) continue;
                foreach (var p in known)
                {
                    if (tried.Contains(p) || Math.Abs(p.X - agent.Feet.X) + Math.Abs(p.Z - agent.Feet.Z) > reachable || _world.Get(p) != type) continue;
                    double d = ReachDistance(eye, p);
                    if (d < bestD || d == bestD && next is { } q && (p.X, p.Y, p.Z).CompareTo((q.X, q.Y, q.Z)) < 0)
                    {
                        bestD = d;
                        next = p;
                    }
                }
            }
            if (next is not { } target) break;
            tried.Add(target);
            if (!Exposed(target)) continue;
            if (!InReach(agent, target))
            {
                int remaining = CodeAction.MaxMoveBlocks - moved;
                if (remaining <= 0) break;
                searches++;
                var path = PathFinder.Find(_world, agent.Feet, (target.X, target.Z), p => InReachFrom(p, target), 3, remaining, remaining, _options.PathNodeBudget);
                if (!path.ReachedGoal) continue;
                moved += Walk(agent, path.Path);
            }
            if (TryBreak(agent, target, gained, out _)) got = gained.GetValueOrDefault(item);
        }
        string summary = $"collected {got} of {count} {item}" + (moved > 0 ? $" (moved {moved} blocks)" : "");
        if (got >= count) return new ActionResult(true, summary, moved, gained);
        string why = moved >= CodeAction.MaxMoveBlocks
            ? $"the {CodeAction.MaxMoveBlocks}-block movement limit was reached; collect again to go on"
            : $"no more known, reachable {string.Join(" or ", harvestable.Select(Name))} within {CodeAction.MaxMoveBlocks} blocks: explore or look around to find more";
        return new ActionResult(false, $"{summary}; {why}", moved, gained);
    }

    private ActionResult CollectFromAnimals(AgentState agent, string item, string kind, int count)
    {
        var gained = new Dictionary<string, int>();
        int moved = 0, got = 0, searches = 0;
        var tried = new HashSet<int>();
        while (got < count && searches < MaxCollectSearches)
        {
            var feet = agent.Feet;
            var target = _animals
                .Where(a => a.Kind == kind && !tried.Contains(a.Id) && (agent.SeenAnimals.Contains(a.Id) || a.Feet.DistanceSquared(feet) <= 64))
                .OrderBy(a => a.Feet.DistanceSquared(feet)).ThenBy(a => a.Id).FirstOrDefault();
            if (target is null) break;
            tried.Add(target.Id);
            if (!InReach(agent, target.Feet))
            {
                int remaining = CodeAction.MaxMoveBlocks - moved;
                if (remaining <= 0) break;
                searches++;
                var goalCell = target.Feet;
                var path = PathFinder.Find(_world, feet, (goalCell.X, goalCell.Z), p => InReachFrom(p, goalCell), 3, remaining, remaining, _options.PathNodeBudget);
                if (!path.ReachedGoal) continue;
                moved += Walk(agent, path.Path);
            }
            _animals.Remove(target);
            var (drop, min, max) = Animal.Drop(kind);
            int n = _rng.Next(min, max + 1);
            agent.Inventory.Add(drop, n);
            gained[drop] = gained.GetValueOrDefault(drop) + n;
            got += n;
        }
        string summary = $"collected {got} of {count} {item} from {kind}s" + (moved > 0 ? $" (moved {moved} blocks)" : "");
        if (got >= count) return new ActionResult(true, summary, moved, gained);
        return new ActionResult(false, $"{summary}; no more {kind}s seen within reach of {CodeAction.MaxMoveBlocks} blocks: explore or listen for them", moved, gained);
    }

    private ActionResult DoCraft(AgentState agent, string item, int count)
    {
        bool Station(string station) =>
            agent.Inventory.Has(station) || station == Items.CraftingTable && BlockWithinReach(agent, Block.CraftingTable);
        bool ok = Recipes.TryCraft(item, count, agent.Inventory, Station, out int made, out string message);
        return new ActionResult(ok, message, 0, ok ? new Dictionary<string, int> { [item] = made } : null);
    }

    private bool BlockWithinReach(AgentState agent, Block block)
    {
        var eye = FirstPersonRaycaster.Eye(agent.Pose);
        int r = (int)Math.Ceiling(_options.Reach) + 1;
        var c = eye.Floor();
        for (int x = c.X - r; x <= c.X + r; x++)
        for (int y = c.Y - r; y <= c.Y + r; y++)
        for (int z = c.Z - r; z <= c.Z + r; z++)
            if (_world.Get(x, y, z) == block && ReachDistance(eye, new BlockPos(x, y, z)) <= _options.Reach) return true;
        return false;
    }

    private ActionResult DoPlace(AgentState agent, string item, BlockPos target)
    {
        if (Items.BlockOf(item) is not { } block || block is Block.Water or Block.Bedrock)
            return new ActionResult(false, $"\"{item}\" is not a placeable block");
        if (!agent.Inventory.Has(item)) return new ActionResult(false, $"no {item} in the inventory; collect or craft it first");
        if (!_world.InBounds(target.X, target.Y, target.Z) || target.Y < 1) return new ActionResult(false, $"{Pos(target)} is outside the world");
        var there = _world.Get(target);
        if (there is not (Block.Air or Block.Water)) return new ActionResult(false, $"{Pos(target)} is taken by {Name(there)}; mine it first or choose an empty cell");
        if (!InReach(agent, target)) return new ActionResult(false, ReachMessage(agent, target));
        bool support = false;
        foreach (var n in (ReadOnlySpan<BlockPos>)[target.Above, target.Below, target.Offset(1, 0, 0), target.Offset(-1, 0, 0), target.Offset(0, 0, 1), target.Offset(0, 0, -1)])
            if (BlockTable.IsSolid(_world.Get(n))) support = true;
        if (!support) return new ActionResult(false, $"{Pos(target)} has no solid neighbour to place against");
        foreach (var a in _agents)
            if (a.Feet == target || a.Feet.Above == target) return new ActionResult(false, $"{Pos(target)} is inside agent {a.Id}; choose a cell beside it");
        foreach (var animal in _animals)
            if (animal.Feet == target) return new ActionResult(false, $"a {animal.Kind} stands at {Pos(target)}");
        agent.Inventory.Remove(item, 1);
        if (block == Block.Chest) _world.PlaceChest(target, new Dictionary<string, int>());
        else _world.Set(target, block);
        agent.Saw(target, block);
        Settle();
        return new ActionResult(true, $"placed {item} at {Pos(target)}");
    }

    private ActionResult DoOpenChest(AgentState agent, BlockPos target)
    {
        if (_world.Get(target) != Block.Chest || _world.Chest(target) is not { } contents)
            return new ActionResult(false, $"there is no chest at {Pos(target)}");
        if (!InReach(agent, target)) return new ActionResult(false, ReachMessage(agent, target));
        if (contents.Count == 0) return new ActionResult(true, $"the chest at {Pos(target)} is empty");
        var gained = new SortedDictionary<string, int>(contents, StringComparer.Ordinal);
        foreach (var (item, n) in gained) agent.Inventory.Add(item, n);
        contents.Clear();
        return new ActionResult(true, $"took {string.Join(", ", gained.Select(kv => $"{kv.Value} {kv.Key}"))} from the chest at {Pos(target)}", 0, gained);
    }
}
