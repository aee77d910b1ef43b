using Expert.VqVae.Corpus;
using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Tasks;
using Steve2.Pipeline.Experts;
using Steve2.Pipeline.Teacher;
using Steve2.Pipeline.Teacher.Planning;
using Steve2.Pipeline.Teacher.Roles;
using Steve2.Pipeline.Teacher.Rules;
using VoxelGrid = Expert.VqVae.Voxels.OccupancyGrid;

namespace Steve2.Pipeline.Tests.Teacher;

/// <summary>Plans of boxes, the choice among imagined samples, and the site every target fits.</summary>
public sealed class BuildPlanTests
{
    private static VoxelGrid Hut(int width, int depth, int walls, bool roof)
    {
        var g = new VoxelGrid(width, walls + 1, depth);
        for (int y = 0; y < walls; y++)
            for (int z = 0; z < depth; z++)
                for (int x = 0; x < width; x++)
                    if (x == 0 || z == 0 || x == width - 1 || z == depth - 1) g[x, y, z] = true;
        if (roof) g.FillBox(0, walls, 0, width - 1, walls, depth - 1);
        return g;
    }

    [Fact]
    public void A_box_plan_covers_every_block_once_in_supported_order_within_the_site()
    {
        var grid = Hut(12, 10, 4, roof: true);
        grid[0, 3, 5] = false; // a window
        var origin = new BlockPos(100, 20, -7);
        var steps = BoxPlanner.Plan(grid, origin, siteSide: 12);
        var cells = steps.SelectMany(s => s.Cells()).ToArray();
        Assert.Equal(grid.Count(), cells.Length);
        Assert.Equal(cells.Length, cells.Distinct().Count());
        Assert.True(steps.Count < grid.Count() / 4, $"{steps.Count} actions for {grid.Count()} blocks");
        Assert.All(steps, s => Assert.InRange(s.Cells().Count(), 1, PlaceBox.MaxBlocks));
        var placed = new HashSet<BlockPos>();
        foreach (var step in steps)
            foreach (var c in step.Cells())
            {
                Assert.True(c.Y == origin.Y || new[] { c.Below, c.Above, c.Offset(1, 0, 0), c.Offset(-1, 0, 0), c.Offset(0, 0, 1), c.Offset(0, 0, -1) }.Any(placed.Contains),
                    $"{c} of step {step.Index} has nothing to be placed against");
                placed.Add(c);
            }
        // A building wider than the site is clipped to it: the plan never spills past the cleared ground.
        var clipped = BoxPlanner.Plan(Hut(20, 6, 3, roof: false), origin, siteSide: 8);
        Assert.All(clipped.SelectMany(s => s.Cells()), c => Assert.InRange(c.X, origin.X, origin.X + 7));
    }

    [Fact]
    public void The_conductor_hands_out_boxes_in_the_plans_material_and_the_actor_builds_them_with_one_action()
    {
        var plan = SitePlan.FromGridBoxes(Hut(4, 4, 2, roof: true), new BlockPos(10, 5, 10), 8, Items.Sandstone, "guess");
        var build = new SubTask(SubTaskKind.Build);
        Directive d = ConductorRules.Direct(0, build, DecisionFacts.Conductor(new BlockPos(8, 5, 8), build: plan.WindowFor(0)), null);
        Assert.Equal(DirectiveKind.Place, d.Kind);
        Assert.Equal(Items.Sandstone, d.Item);
        Assert.NotNull(d.To);
        Assert.True(Directive.TryParse(d.ToText(), out Directive? parsed, out _));
        Assert.Equal(d, parsed);
        var near = new Steve2.Pipeline.Teacher.Decisions.ActorFacts(new Pose(new Vec3(8.5, 5, 8.5), 0, 0), 4.5, new Dictionary<string, int> { [Items.Sandstone] = 64 }, null);
        Assert.Equal(new PlaceBox(Items.Sandstone, d.Target, d.To!.Value), ActorRules.Act(d, near));
        // Far from the box the actor walks toward it first.
        var far = near with { Pose = new Pose(new Vec3(40.5, 5, 8.5), 0, 0), Stand = new BlockPos(9, 5, 9) };
        Assert.Equal(new MoveTo(new BlockPos(9, 5, 9)), ActorRules.Act(d, far));
    }

