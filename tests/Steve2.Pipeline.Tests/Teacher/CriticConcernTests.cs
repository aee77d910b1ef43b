using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Student.Inference;
using Steve2.Pipeline.Teacher;
using Steve2.Pipeline.Teacher.Decisions;
using Steve2.Pipeline.Teacher.Roles;
using Steve2.Pipeline.Teacher.Rules;

namespace Steve2.Pipeline.Tests.Teacher;

/// <summary>
/// The critic's concerns about a usable answer the rules would never give (<see cref="StudentAnswers.Concern"/>): each one
/// against the rules' own answer on the same facts, which must pass.
/// </summary>
public sealed class CriticConcernTests
{
    private static readonly BlockPos Feet = new(110, 45, -40);
    private static readonly BlockPos Chest = new(110, 44, -46);

    private static Directive Parse(string text) => Directive.TryParse(text, out Directive? d, out string error) ? d! : throw new ArgumentException(error);

    /// <summary>
    /// Catches: a searcher sent where its own perception holds no target (object search seed 88, a v11 student: 6 blocks from the seen
    /// chest, <c>open 44 44 -46</c>); and a check stricter than the rules, which open the seen chest
    /// (also when a teammate far off heads for it), approach the heard animal and the place the hearing gives.
    /// </summary>
    [Fact]
    public void An_open_or_approach_goes_to_a_seen_or_heard_target_that_no_nearer_teammate_has()
    {
        var chestPart = new SubTask(SubTaskKind.Search, "pyramid_chest");
        var facts = DecisionFacts.Conductor(Feet) with { SeenTarget = Chest, SeenTargets = [Chest], TeammateTargets = [new TeammateTarget(Chest, 109)] };
        Directive rules = SearchRules.Search(facts, null, chestPart, () => new Directive(DirectiveKind.Wait));
        Assert.Equal("open 110 44 -46", rules.ToText());
        Assert.Null(Critic.CheckSearchTarget(facts, rules));
        Assert.Null(StudentAnswers.Concern("conductor", "search pyramid_chest south", rules.ToText(), facts));

        string? wrong = StudentAnswers.Concern("conductor", "search pyramid_chest south", "open 44 44 -46", facts);
        Assert.Contains("nothing was seen or heard at (44, 44, -46); seen: (110, 44, -46)", wrong);
        Assert.Contains("nothing was seen or heard", Critic.CheckSearchTarget(DecisionFacts.Conductor(Feet), Parse("approach 3 4 5")));


        // An animal heard near, and one whose place the hearing model gives: the rules approach both, the critic lets them.
        var animalPart = new SubTask(SubTaskKind.Search, "cow");
        var heard = DecisionFacts.Conductor(Feet) with { Sound = new SoundFact(new BlockPos(100, 45, -30), null) };
        Directive approachHeard = SearchRules.Search(heard, null, animalPart, () => new Directive(DirectiveKind.Wait));
        Assert.Equal("approach 100 45 -30", approachHeard.ToText());
        Assert.Null(Critic.CheckSearchTarget(heard, approachHeard));
        var estimated = DecisionFacts.Conductor(Feet) with { Sound = new SoundFact(null, null, new BlockPos(90, 45, -20), 3) };
        Directive approachEstimate = SearchRules.Search(estimated, null, animalPart, () => new Directive(DirectiveKind.Wait));
        Assert.Equal("approach 90 45 -20", approachEstimate.ToText());
        Assert.Null(Critic.CheckSearchTarget(estimated, approachEstimate));

        // An approach a block or two off a seen animal stands for it (object search seed 33: "approach 24 47 48" for the chicken
        // at 23 47 48 reached it); three off, across or up, is another place. A chest is opened where it stands.
        var chickens = DecisionFacts.Conductor(new BlockPos(25, 44, 17)) with
        {
            SeenTargets = [new BlockPos(24, 47, 44), new BlockPos(23, 47, 48)],
            TeammateTargets = [new TeammateTarget(new BlockPos(24, 47, 44), 0)],
        };
        Assert.Equal("approach 23 47 48", SearchRules.Search(chickens, null, animalPart, () => new Directive(DirectiveKind.Wait)).ToText());
        Assert.Null(StudentAnswers.Concern("conductor", "search chicken north", "approach 24 47 48", chickens));
        Assert.Contains("nothing was seen", Critic.CheckSearchTarget(chickens, Parse("approach 26 47 48")));
        Assert.Contains("nothing was seen", Critic.CheckSearchTarget(facts, Parse("open 111 44 -46")));
        Assert.Contains("nothing was seen", Critic.CheckSearchTarget(chickens, Parse("approach 23 -2 48")));   // a y miscopied (seed 46)
        Assert.Null(StudentAnswers.Concern("conductor", "search chicken north", "open 23 47 48", chickens));   // walked to as approached

        // Other directives are not its business.
        Assert.Null(Critic.CheckSearchTarget(facts, Parse("goto 44 44 -46")));
    }

