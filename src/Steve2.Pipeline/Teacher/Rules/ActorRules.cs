using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Teacher.Roles;

namespace Steve2.Pipeline.Teacher.Rules;

/// <summary>
/// The actors' rules: one code action for the agent's directive. Far goals (more than
/// <see cref="MoveRange"/> blocks away) become an exploration step toward them, so no step breaks the
/// movement limit; placing and mining first walk to a standing place within reach (outside the build
/// plan's footprint); approaching stops two blocks short and then looks at the target.
/// </summary>
public static class ActorRules
{
    public const int MoveRange = 45;

    public static CodeAction Act(TeacherSituation s, int agent)
    {
        Observation o = s.Latest(agent);
        Directive d = s.Directives.GetValueOrDefault(agent) ?? new Directive(DirectiveKind.Wait);
        BlockPos feet = o.Pose.Block;
        switch (d.Kind)
        {
            case DirectiveKind.GoTo:
                return Toward(feet, d.Target);
            case DirectiveKind.Explore:
                return new Explore(d.Direction, CodeAction.MaxMoveBlocks);
            case DirectiveKind.Approach:
                return Horizontal(feet, d.Target) <= 2.5 ? LookAt(o.Pose, d.Target) : Toward(feet, d.Target);
            case DirectiveKind.Gather:
                return new Collect(d.Item, d.Count);
            case DirectiveKind.Craft:
                return new Craft(d.Item, d.Count);
            case DirectiveKind.Place:
                return ReachDistance(o.Pose, d.Target) <= s.Options.Reach - 0.05 && !Occupies(feet, d.Target)
                    ? new Place(d.Item, d.Target)
                    : StandNear(s, feet, d.Target) ?? new Place(d.Item, d.Target);
            case DirectiveKind.Mine:
                return ReachDistance(o.Pose, d.Target) <= s.Options.Reach - 0.05 ? new Mine(d.Target) : StandNear(s, feet, d.Target) ?? new Mine(d.Target);
            case DirectiveKind.Look:
                return LookAt(o.Pose, d.Target);
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

    private static double ReachFrom(double ex, double ey, double ez, BlockPos b)
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
    /// Walk to the standing place nearest the agent from which the block is in reach, on the site's level,
    /// outside the plan's footprint and not in the block's own column; null when the agent stands there
    /// already (or nowhere fits), so the action is tried and the critic counts a failure.
    /// </summary>
    private static CodeAction? StandNear(TeacherSituation s, BlockPos feet, BlockPos target)
    {
        int level = s.Plan?.Origin.Y ?? feet.Y;
        BlockPos? best = null;
        double bestD = double.PositiveInfinity;
        for (int dx = -4; dx <= 4; dx++)
            for (int dz = -4; dz <= 4; dz++)
            {
                if (dx == 0 && dz == 0) continue;
                var p = new BlockPos(target.X + dx, level, target.Z + dz);
                if (s.Plan?.InFootprint(p.X, p.Z) == true || s.Unreachable.Contains(p)) continue;
                if (ReachFrom(p.X + 0.5, p.Y + Pose.EyeHeight, p.Z + 0.5, target) > s.Options.Reach - 0.05) continue;
                double d = p.DistanceTo(feet);
                if (d < bestD) { bestD = d; best = p; }
            }
        return best is BlockPos stand && stand != feet ? Toward(feet, stand) : null;
    }
}
