using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Teacher.Decisions;
using Steve2.Pipeline.Teacher.Roles;

namespace Steve2.Pipeline.Teacher.Rules;

/// <summary>
/// The actors' rules: one code action for the agent's directive. Far goals (more than
/// <see cref="MoveRange"/> blocks away) become an exploration step toward them, so no step breaks the
/// movement limit; placing and mining first walk to the standing place within reach that the facts name
/// (outside the build plan's footprint); a box the directive names is built with one building action, which walks
/// along, when it lies within <see cref="BuildWalk"/> blocks, else the agent first walks to a standing place beside it; approaching stops <see cref="StopDistance"/> blocks short of the target (never on its
/// cell) and then looks at it; opening a chest walks to a standing place beside it (or stops short) and opens it in reach.
/// A function of the directive and <see cref="ActorFacts"/> alone.
/// </summary>
public static class ActorRules
{
    public const int MoveRange = 45;

    /// <summary>An approach stops this many blocks (horizontally) short of the target.</summary>
    public const double StopDistance = 2;

    /// <summary>
    /// Approach: within 3 blocks (horizontally) look at the target (its cell's centre, so from 2
    /// blocks the view is level, not straight down); standing on or next to the target's cell (under 1.5) step back to
    /// <see cref="StopDistance"/> first; farther, walk to the cell <see cref="StopDistance"/> short of it on the way.
    /// </summary>
    public static CodeAction Approach(Pose pose, BlockPos target)
    {
        BlockPos feet = pose.Block;
        double h = Horizontal(feet, target);
        if (h < 1.5) return new MoveTo(BackOff(pose, target));
        if (h <= 3) return LookAt(pose, target);
        return Toward(feet, StopShort(feet, target, StopDistance));
    }

    /// <summary>The cell <paramref name="distance"/> blocks short of <paramref name="target"/> on the way from <paramref name="feet"/> (the target's level).</summary>
    public static BlockPos StopShort(BlockPos feet, BlockPos target, double distance)
    {
        double dx = feet.X - target.X, dz = feet.Z - target.Z, h = Math.Sqrt(dx * dx + dz * dz);
        if (h <= distance) return feet;
        return new BlockPos(target.X + (int)Math.Round(dx / h * distance), target.Y, target.Z + (int)Math.Round(dz / h * distance));
    }

    /// <summary>Two blocks back from the target, opposite to where the agent faces (it faces the target after arriving).</summary>
    private static BlockPos BackOff(Pose pose, BlockPos target)
    {
        double yaw = pose.Yaw * Math.PI / 180;
        return new BlockPos(target.X + (int)Math.Round(Math.Sin(yaw) * StopDistance), target.Y, target.Z - (int)Math.Round(Math.Cos(yaw) * StopDistance));
    }

    public static CodeAction Act(Directive d, ActorFacts f)
    {
        Pose pose = f.Pose;
        BlockPos feet = pose.Block;
        switch (d.Kind)
        {
            case DirectiveKind.GoTo:
                return Toward(feet, d.Target);
            case DirectiveKind.Explore:
                return new Explore(d.Direction, CodeAction.MaxMoveBlocks);
            case DirectiveKind.Approach:
                return Approach(pose, d.Target);
            case DirectiveKind.Open:
                return InReach(pose, d.Target, f.Reach)
                    ? new OpenChest(d.Target)
                    : WalkToStand(feet, f.Stand) ?? Toward(feet, StopShort(feet, d.Target, 2));
            case DirectiveKind.Gather:
                return new Collect(d.Item, d.Count);
            case DirectiveKind.Craft:
                return new Craft(d.Item, d.Count);
            case DirectiveKind.Place when d.To is BlockPos far:
                return WithinBuildWalk(feet, d.Target, far) ? new PlaceBox(d.Item, d.Target, far) : WalkToStand(feet, f.Stand) ?? Toward(feet, d.Target);
            case DirectiveKind.Mine when d.To is BlockPos end:
                return WithinBuildWalk(feet, d.Target, end) ? new RemoveBox(d.Target, end) : WalkToStand(feet, f.Stand) ?? Toward(feet, d.Target);
            case DirectiveKind.Place:
                return InReach(pose, d.Target, f.Reach) && !Occupies(feet, d.Target)
                    ? new Place(d.Item, d.Target)
                    : WalkToStand(feet, f.Stand) ?? new Place(d.Item, d.Target);
            case DirectiveKind.Mine:
                return InReach(pose, d.Target, f.Reach) ? new Mine(d.Target) : WalkToStand(feet, f.Stand) ?? new Mine(d.Target);
            case DirectiveKind.Look:
                return LookAt(pose, d.Target);
            case DirectiveKind.DigDown:
                return new DigDown(Math.Clamp(d.Count, 1, CodeAction.MaxDigSteps));
            case DirectiveKind.Staircase:
                return new Staircase(d.Direction, Math.Clamp(d.Count, 1, CodeAction.MaxDigSteps));
            case DirectiveKind.Tunnel:
                return new Tunnel(d.Direction, Math.Clamp(d.Count, 1, CodeAction.MaxDigSteps));
            default:
                return new Wait();
        }
    }

