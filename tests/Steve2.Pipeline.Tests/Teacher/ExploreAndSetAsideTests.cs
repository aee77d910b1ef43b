using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Tasks;
using Steve2.Pipeline.Teacher;
using Steve2.Pipeline.Teacher.Decisions;
using Steve2.Pipeline.Teacher.Knowledge;
using Steve2.Pipeline.Teacher.Roles;
using Steve2.Pipeline.Teacher.Rules;

namespace Steve2.Pipeline.Tests.Teacher;

/// <summary>The critic's set-aside areas and the exploration rules (ExploreRules) on hand-made facts.</summary>
public sealed class ExploreAndSetAsideTests
{
    private static readonly BlockPos Feet = new(0, 64, 0);

    private static ConductorFacts Facts(int[]? ahead = null, IReadOnlyList<SetAsideArea>? areas = null, IReadOnlyList<Direction>? blocked = null, int[]? near = null) =>
        DecisionFacts.Conductor(Feet, unseen: near ?? new int[8]) with
        {
            UnseenAhead = ahead ?? new int[8],
            UnreachableAreas = areas,
            BlockedDirections = blocked ?? [],
        };

    [Fact]
    public void An_area_covers_places_around_its_centre_not_beyond()
    {
        var area = new SetAsideArea(new BlockPos(20, 64, 0), 5);
        Assert.True(area.Covers(new BlockPos(20, 64, 0)));
        Assert.True(area.Covers(new BlockPos(23, 66, 4)));    // 5 columns away, 2 up
        Assert.False(area.Covers(new BlockPos(24, 64, 4)));   // 5.7 columns away
        Assert.False(area.Covers(new BlockPos(20, 72, 0)));   // 8 above: another floor
        Assert.False(SetAsideAreas.Covers(null, new BlockPos(20, 64, 0)));
        Assert.True(SetAsideAreas.IsSetAside([new BlockPos(1, 2, 3)], [], new BlockPos(1, 2, 3)));
    }

    [Fact]
    public void The_critic_rejects_a_goal_inside_an_unreachable_area_and_accepts_one_outside()
    {
        var f = Facts(areas: [new SetAsideArea(new BlockPos(20, 64, 0), SetAsideAreas.FailedGoalRadius)]);
        Assert.NotNull(Critic.CheckDirective(f, 0, new Directive(DirectiveKind.GoTo, new BlockPos(22, 64, 2))));
        Assert.NotNull(Critic.CheckDirective(f, 0, new Directive(DirectiveKind.Approach, new BlockPos(18, 65, -3))));
        Assert.Null(Critic.CheckDirective(f, 0, new Directive(DirectiveKind.GoTo, new BlockPos(30, 64, 0))));
    }

    [Fact]
    public async Task A_failed_walk_sets_aside_the_area_around_its_goal()
    {
        var goal = new TaskGoal("exploration", 0, "Explore.", 30, 1);
        var s = new TeacherSituation(goal, 1, new TeacherAgentOptions(), null);
        var pose = new Pose(new Vec3(0.5, 64, 0.5), 0, 0);
        var observation = new Observation(0, 1, pose, new RgbImage(1, 1, new byte[3]), [], [], [], new Dictionary<string, int>());
        s.Knowledge.Add(observation);
        var target = new BlockPos(30, 64, 10);
        var outcome = new ActionOutcome(false, "no path", 0, new Dictionary<string, int>(), observation);

        await Critic.ReviewAsync(s, 0, new Directive(DirectiveKind.GoTo, target), new MoveTo(target), outcome, CancellationToken.None);

        var area = Assert.Single(s.UnreachableAreas);
        Assert.Equal(target, area.Center);
        var facts = TeacherPerception.Conductor(s, 0, new SubTask(SubTaskKind.Explore, Direction: Direction.North));
        Assert.Equal([area], facts.UnreachableAreas);
        // A neighbouring goal of the same frontier group is refused, not only the exact cell.
        Assert.NotNull(Critic.CheckDirective(facts, 0, new Directive(DirectiveKind.GoTo, target.Offset(3, 0, -2))));
    }

    [Fact]
    public void Exploring_without_experts_goes_the_most_unseen_way_ahead_never_a_blocked_one()
    {
        int[] ahead = [10, 0, 0, 0, 90, 0, 100, 0];
        var d = ExploreRules.Explore(Facts(ahead, blocked: [Direction.West]), null, Direction.North, preferLow: false);
        Assert.Equal(new Directive(DirectiveKind.Explore, Direction: Direction.South), d);
        // The preferred direction wins a near tie (teammates spread).
        d = ExploreRules.Explore(Facts([88, 0, 0, 0, 90, 0, 0, 0]), null, Direction.North, preferLow: false);
        Assert.Equal(Direction.North, d.Direction);
        // Older recordings without unseen_ahead: the near counts decide.
        var old = Facts(near: [0, 0, 30, 0, 0, 0, 0, 0]) with { UnseenAhead = null };
        Assert.Equal(Direction.East, ExploreRules.Explore(old, null, Direction.North, preferLow: false).Direction);
    }

    [Fact]
    public void With_experts_the_best_frontier_outside_set_aside_areas_and_away_from_the_feet_is_taken()
    {
        var areas = new[] { new SetAsideArea(new BlockPos(30, 64, 0), 5) };
        var expert = new ExpertFacts([
            new FrontierFact(new BlockPos(1, 64, 1), 50, 900),     // at the feet
            new FrontierFact(new BlockPos(32, 64, 3), 40, 900),    // in the area a walk failed to reach
            new FrontierFact(new BlockPos(-25, 64, 10), 30, 800),
        ]);
        var d = ExploreRules.Explore(Facts([0, 0, 100, 0, 0, 0, 0, 0], areas), expert, Direction.North, preferLow: false);
        Assert.Equal(new Directive(DirectiveKind.GoTo, new BlockPos(-25, 64, 10)), d);

        // No usable frontier: the own direction.
        var none = new ExpertFacts([new FrontierFact(new BlockPos(31, 64, 1), 40, 900)]);
        Assert.Equal(new Directive(DirectiveKind.Explore, Direction: Direction.East),
            ExploreRules.Explore(Facts([0, 0, 100, 0, 0, 0, 0, 0], areas), none, Direction.North, preferLow: false));
    }

    [Fact]
    public void The_view_cone_counts_as_seen_ahead()
    {
        var knowledge = new TeamKnowledge();
        var before = knowledge.UnseenAhead(new BlockPos(0, 64, -60));
        // Looking south (yaw 0) from z -60 over level ground sweeps columns out to z -12.
        var pose = new Pose(new Vec3(0.5, 64, -59.5), 0, 0);
        knowledge.Add(new Observation(0, 1, pose, new RgbImage(1, 1, new byte[3]), [], [], [], new Dictionary<string, int>()));
        var after = knowledge.UnseenAhead(new BlockPos(0, 64, -60));
        Assert.Equal(108, before[(int)Direction.South]);
        Assert.True(after[(int)Direction.South] < 108, $"south still {after[(int)Direction.South]} unseen");
        Assert.Equal(108, after[(int)Direction.North]);
    }
}
