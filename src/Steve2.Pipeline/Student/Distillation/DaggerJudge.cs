using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Teacher;
using Steve2.Pipeline.Teacher.Decisions;
using Steve2.Pipeline.Teacher.Roles;
using Steve2.Pipeline.Teacher.Skills;

namespace Steve2.Pipeline.Student.Distillation;

/// <summary>
/// The teacher's critic judging a student's answer against the teacher's label in the same state (DISTILLATION.md,
/// "How pairs are made"). In order:
/// <list type="number">
/// <item><c>same</c>: the answer is the label's text, or parses to the same directive / code action / plan;</item>
/// <item><c>unparseable</c>: the role's parser refuses it (<see cref="Manager.Parse"/>, <see cref="Directive.TryParse"/>, <see cref="SkillLibrary.TryParse"/>);</item>
/// <item><c>infeasible</c>: the critic's feasibility checks refuse it (<see cref="Critic.CheckPlan"/>, <see cref="Critic.CheckDirective"/>, <see cref="Critic.CheckAction"/>, on the step's facts);</item>
/// <item>worse by the task's measure (conductors): <c>off-plan</c>: a build part's place or mine outside every pending step of the
/// plan the rules build (the creation expert's imagined building with experts, the teacher's own plan without); <c>explored</c>:
/// an explore part's goto to a column the team has already seen (within one block); <c>seen-way</c>: an <c>explore</c>
/// toward a way with fewer unseen columns ahead than the most unseen open way, by more than the bonus the rules give the
/// agent's own way (<see cref="Teacher.Rules.ExploreRules.BestUnseenDirection"/>; the team's own counts, the same with or
/// without experts);</item>
/// <item><c>differs</c>: feasible and different, and no measure says it is worse.</item>
/// </list>
/// </summary>
public static class DaggerJudge
{
    public const string Same = "same", Unparseable = "unparseable", Infeasible = "infeasible", OffPlan = "off-plan", Explored = "explored", SeenWay = "seen-way", Differs = "differs";

    /// <summary>The verdicts that make a pair by default: the critic judges the answer worse than the label.</summary>
    public static IReadOnlySet<string> Worse { get; } = new HashSet<string> { Unparseable, Infeasible, OffPlan, Explored, SeenWay };

    /// <param name="seenNear">Whether the team has seen a column within one block of (x, z) (the team's knowledge at the decision).</param>
    public static DaggerSample Judge(string role, int agentId, string instruction, string text, string teacherText, RoleFacts facts,
        ExpertFacts? expert, Func<int, int, bool> seenNear)
    {
        if (text == teacherText) return new DaggerSample(text, Same, null);
        switch (role)
        {
            case "manager":
            {
                int agents = (facts as ManagerFacts)?.AgentCount ?? 1;
                var (plan, error) = Manager.Parse(text, agents);
                if (plan is null) return new DaggerSample(text, Unparseable, error);
                var (label, _) = Manager.Parse(teacherText, agents);
                if (label is not null && label.Count == plan.Count && label.All(kv => plan[kv.Key].Equals(kv.Value))) return new DaggerSample(text, Same, null);
                return facts is ManagerFacts mf && Critic.CheckPlan(mf, plan) is string why
                    ? new DaggerSample(text, Infeasible, why) : new DaggerSample(text, Differs, null);
            }
            case "conductor":
            {
                if (!Directive.TryParse(text, out Directive? d, out string error)) return new DaggerSample(text, Unparseable, error);
                if (Directive.TryParse(teacherText, out Directive? t, out _) && t!.ToText() == d!.ToText()) return new DaggerSample(text, Same, null);
                if (facts is ConductorFacts cf && Critic.CheckDirective(cf, agentId, d!) is string why) return new DaggerSample(text, Infeasible, why);
                if (d!.Kind == DirectiveKind.Explore && facts is ConductorFacts counts && LessUnseen(counts, d.Direction) is string less)
                    return new DaggerSample(text, SeenWay, less);
                if (!SubTask.TryParse(instruction, out SubTask? part, out _)) return new DaggerSample(text, Differs, null);
                if (part!.Kind == SubTaskKind.Build && d!.Kind is DirectiveKind.Place or DirectiveKind.Mine
                    && (expert?.Build ?? (facts as ConductorFacts)?.Build) is BuildWindow window
                    && !window.Pending.Any(p => p.Cells().Contains(d.Target)))
                    return new DaggerSample(text, OffPlan, $"{d.Target} is in none of the plan's next {window.Pending.Count} steps");
                if (part.Kind == SubTaskKind.Explore && d!.Kind == DirectiveKind.GoTo && seenNear(d.Target.X, d.Target.Z))
                    return new DaggerSample(text, Explored, $"the team has already seen the column of {d.Target}");
                return new DaggerSample(text, Differs, null);
            }
            case "actor":
            {
                if (!SkillLibrary.TryParse(text, out CodeAction? a, out string error)) return new DaggerSample(text, Unparseable, error);
                if (SkillLibrary.TryParse(teacherText, out CodeAction? t, out _) && t!.ToCode() == a!.ToCode()) return new DaggerSample(text, Same, null);
                if (facts is ActorFacts af && Critic.CheckAction(af, agentId, a!) is string why) return new DaggerSample(text, Infeasible, why);
                return new DaggerSample(text, Differs, null);
            }
            default:
                return new DaggerSample(text, Unparseable, $"unknown role '{role}'");
        }
    }

    /// <summary>Why exploring <paramref name="way"/> reveals less than the most unseen open way (null when it does not, by the rules' bonus).</summary>
    private static string? LessUnseen(ConductorFacts f, Direction way)
    {
        IReadOnlyList<int> unseen = f.UnseenAhead ?? f.UnseenColumns;
        if (unseen.Count < 8) return null;
        var open = Enum.GetValues<Direction>().Where(x => !f.BlockedDirections.Contains(x)).ToArray();
        if (open.Length == 0) return null;
        Direction best = open.MaxBy(x => unseen[(int)x]);
        return unseen[(int)way] < unseen[(int)best] - Teacher.Rules.ExploreRules.PreferredBonus
            ? $"{DirectionNames.Name(way)} has {unseen[(int)way]} unseen columns ahead, {DirectionNames.Name(best)} {unseen[(int)best]}"
            : null;
    }
}
