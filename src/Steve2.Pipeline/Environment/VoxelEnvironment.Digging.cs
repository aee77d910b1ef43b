using Steve2.Pipeline.World;

namespace Steve2.Pipeline.Environment;

// The digging skills of the voxel backend: digDown, staircase and tunnel (ACTIONS.md, "Digging"). Each mines
// several blocks in one action, every block with the tool tier its block needs (BLOCKS.md), its drop to the
// inventory; the agent moves along and stops safely before water, an open drop, bedrock or a block its tools
// cannot harvest, and the message says what stopped it.
public sealed partial class VoxelEnvironment
{
    /// <summary>Ores by value: after digging, the agent looks at the most valuable ore the action exposed.</summary>
    private static readonly Block[] OresByValue = [Block.DiamondOre, Block.GoldOre, Block.IronOre, Block.CoalOre];

    /// <summary>What one digging action did so far.</summary>
    private sealed class DigProgress(BlockPos start)
    {
        public BlockPos Start { get; } = start;
        public Dictionary<string, int> Gained { get; } = [];
        public int Mined { get; set; }
        public int Steps { get; set; }
        public int Moved { get; set; }
        public Dictionary<BlockPos, Block> ExposedOres { get; } = [];
        public string? Stop { get; set; }

    }

    private ActionResult DoDigDown(AgentState agent, int blocks)
    {
        if (blocks is < 1 or > CodeAction.MaxDigSteps) return new ActionResult(false, $"digDown takes 1..{CodeAction.MaxDigSteps} blocks, got {blocks}");
        var dig = new DigProgress(agent.Feet);
        while (dig.Steps < blocks && dig.Stop is null)
        {
            var feet = agent.Feet;
            var below = feet.Below;
            if (below.Y < 1 || _world.Get(below) == Block.Bedrock) { dig.Stop = $"bedrock below {Pos(feet)}"; break; }
            // Where the agent would land: the first standable cell below once the block under the feet is gone.
            int land = below.Y;
            while (land > 1 && !BlockTable.IsSolid(_world.Get(feet.X, land - 1, feet.Z)) && _world.Get(feet.X, land - 1, feet.Z) != Block.Water) land--;
            var floor = _world.Get(feet.X, land - 1, feet.Z);
            if (floor == Block.Water || _world.Get(feet.X, land, feet.Z) == Block.Water) { dig.Stop = $"water below {Pos(feet)}"; break; }
            if (feet.Y - land > WalkingRules.MaxDrop)
            {
                dig.Stop = $"an open drop of {feet.Y - land} blocks below {Pos(feet)} (a cave)";
                break;
            }
            if (!DigCell(agent, below, dig)) break;
            Settle();
            if (agent.Feet == feet) { dig.Stop = $"could not descend at {Pos(feet)}"; break; }
            dig.Steps++;
        }
        return DigResult(agent, dig, "digDown", blocks, 0, 0, pitch: 0);
    }

    private ActionResult DoStaircase(AgentState agent, Direction direction, int steps)
    {
        if (steps is < 1 or > CodeAction.MaxDigSteps) return new ActionResult(false, $"staircase takes 1..{CodeAction.MaxDigSteps} steps, got {steps}");
        if (!Cardinal(direction, out int dx, out int dz)) return new ActionResult(false, $"staircase digs north, east, south or west, not {Lower(direction)}");
        var dig = new DigProgress(agent.Feet);
        while (dig.Steps < steps && dig.Stop is null)
        {
            var feet = agent.Feet;
            var next = new BlockPos(feet.X + dx, feet.Y - 1, feet.Z + dz);
            if (!_world.InBoundsColumn(next.X, next.Z)) { dig.Stop = "the world's edge"; break; }
            if (next.Y < 2) { dig.Stop = "the bottom of the world"; break; }
            if (!FloorAhead(next, dig)) break;
            if (!DigCell(agent, next.Offset(0, 2, 0), dig) || !DigCell(agent, next.Above, dig) || !DigCell(agent, next, dig)) break;
            if (!StepTo(agent, next, dig)) break;
        }
        return DigResult(agent, dig, "staircase " + Lower(direction), steps, dx, dz, pitch: 35);
    }

    private ActionResult DoTunnel(AgentState agent, Direction direction, int blocks)
    {
        if (blocks is < 1 or > CodeAction.MaxDigSteps) return new ActionResult(false, $"tunnel takes 1..{CodeAction.MaxDigSteps} blocks, got {blocks}");
        if (!Cardinal(direction, out int dx, out int dz)) return new ActionResult(false, $"tunnel digs north, east, south or west, not {Lower(direction)}");
        var dig = new DigProgress(agent.Feet);
        while (dig.Steps < blocks && dig.Stop is null)
        {
            var feet = agent.Feet;
            var next = new BlockPos(feet.X + dx, feet.Y, feet.Z + dz);
            if (!_world.InBoundsColumn(next.X, next.Z)) { dig.Stop = "the world's edge"; break; }
            if (!FloorAhead(next, dig)) break;
            if (!DigCell(agent, next.Above, dig) || !DigCell(agent, next, dig)) break;
            if (!StepTo(agent, next, dig)) break;
        }
        return DigResult(agent, dig, "tunnel " + Lower(direction), blocks, dx, dz, pitch: 0);
    }

    private static string Lower(Direction d) => d.ToString().ToLowerInvariant();

    private static bool Cardinal(Direction d, out int dx, out int dz)
    {
        (dx, dz) = d.Step();
        return dx == 0 || dz == 0;
    }

