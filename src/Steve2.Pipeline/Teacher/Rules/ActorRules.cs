using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Teacher.Decisions;
using Steve2.Pipeline.Teacher.Roles;

namespace Steve2.Pipeline.Teacher.Rules;

/// <summary>
/// The actors' rules: one code action for the agent's directive. Far goals (more than
/// <see cref="MoveRange"/> blocks away) become an exploration step toward them, so no step breaks the
/// movement limit; placing and mining first walk to the standing place within reach that the facts name
/// (outside the build plan's footprint); approaching stops two blocks short and then looks at the target.
/// A function of the directive and <see cref="ActorFacts"/> alone.
/// </summary>
public static class ActorRules
{
    public const int MoveRange = 45;

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
                return Horizontal(feet, d.Target) <= 2.5 ? LookAt(pose, d.Target) : Toward(feet, d.Target);
            case DirectiveKind.Gather:
                return new Collect(d.Item, d.Count);
            case DirectiveKind.Craft:
                return new Craft(d.Item, d.Count);
            case DirectiveKind.Place:
                return ReachDistance(pose, d.Target) <= f.Reach - 0.05 && !Occupies(feet, d.Target)
                    ? new Place(d.Item, d.Target)
                    : WalkToStand(feet, f.Stand) ?? new Place(d.Item, d.Target);
            case DirectiveKind.Mine:
                return ReachDistance(pose, d.Target) <= f.Reach - 0.05 ? new Mine(d.Target) : WalkToStand(feet, f.Stand) ?? new Mine(d.Target);
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

    private static bool Occupies(BlockPos feet, BlockPos target) => target.X == feet.X && target.Z == feet.Z && (target.Y == feet.Y || target.Y == feet.Y + 1);

    private static double Horizontal(BlockPos a, BlockPos b) => Math.Sqrt((double)(a.X - b.X) * (a.X - b.X) + (double)(a.Z - b.Z) * (a.Z - b.Z));

    private static CodeAction Toward(BlockPos feet, BlockPos target) =>
        Horizontal(feet, target) <= MoveRange
            ? new MoveTo(target)
            : new Explore(DirectionNames.Toward(target.X - feet.X, target.Z - feet.Z), CodeAction.MaxMoveBlocks);

    /// <summary>Yaw and pitch from the eye to a block's centre (yaw 0 toward +z, 90 toward -x; pitch +90 down).</summary>
    public static LookAt LookAt(Pose pose, BlockPos target)
    {
        double dx = target.X + 0.5 - pose.Position.X, dy = target.Y + 0.5 - (pose.Position.Y + Pose.EyeHeight), dz = target.Z + 0.5 - pose.Position.Z;
        double yaw = Math.Atan2(-dx, dz) * 180 / Math.PI;
        double pitch = -Math.Atan2(dy, Math.Sqrt(dx * dx + dz * dz)) * 180 / Math.PI;
        return new LookAt(Math.Round(yaw, 1), Math.Round(Math.Clamp(pitch, -90, 90), 1));
    }

    /// <summary>
    /// Walk to the standing place the facts name (<see cref="ActorFacts.Stand"/>); null when the agent stands there
    /// already (or nowhere fits), so the action is tried and the critic counts a failure.
    /// </summary>
    private static CodeAction? WalkToStand(BlockPos feet, BlockPos? stand) => stand is BlockPos p && p != feet ? Toward(feet, p) : null;
}