    /// <summary>
    /// Catches: a student's build directive or action copied with a number dropped or repeated (creation seed 37:
    /// <c>place oak_planks -13 50 -13 -13 52 -16</c> for the step <c>-13 50 -20 -13 52 -16</c>, a wall run out of the
    /// site, then the same box with nothing left to place for 30 iterations) passing the critic. The critic's build
    /// checks take what the rules answer, every time, and refuse a box one number off, another block, the wrong action,
    /// a teammate's step and a builder sent anywhere else while a step is open.
    /// </summary>
    [Fact]
    public void The_critics_build_checks_take_every_rule_answer_and_nothing_one_number_off()
    {
        var plan = SitePlan.FromGridBoxes(Hut(5, 4, 3, roof: true), new BlockPos(10, 5, 10), 8, Items.Sandstone, "guess");
        var build = new SubTask(SubTaskKind.Build);
        var stock = new Dictionary<string, int> { [Items.Sandstone] = 500, [Items.Cobblestone] = 5 };
        Assert.True(plan.Steps.Count > 3);
        // Two builders through the whole plan: every directive and action of the rules passes both checks.
        int directives = 0;
        for (int turn = 0; !plan.IsFinished && turn < 100; turn++)
        {
            int agent = turn % 2;
            var feet = new BlockPos(8 + 6 * agent, 5, 8);
            var facts = DecisionFacts.Conductor(feet, stock, plan.WindowFor(agent));
            Directive d = ConductorRules.Direct(agent, build, facts, null);
            Assert.Null(Critic.CheckBuildStep(facts, d));
            var actor = new Steve2.Pipeline.Teacher.Decisions.ActorFacts(new Pose(new Vec3(feet.X + 0.5, 5, feet.Z + 0.5), 0, 0), 4.5, stock, null);
            Assert.Null(Critic.CheckBuildAction(d, ActorRules.Act(d, actor)));
            if (d.Kind == DirectiveKind.Wait) continue;   // the teammate holds every pending step
            PlanStep step = plan.Claim(agent, d.Target, PlannedBlockAction.Place)!;
            if (turn % 3 != 2) plan.MarkDone(step.Index);   // every third step stays claimed: the teammate must not be sent to it
            directives++;
        }
        Assert.True(directives >= plan.Steps.Count);

        var fresh = SitePlan.FromGridBoxes(Hut(5, 4, 3, roof: true), new BlockPos(10, 5, 10), 8, Items.Sandstone, "guess");
        var window = fresh.WindowFor(0);
        var f0 = DecisionFacts.Conductor(new BlockPos(8, 5, 8), stock, window);
        PlanStep first = window.Pending[0];
        Directive right = ConductorRules.StepDirective(window, first);
        Assert.NotEqual(right.Target, right.To!.Value);   // a box: six numbers to copy
        Assert.Null(Critic.CheckBuildStep(f0, right));
        Assert.Null(Critic.CheckBuildStep(f0, right with { Target = right.To!.Value, To = right.Target }));   // either corner first
        var oneOff = right with { To = right.To!.Value with { Z = right.To!.Value.Z + 7 } };
        Assert.Contains("none of the plan's pending steps; the plan's next steps: " + right.ToText(), Critic.CheckBuildStep(f0, oneOff));
        Assert.Contains("none of the plan's pending steps", Critic.CheckBuildStep(f0, right with { To = null }));   // the far corner dropped
        Assert.Contains("places sandstone, not cobblestone", Critic.CheckBuildStep(f0, right with { Item = Items.Cobblestone }));
        Assert.Contains("a placement", Critic.CheckBuildStep(f0, new Directive(DirectiveKind.Mine, right.Target, To: right.To)));
        Assert.Contains("builds its plan", Critic.CheckBuildStep(f0, new Directive(DirectiveKind.GoTo, right.Target)));
        Assert.Contains("builds its plan", Critic.CheckBuildStep(f0, new Directive(DirectiveKind.Wait)));
        // A teammate's step is refused; with every pending step a teammate's, waiting is what the rules do.
        var f1 = DecisionFacts.Conductor(new BlockPos(8, 5, 8), stock, window with { ClaimedByTeammates = [first.Index] });
        Assert.Contains("a teammate is on the step", Critic.CheckBuildStep(f1, right));
        var allClaimed = DecisionFacts.Conductor(new BlockPos(8, 5, 8), stock, window with { ClaimedByTeammates = [.. window.Pending.Select(p => p.Index)] });
        Assert.Null(Critic.CheckBuildStep(allClaimed, new Directive(DirectiveKind.Wait)));
        Assert.Contains("wait", Critic.CheckBuildStep(allClaimed, new Directive(DirectiveKind.GoTo, right.Target)));
        // Outside a build part (no plan in the facts) nothing is checked; the checks are concerns, not feasibility.
        Assert.Null(Critic.CheckBuildStep(DecisionFacts.Conductor(new BlockPos(8, 5, 8), stock), oneOff));
        Assert.Null(Critic.CheckDirective(f0, 0, oneOff));

        // The actor: its directive's box, item and action, or a move first.
        Assert.Null(Critic.CheckBuildAction(right, new PlaceBox(Items.Sandstone, right.To!.Value, right.Target)));
        Assert.Null(Critic.CheckBuildAction(right, new MoveTo(new BlockPos(9, 5, 9))));
        Assert.Contains("is not the directive's", Critic.CheckBuildAction(right, new PlaceBox(Items.Sandstone, right.Target, right.Target with { X = right.Target.X - 20 })));
        Assert.Contains("not cobblestone", Critic.CheckBuildAction(right, new PlaceBox(Items.Cobblestone, right.Target, right.To!.Value)));
        Assert.Contains("the directive is", Critic.CheckBuildAction(right, new RemoveBox(right.Target, right.To!.Value)));
        var single = new Directive(DirectiveKind.Place, new BlockPos(4, 44, -6), Items.Cobblestone);
        Assert.Null(Critic.CheckBuildAction(single, new Place(Items.Cobblestone, new BlockPos(4, 44, -6))));
        Assert.NotNull(Critic.CheckBuildAction(single, new PlaceBox(Items.Cobblestone, new BlockPos(4, 44, -6), new BlockPos(-6, 44, -6))));
        Assert.Null(Critic.CheckBuildAction(new Directive(DirectiveKind.GoTo, new BlockPos(4, 44, -6)), new PlaceBox(Items.Cobblestone, new BlockPos(0, 0, 0), new BlockPos(1, 1, 1))));
    }