    /// <summary>
    /// Catches: a collector digging where the rules never dig (collection seed 69, a v11 student: the block under its feet with no
    /// pickaxe, into a pit, then stone 16 times); and a check stricter than the rules, which dig straight down with the
    /// pickaxe that harvests the stone their recipe plan is blocked on, and mine a build plan's removals.
    /// </summary>
    [Fact]
    public void Outside_a_build_plan_a_mine_is_a_dig_straight_down_with_a_pickaxe()
    {
        var part = new SubTask(SubTaskKind.Collect, "stone_pickaxe", 1);
        var holding = new Dictionary<string, int> { ["wooden_pickaxe"] = 1, ["stick"] = 2, ["crafting_table"] = 1 };
        var facts = DecisionFacts.Conductor(new BlockPos(-8, 50, -8), holding) with
        {
            GoalMaterials = new Dictionary<string, int> { ["stone_pickaxe"] = 1 },
            GatherWaiting = ["cobblestone"],   // its gathering found no source: the rules dig for it
        };
        Directive rules = ConductorRules.Direct(0, part, facts, null);
        Assert.Equal("mine -8 49 -8", rules.ToText());
        Assert.Null(Critic.CheckDig(facts, rules));
        Assert.Null(StudentAnswers.Concern("conductor", "collect stone_pickaxe 1", rules.ToText(), facts));

        var bare = facts with { Inventory = new Dictionary<string, int>() };
        Assert.Contains("needs a pickaxe", StudentAnswers.Concern("conductor", "collect stone_pickaxe 1", "mine -8 49 -8", bare));
        Assert.Contains("straight down: mine -8 49 -8", Critic.CheckDig(facts, Parse("mine -7 49 -8")));
        Assert.Contains("straight down", Critic.CheckDig(facts, Parse("mine -8 49 -8 -8 47 -8")));
        Assert.Null(Critic.CheckDig(facts, Parse("explore north")));
    }

    /// <summary>
    /// Catches: an actor opening another block than its directive's chest, or doing anything else with that chest in reach
    /// (object search seed 67: <c>openChest(6, 44, -35)</c> for <c>open 3 44 -35</c>, then <c>moveTo(6, 45, -35)</c> to the
    /// budget, 3 blocks from the chest); and a check stricter than the rules, which open the directive's chest in reach and
    /// walk toward it otherwise.
    /// </summary>
    [Fact]
    public void An_actor_opens_its_directives_chest()
    {
        var open = Parse("open 3 44 -35");
        var near = new ActorFacts(new Pose(new Vec3(6.5, 44, -34.5), 0, 0), 4.5, new Dictionary<string, int>(), null);
        CodeAction rules = ActorRules.Act(open, near);
        Assert.Equal(new OpenChest(new BlockPos(3, 44, -35)), rules);
        Assert.Null(StudentAnswers.Concern("actor", open.ToText(), rules.ToCode(), near));
        Assert.Contains("opens the chest at (3, 44, -35), not (6, 44, -35)", StudentAnswers.Concern("actor", open.ToText(), "openChest(6, 44, -35)", near));
        Assert.Contains("the chest at (3, 44, -35) is in reach: open it", StudentAnswers.Concern("actor", open.ToText(), "moveTo(6, 45, -35)", near));
        Assert.Contains("in reach", StudentAnswers.Concern("actor", open.ToText(), "explore(north, 50)", near));

        // Where the concern points, for the retries: the coordinate that is not the directive's, or the action itself.
        Assert.Equal(new AnswerFault(0, "3"), StudentAnswers.Faulted("actor", open.ToText(), "openChest(6, 44, -35)", near));
        Assert.Equal(new AnswerFault(2, "-35"), StudentAnswers.Faulted("actor", open.ToText(), "openChest(3, 44, -3)", near));
        Assert.Equal(AnswerFault.Action, StudentAnswers.Faulted("actor", open.ToText(), "moveTo(6, 45, -35)", near));
        Assert.Null(StudentAnswers.Faulted("actor", open.ToText(), rules.ToCode(), near));
        Assert.Null(StudentAnswers.Faulted("conductor", open.ToText(), "openChest(6, 44, -35)", near));

        var far = near with { Pose = new Pose(new Vec3(30.5, 44, -34.5), 0, 0) };
        CodeAction walk = ActorRules.Act(open, far);
        Assert.IsType<MoveTo>(walk);
        Assert.Null(StudentAnswers.Concern("actor", open.ToText(), walk.ToCode(), far));
    }