    /// <summary>Whether the floor under the next feet cell holds (solid, not water); else says what is there.</summary>
    private bool FloorAhead(BlockPos next, DigProgress dig)
    {
        var floor = _world.Get(next.Below);
        if (floor == Block.Water) dig.Stop = $"water under {Pos(next)}";
        else if (!BlockTable.IsSolid(floor))
        {
            int depth = 1;
            while (depth < 64 && next.Y - 1 - depth >= 1 && !BlockTable.IsSolid(_world.Get(next.X, next.Y - 1 - depth, next.Z))) depth++;
            dig.Stop = $"an open drop of {depth} blocks ahead at {Pos(next)} (a cave or ravine)";
        }
        return dig.Stop is null;
    }

    /// <summary>
    /// Clears one cell of the way: air and torches are passed; any other block is mined with the tool its tier needs.
    /// Stops (false) before water, a block next to water (it would flood the way), a chest, bedrock or a block the held
    /// tools cannot harvest.
    /// </summary>
    private bool DigCell(AgentState agent, BlockPos cell, DigProgress dig)
    {
        if (!_world.InBounds(cell.X, cell.Y, cell.Z)) { dig.Stop = $"{Pos(cell)} is outside the world"; return false; }
        var block = _world.Get(cell);
        if (block is Block.Air or Block.Torch) return true;
        if (block == Block.Water) { dig.Stop = $"water at {Pos(cell)}"; return false; }
        if (block == Block.Chest) { dig.Stop = $"a chest at {Pos(cell)} (open it with openChest)"; return false; }
        foreach (var n in (ReadOnlySpan<BlockPos>)[cell.Above, cell.Offset(1, 0, 0), cell.Offset(-1, 0, 0), cell.Offset(0, 0, 1), cell.Offset(0, 0, -1)])
            if (_world.Get(n) == Block.Water) { dig.Stop = $"water behind {Name(block)} at {Pos(cell)}"; return false; }
        if (!TryBreak(agent, cell, dig.Gained, out string why)) { dig.Stop = why; return false; }
        dig.Mined++;
        foreach (var n in (ReadOnlySpan<BlockPos>)[cell.Above, cell.Below, cell.Offset(1, 0, 0), cell.Offset(-1, 0, 0), cell.Offset(0, 0, 1), cell.Offset(0, 0, -1)])
        {
            var nb = _world.Get(n);
            if (Array.IndexOf(OresByValue, nb) >= 0) dig.ExposedOres[n] = nb;
        }
        return true;
    }

    /// <summary>Moves the agent's feet to a cleared cell it can stand in.</summary>
    private bool StepTo(AgentState agent, BlockPos next, DigProgress dig)
    {
        if (!WalkingRules.CanStand(_world, next)) { dig.Stop = $"no room to stand at {Pos(next)}"; return false; }
        agent.Pose = agent.Pose with { Position = new Vec3(next.X + 0.5, next.Y, next.Z + 0.5) };
        dig.Steps++;
        dig.Moved++;
        return true;
    }

    /// <summary>
    /// The action's report: steps done, blocks mined, drops and where it stopped. The agent faces the way it dug (with
    /// <paramref name="pitch"/>), or looks at the most valuable ore the action exposed that is still there.
    /// </summary>
    private ActionResult DigResult(AgentState agent, DigProgress dig, string what, int asked, int dx, int dz, double pitch)
    {
        var feet = agent.Feet;
        double yaw = dx != 0 || dz != 0 ? YawOf(dx, dz) : agent.Pose.Yaw;
        agent.Pose = agent.Pose with { Yaw = yaw, Pitch = pitch };
        string exposed = "";
        var eye = FirstPersonRaycaster.Eye(agent.Pose);
        var ore = dig.ExposedOres.Where(kv => _world.Get(kv.Key) == kv.Value)
            .OrderBy(kv => Array.IndexOf(OresByValue, kv.Value)).ThenBy(kv => ReachDistance(eye, kv.Key)).ThenBy(kv => (kv.Key.X, kv.Key.Y, kv.Key.Z))
            .Select(kv => (KeyValuePair<BlockPos, Block>?)kv).FirstOrDefault();
        if (ore is { } o)
        {
            double ox = o.Key.X + 0.5 - eye.X, oy = o.Key.Y + 0.5 - eye.Y, oz = o.Key.Z + 0.5 - eye.Z;
            agent.Pose = agent.Pose with
            {
                Yaw = Math.Atan2(-ox, oz) * 180 / Math.PI,
                Pitch = Math.Clamp(-Math.Atan2(oy, Math.Sqrt(ox * ox + oz * oz)) * 180 / Math.PI, -90, 90),
            };
            var counts = dig.ExposedOres.Where(kv => _world.Get(kv.Key) == kv.Value).GroupBy(kv => kv.Value)
                .OrderBy(g => Array.IndexOf(OresByValue, g.Key)).Select(g => $"{g.Count()} {Name(g.Key)}");
            exposed = $"; exposed {string.Join(", ", counts)}, looking at the {Name(o.Value)} at {Pos(o.Key)}";
        }
        string drops = dig.Gained.Count == 0 ? "" : " (" + string.Join(", ", dig.Gained.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Value} {kv.Key}")) + ")";
        string message = $"{what}: {dig.Steps} of {asked} done, mined {dig.Mined} blocks{drops}, now at {Pos(feet)}{exposed}";
        if (dig.Stop is not null) message += $"; stopped: {dig.Stop}";
        return new ActionResult(dig.Steps == asked, message, dig.Moved, dig.Gained);
    }
}