    [Fact]
    public void The_manager_keeps_the_sample_whose_measured_attributes_match_the_text()
    {
        const string text = "a hut with a 6 by 6 footprint and a flat roof";
        VoxelGrid wide = Hut(10, 8, 3, roof: true), open = Hut(6, 6, 3, roof: false), right = Hut(6, 6, 3, roof: true);
        var (best, scores) = SampleChooser.Choose(text, [wide, open, right]);
        Assert.Equal(2, best);
        Assert.Equal(RoofKind.Flat, scores[2].Measured.Roof);
        Assert.True(scores[2].Matched > scores[1].Matched, "the open hut misses the stated roof");
        Assert.True(scores[0].SizeError > scores[2].SizeError, "the wide hut misses the stated footprint");
        // The order of the samples does not change the choice.
        Assert.Equal(0, SampleChooser.Choose(text, [right, wide, open]).Best);
    }

    [Fact]
    public void Every_evaluation_target_fits_its_cleared_site_and_budget()
    {
        for (int seed = 0; seed < TaskSeedPolicy.EvaluationCount; seed++)
        {
            var (_, target) = CreationTask.BuildingFor(seed);
            int side = CreationTask.SiteSideFor(target);
            Assert.True(target.SizeX <= side && target.SizeZ <= side && target.SizeY <= BuildSite.ClearHeight, $"seed {seed}");
            var steps = BoxPlanner.Plan(target, new BlockPos(0, 0, 0), side);
            Assert.Equal(target.Count(), steps.Sum(s => s.Cells().Count()));
            // Two iterations per box (a walk and a build action) fit the budget.
            Assert.True(2 * steps.Count <= CreationTask.BudgetFor(target), $"seed {seed}: {steps.Count} boxes, budget {CreationTask.BudgetFor(target)}");
        }
    }
}

public sealed class StandingPlaceCriticTests
{
    /// <summary>A one-agent creation situation at (10, 5, 10) whose plan is one wall, 4 blocks long and <paramref name="height"/> high, the agent seen at <paramref name="at"/>.</summary>
    private static Steve2.Pipeline.Teacher.TeacherSituation WallSite(Vec3 at, int height)
    {
        var goal = new TaskGoal("creation", 0, "Build a hut.", 100, 1, BuildingDescription: "a hut", BuildSite: new BlockPos(10, 5, 10), BuildSiteSize: 8);
        var s = new Steve2.Pipeline.Teacher.TeacherSituation(goal, 1, new Steve2.Pipeline.Teacher.TeacherAgentOptions(), null);
        s.Knowledge.Add(TaskTestSupportShim.Observation(at));
        var grid = new VoxelGrid(4, height, 1);
        grid.FillBox(0, 0, 0, 3, height - 1, 0);
        s.Plan = SitePlan.FromGridBoxes(grid, new BlockPos(10, 5, 10), 8, Items.OakPlanks, "guess");
        return s;
    }