    /// <summary>Whether the agent can use the block from where it stands (the world's reach rule, with a margin of 0.05).</summary>
    public static bool InReach(Pose pose, BlockPos b, double reach) => ReachDistance(pose, b) <= reach - 0.05;

    /// <summary>Distance from the eye to a block's nearest point (the world's reach rule).</summary>
    public static double ReachDistance(Pose pose, BlockPos b)
    {
        double ex = pose.Position.X, ey = pose.Position.Y + Pose.EyeHeight, ez = pose.Position.Z;
        return ReachFrom(ex, ey, ez, b);
    }

    /// <summary>Distance from an eye position to a block's nearest point.</summary>
    public static double ReachFrom(double ex, double ey, double ez, BlockPos b)
    {
        double dx = Math.Max(Math.Max(b.X - ex, 0), ex - (b.X + 1));
        double dy = Math.Max(Math.Max(b.Y - ey, 0), ey - (b.Y + 1));
        double dz = Math.Max(Math.Max(b.Z - ez, 0), ez - (b.Z + 1));
        return Math.Sqrt(dx * dx + dy * dy + dz * dz);
    }

    /// <summary>How far (blocks, x plus z) a box may lie from the agent for one building action, which walks along (ACTIONS.md): leaves room for the walk inside the box.</summary>
    public const int BuildWalk = 24;

    /// <summary>Whether the box's nearest column is within <see cref="BuildWalk"/> blocks (x plus z) of the agent.</summary>
    public static bool WithinBuildWalk(BlockPos feet, BlockPos from, BlockPos to)
    {
        int dx = Math.Max(0, Math.Max(Math.Min(from.X, to.X) - feet.X, feet.X - Math.Max(from.X, to.X)));
        int dz = Math.Max(0, Math.Max(Math.Min(from.Z, to.Z) - feet.Z, feet.Z - Math.Max(from.Z, to.Z)));
        return dx + dz <= BuildWalk;
    }

    /// <summary>
    /// Whether a box can be built from a standing place: every cell within the building actions' reach
    /// (<see cref="BuildReach"/>, the standing column taken as free) and none in the agent's own column.
    /// </summary>
    public static bool BoxFromHere(BlockPos feet, BlockPos from, BlockPos to, double reach)
    {
        for (int y = Math.Min(from.Y, to.Y); y <= Math.Max(from.Y, to.Y); y++)
            for (int z = Math.Min(from.Z, to.Z); z <= Math.Max(from.Z, to.Z); z++)
                for (int x = Math.Min(from.X, to.X); x <= Math.Max(from.X, to.X); x++)
                {
                    if (x == feet.X && z == feet.Z) return false;
                    if (BuildReach.Distance(feet, int.MaxValue / 2, new BlockPos(x, y, z)) > reach - 0.05) return false;
                }
        return true;
    }

    private static bool Occupies(BlockPos feet, BlockPos target) => target.X == feet.X && target.Z == feet.Z && (target.Y == feet.Y || target.Y == feet.Y + 1);

    private static double Horizontal(BlockPos a, BlockPos b) => Math.Sqrt((double)(a.X - b.X) * (a.X - b.X) + (double)(a.Z - b.Z) * (a.Z - b.Z));

    /// <summary>Walk to <paramref name="target"/> within <see cref="MoveRange"/> blocks (horizontally); farther, explore toward it.</summary>
    public static CodeAction Toward(BlockPos feet, BlockPos target) =>
        Horizontal(feet, target) <= MoveRange
            ? new MoveTo(target)
            : new Explore(DirectionNames.Toward(target.X - feet.X, target.Z - feet.Z), CodeAction.MaxMoveBlocks);

    /// <summary>
    /// Yaw and pitch from the eye to a block's centre (yaw 0 toward +z, 90 toward -x; pitch +90 down), in whole degrees:
    /// half a degree is a tenth of a block at 12 blocks, and a whole number is one piece for the student to copy from its
    /// notes (<c>lookAt(-119.1, 11.6)</c> is six, and the v8 student miscopied 37 % of them: <c>lookAt(-119,119.1)</c>).
    /// </summary>
    public static LookAt LookAt(Pose pose, BlockPos target)
    {
        double dx = target.X + 0.5 - pose.Position.X, dy = target.Y + 0.5 - (pose.Position.Y + Pose.EyeHeight), dz = target.Z + 0.5 - pose.Position.Z;
        double yaw = Math.Atan2(-dx, dz) * 180 / Math.PI;
        double pitch = -Math.Atan2(dy, Math.Sqrt(dx * dx + dz * dz)) * 180 / Math.PI;
        return new LookAt(Whole(yaw), Whole(Math.Clamp(pitch, -90, 90)));
    }

    /// <summary>Whole degrees, and 0 rather than -0 (which would print as <c>-0</c>).</summary>
    private static double Whole(double degrees) => Math.Round(degrees, MidpointRounding.AwayFromZero) + 0.0;

    /// <summary>
    /// Walk to the standing place the facts name (<see cref="ActorFacts.Stand"/>); null when the agent stands there
    /// already (or nowhere fits), so the action is tried and the critic counts a failure.
    /// </summary>
    private static CodeAction? WalkToStand(BlockPos feet, BlockPos? stand) => stand is BlockPos p && p != feet ? Toward(feet, p) : null;
}
