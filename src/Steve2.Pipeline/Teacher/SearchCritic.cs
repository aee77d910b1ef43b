using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Teacher.Decisions;
using Steve2.Pipeline.Teacher.Roles;

namespace Steve2.Pipeline.Teacher;

/// <summary>
/// The critic's review for the search part (called from <see cref="Critic.ReviewAsync"/>, part of the teacher's apply
/// step): an animal the team remembers is dropped as stale when the agent now has the place where it was expected in
/// view (a block of its column, or of a neighbouring one, at or up to two below its feet among the blocks seen) within
/// <see cref="StaleRadius"/> blocks, and no animal of the kind is in view near it. The next sighting brings it back. Searching
/// for a chest, a place the agent went to and reached without any chest seen yet is set aside (a structure without its chest
/// in view from there, or a frontier reached).
/// </summary>
public static class SearchCritic
{
    /// <summary>Remembered animals within this many blocks (horizontally) of the agent are checked.</summary>
    public const double StaleRadius = 12;

    /// <summary>Drops stale targets; returns the correction text, or null when nothing changed.</summary>
    public static string? Review(TeacherSituation s, int agent, Directive d, CodeAction action, ActionOutcome outcome)
    {
        if (s.Assignments.GetValueOrDefault(agent) is not { Kind: SubTaskKind.Search } part) return null;
        Observation o = outcome.Observation;
        if (SearchPerception.IsChest(part.Argument))
        {
            // A chest opened without ending the search is not the one: its items are taken, it is set aside.
            if (action is OpenChest open && outcome.Success)
            {
                s.Unreachable.Add(open.Target);
                return $"the chest at {open.Target} is opened and empty now; set aside";
            }
            // A structure visited and looked into without a chest in sight is set aside, so the next one is tried (the rules
            // look into a structure hint once the agent is within 3 columns of it: SearchRules.Search); a goto reached
            // elsewhere than a structure hint (a frontier) is set aside on arrival.
            if (s.Knowledge.Blocks.Any(b => b.Value == Block.Chest && SearchPerception.ChestMayBe(s, b.Key, part.Argument) && !s.Unreachable.Contains(b.Key))) return null;
            BlockPos? place = null;
            if (d.Kind == DirectiveKind.Look && action is LookAt)
            {
                BlockPos hint = part.Argument == SearchPerception.PyramidChest ? d.Target.Offset(0, 0, Rules.SearchRules.PyramidInside) : d.Target;
                if (Rules.SearchRules.Horizontal(o.Pose.Block, hint) <= 3) place = hint;
            }
            else if (d.Kind == DirectiveKind.GoTo && Rules.SearchRules.Horizontal(o.Pose.Block, d.Target) <= 3
                && !(SearchPerception.StructureHint(s, o.Pose.Block, part.Argument) is BlockPos hint && Rules.SearchRules.Horizontal(hint, d.Target) <= 3))
                place = d.Target;
            if (place is not BlockPos p) return null;
            s.Unreachable.Add(p);
            return $"no chest in sight at {p} (agent {agent} is there); set aside";
        }
        var dropped = new List<BlockPos>();
        foreach (SeenEntity e in s.Knowledge.EntitiesOfKind(part.Argument, o.Pose.Position))
        {
            double dx = e.Position.X - o.Pose.Position.X, dz = e.Position.Z - o.Pose.Position.Z;
            if (Math.Sqrt(dx * dx + dz * dz) > StaleRadius) continue;
            if (o.VisibleEntities.Any(v => v.Kind == part.Argument && v.Position.DistanceTo(e.Position) < 3)) continue;
            BlockPos cell = e.Position.Floor();
            bool placeInView = o.VisibleBlocks.Any(b => Math.Abs(b.Position.X - cell.X) <= 1 && Math.Abs(b.Position.Z - cell.Z) <= 1
                && b.Position.Y < cell.Y && b.Position.Y >= cell.Y - 2);
            if (!placeInView) continue;
            s.Knowledge.ForgetEntity(e.Id);
            dropped.Add(cell);
        }
        return dropped.Count == 0 ? null
            : $"no {part.Argument} where one was expected at {string.Join(", ", dropped)} (agent {agent} sees the place); searching again";
    }
}