    /// <summary>
    /// Catches: a build step marked done by any successful place under its directive. The student's actor placed
    /// <c>placeBox("stone", 4, 53, 0, 6, 53, 0)</c> for the step <c>4 53 0 6 55 0</c> (3 of its 9 blocks; creation seed 53),
    /// the step counted as built, and the roof above it could never be placed. The rules' actor always places the step's
    /// box, so the teacher is not changed by this.
    /// </summary>
    [Fact]
    public async Task A_build_step_is_done_only_when_the_action_covered_its_box()
    {
        var s = WallSite(new Vec3(9.5, 5, 9.5), height: 3);
        var at = s.Knowledge.Latest[0];
        PlanStep step = Assert.Single(s.Plan!.Steps);
        var d = ConductorRules.StepDirective(s.Plan.WindowFor(0), step);
        var placed = new ActionOutcome(true, "placed", 0, new Dictionary<string, int>(), at);

        // One layer of the wall: the step stays pending and free, and is not counted as a failure.
        s.Plan.Claim(0, d.Target, PlannedBlockAction.Place);
        await Steve2.Pipeline.Teacher.Critic.ReviewAsync(s, 0, d, new PlaceBox(Items.OakPlanks, step.Position, step.Position with { X = step.End.X }), placed, CancellationToken.None);
        Assert.Equal(1, s.Plan.Remaining);
        Assert.Null(s.Plan.ClaimOf(0));
        Assert.Equal(step, Assert.Single(s.Plan.WindowFor(1).Pending));
        // The whole box, either corner first: done.
        s.Plan.Claim(0, d.Target, PlannedBlockAction.Place);
        await Steve2.Pipeline.Teacher.Critic.ReviewAsync(s, 0, d, new PlaceBox(Items.OakPlanks, step.End, step.Position), placed, CancellationToken.None);
        Assert.True(s.Plan.IsFinished);
    }

    [Fact]
    public async Task A_standing_place_the_agent_did_not_arrive_at_is_set_aside_and_the_next_fact_names_another()
    {
        var s = WallSite(new Vec3(2.5, 5, 12.5), height: 1);
        // A box far from the agent: the actor is sent to the standing place the facts name.
        var d = new Directive(DirectiveKind.Place, new BlockPos(10, 5, 10), Items.OakPlanks, To: new BlockPos(13, 5, 10));
        s.Knowledge.Add(TaskTestSupportShim.Observation(new Vec3(-30.5, 5, 12.5)));
        var facts = Steve2.Pipeline.Teacher.Decisions.TeacherPerception.Actor(s, 0, d);
        BlockPos stand = facts.Stand!.Value;
        // The world dropped the agent three blocks below the standing place.
        var dropped = TaskTestSupportShim.Observation(new Vec3(stand.X + 0.5, stand.Y - 3, stand.Z + 0.5));
        await Steve2.Pipeline.Teacher.Critic.ReviewAsync(s, 0, d, new MoveTo(stand), new ActionOutcome(true, "arrived", 30, new Dictionary<string, int>(), dropped), CancellationToken.None);
        Assert.Contains(stand, s.Unreachable);
        Assert.Contains(s.Memory.Recent(Steve2.Pipeline.Teacher.Memory.MemoryKind.Correction, 0, 5), m => m.Text.Contains("did not arrive"));
        s.Knowledge.Add(TaskTestSupportShim.Observation(new Vec3(-30.5, 5, 12.5)));
        Assert.NotEqual(stand, Steve2.Pipeline.Teacher.Decisions.TeacherPerception.Actor(s, 0, d).Stand);
    }
}

internal static class TaskTestSupportShim
{
    public static Observation Observation(Vec3 at) =>
        Steve2.Pipeline.Tests.Tasks.TaskTestSupport.Observation(0, at, inventory: new Dictionary<string, int> { [Items.OakPlanks] = 64 });
}
