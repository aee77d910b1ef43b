using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Teacher.Decisions;
using Steve2.Pipeline.Teacher.Roles;
using Steve2.Pipeline.Teacher.Rules;

namespace Steve2.Pipeline.Tests.Teacher;

/// <summary>The search mechanics: the approach stops short and looks at the target, teammates take different targets, an uncertain fix is searched as an area.</summary>
public sealed class SearchRulesTests
{
    private static readonly IReadOnlyDictionary<string, int> None = new Dictionary<string, int>();
    private static readonly SubTask SearchPig = new(SubTaskKind.Search, "pig");

    private static ActorFacts At(double x, double y, double z, double yaw = 0) => new(new Pose(new Vec3(x, y, z), yaw, 0), 4.5, None, null);

    private static double Horizontal(BlockPos a, BlockPos b) => Math.Sqrt((double)(a.X - b.X) * (a.X - b.X) + (double)(a.Z - b.Z) * (a.Z - b.Z));

    [Fact]
    public void The_approach_walks_to_a_cell_two_blocks_short_of_the_target_never_onto_it()
    {
        var target = new BlockPos(20, 64, 7);
        CodeAction a = ActorRules.Act(new Directive(DirectiveKind.Approach, target), At(0.5, 64, 0.5));
        var move = Assert.IsType<MoveTo>(a);
        Assert.NotEqual(target, move.Target);
        Assert.InRange(Horizontal(move.Target, target), 1.5, 2.9);
    }

    [Fact]
    public void Near_the_target_the_approach_looks_at_it_level_not_straight_down()
    {
        var target = new BlockPos(2, 64, 0);
        var look = Assert.IsType<LookAt>(ActorRules.Act(new Directive(DirectiveKind.Approach, target), At(0.5, 64, 0.5)));
        Assert.InRange(look.Pitch, 0, 45); // the eye is 1.6 above the feet: looking a little down at the animal's cell, 2 blocks away
        Assert.InRange(look.Yaw, -100, -80); // +x is yaw -90
    }

    [Fact]
    public void Standing_on_the_targets_cell_the_approach_steps_back_first()
    {
        var target = new BlockPos(0, 64, 0);
        var move = Assert.IsType<MoveTo>(ActorRules.Act(new Directive(DirectiveKind.Approach, target), At(0.5, 64, 0.5)));
        Assert.Equal(2, Horizontal(move.Target, target), 3);
    }

    [Fact]
    public void A_target_a_nearer_teammate_heads_for_is_left_to_it_and_another_one_is_taken()
    {
        BlockPos near = new(10, 64, 0), other = new(-15, 64, 4);
        ConductorFacts f = DecisionFacts.Conductor(new BlockPos(0, 64, 0)) with
        {
            SeenTarget = near,
            SeenTargets = [near, other],
            TeammateTargets = [new TeammateTarget(near, 3)],
        };
        Directive d = SearchRules.Search(f, null, SearchPig, () => new Directive(DirectiveKind.Wait));
        Assert.Equal(new Directive(DirectiveKind.Approach, other), d);

        // The teammate farther from it than this agent: this agent takes it.
        Directive mine = SearchRules.Search(f with { TeammateTargets = [new TeammateTarget(near, 30)] }, null, SearchPig, () => new Directive(DirectiveKind.Wait));
        Assert.Equal(new Directive(DirectiveKind.Approach, near), mine);

        // The only target known taken by a nearer teammate: search on (here the fallback).
        Directive on = SearchRules.Search(f with { SeenTargets = [near] }, null, SearchPig, () => new Directive(DirectiveKind.Wait));
        Assert.Equal(DirectiveKind.Wait, on.Kind);
    }

    [Fact]
    public void An_uncertain_fix_is_searched_as_an_area_an_exact_one_as_a_place()
    {
        var feet = new BlockPos(0, 64, 0);
        var centre = new BlockPos(40, 64, 0);
        ConductorFacts f = DecisionFacts.Conductor(feet);
        Directive Decide(LocatedFact t, BlockPos at) =>
            SearchRules.Search(f with { Feet = at }, new ExpertFacts(Located: [t]), SearchPig, () => new Directive(DirectiveKind.Wait));

        // Exact (radius 2): approach the place.
        Assert.Equal(new Directive(DirectiveKind.Approach, centre), Decide(new LocatedFact(centre, null, 2), feet));
        // Uncertain (radius 15): outside the area, walk to its centre (not an approach that would stop and look there).
        var unseen = new[] { new BlockPos(31, 64, 0), new BlockPos(40, 64, 9) };
        Assert.Equal(new Directive(DirectiveKind.GoTo, centre), Decide(new LocatedFact(centre, null, 15, unseen), feet));
        // Inside the area: look at its nearest unseen point.
        Assert.Equal(new Directive(DirectiveKind.Look, unseen[0]), Decide(new LocatedFact(centre, null, 15, unseen), new BlockPos(30, 64, 0)));
        // Inside an area all seen: it is passed over.
        Assert.Equal(DirectiveKind.Wait, Decide(new LocatedFact(centre, null, 15, []), new BlockPos(30, 64, 0)).Kind);
    }

    [Fact]
    public void A_chest_is_opened_in_reach_and_walked_to_short_of_it_otherwise()
    {
        var chest = new BlockPos(10, 64, 0);
        Assert.Equal(new OpenChest(chest), ActorRules.Act(new Directive(DirectiveKind.Open, chest), At(8.5, 64, 0.5)));
        var move = Assert.IsType<MoveTo>(ActorRules.Act(new Directive(DirectiveKind.Open, chest), At(0.5, 64, 0.5)));
        Assert.Equal(2, Horizontal(move.Target, chest), 3);
        Assert.True(Directive.TryParse("open 10 64 0", out Directive? parsed, out _));
        Assert.Equal(new Directive(DirectiveKind.Open, chest), parsed);
    }
}