    /// <summary>
    /// Catches: an actor exploring away when its directive's place is within one walk (object search seed 12:
    /// <c>explore(north, 50)</c> for <c>open 4 42 -47</c>, 6 blocks off); and a check stricter than the rules, which walk to a
    /// place within <see cref="ActorRules.MoveRange"/> blocks and explore toward one farther off.
    /// </summary>
    [Fact]
    public void An_actor_walks_to_a_place_within_one_walk()
    {
        var facts = new ActorFacts(new Pose(new Vec3(4.5, 44, -40.5), 0, 0), 4.5, new Dictionary<string, int>(), null);
        foreach (string text in new[] { "open 4 42 -47", "goto 4 42 -47", "approach 4 42 -47", "goto 48 42 -40" })
        {
            var d = Parse(text);
            CodeAction rules = ActorRules.Act(d, facts);
            Assert.IsNotType<Explore>(rules);
            Assert.Null(StudentAnswers.Concern("actor", text, rules.ToCode(), facts));
            Assert.Contains("within one walk", StudentAnswers.Concern("actor", text, "explore(north, 50)", facts));
        }
        var far = Parse("goto 50 42 -40");   // 45.5 blocks: the rules explore toward it
        Assert.IsType<Explore>(ActorRules.Act(far, facts));
        Assert.Null(StudentAnswers.Concern("actor", far.ToText(), ActorRules.Act(far, facts).ToCode(), facts));
        Assert.Null(StudentAnswers.Concern("actor", "explore north", "explore(north, 50)", facts));   // an explore directive: no place
        Assert.Equal(AnswerFault.Action, StudentAnswers.Faulted("actor", "goto 4 42 -47", "explore(north, 50)", facts));
    }

    /// <summary>
    /// Catches: a retry of a box copied wrong going another way anywhere but where the copy went wrong (creation seed 30:
    /// <c>placeBox("oak_planks", -3, 42, -15, -1, 45, 45)</c> for <c>place oak_planks -3 42 -15 -1 45 -15</c>, eleven retries,
    /// none at the last number), and a box of the directive's corners in another order pointed at (the critic takes it).
    /// </summary>
    [Fact]
    public void A_build_action_off_its_directive_points_at_the_first_argument_that_differs()
    {
        const string place = "place oak_planks -3 42 -15 -1 45 -15";
        Assert.Equal(new AnswerFault(6, "-15"), StudentAnswers.Faulted("actor", place, "placeBox(\"oak_planks\", -3, 42, -15, -1, 45, 45)", null));
        Assert.Equal(new AnswerFault(0, "\"oak_planks\""), StudentAnswers.Faulted("actor", place, "placeBox(\"stone\", -3, 42, -15, -1, 45, -15)", null));
        Assert.Null(StudentAnswers.Faulted("actor", place, "placeBox(\"oak_planks\", -1, 45, -15, -3, 42, -15)", null));
        Assert.Equal(AnswerFault.Action, StudentAnswers.Faulted("actor", place, "removeBox(-3, 42, -15, -1, 45, -15)", null));
        Assert.Equal(new AnswerFault(1, "43"), StudentAnswers.Faulted("actor", "mine 5 43 -2", "mine(5, 42, -2)", null));
    }
}
