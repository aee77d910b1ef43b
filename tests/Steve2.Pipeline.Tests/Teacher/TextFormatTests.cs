using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Teacher;
using Steve2.Pipeline.Teacher.Roles;
using Steve2.Pipeline.Teacher.Rules;

namespace Steve2.Pipeline.Tests.Teacher;

public sealed class TextFormatTests
{
    [Theory]
    [InlineData("explore north-east", SubTaskKind.Explore)]
    [InlineData("search pig west", SubTaskKind.Search)]
    [InlineData("search pig", SubTaskKind.Search)]
    [InlineData("find diamond_ore s", SubTaskKind.Find)]
    [InlineData("collect oak_log 3", SubTaskKind.Collect)]
    [InlineData("build", SubTaskKind.Build)]
    [InlineData("idle.", SubTaskKind.Idle)]
    public void Sub_tasks_parse_and_print_back(string text, SubTaskKind kind)
    {
        Assert.True(SubTask.TryParse(text, out SubTask? parsed, out string error), error);
        Assert.Equal(kind, parsed!.Kind);
        Assert.True(SubTask.TryParse(parsed.ToText(), out SubTask? again, out _));
        Assert.Equal(parsed, again);
    }

    [Theory]
    [InlineData("")]
    [InlineData("collect oak_log -3")]
    [InlineData("explore up")]
    [InlineData("dance")]
    public void Bad_sub_tasks_say_what_is_expected(string text)
    {
        Assert.False(SubTask.TryParse(text, out _, out string error));
        Assert.NotEmpty(error);
    }

    [Theory]
    [InlineData("goto 3 64 -2", DirectiveKind.GoTo)]
    [InlineData("approach (3, 64, -2)", DirectiveKind.Approach)]
    [InlineData("place oak_planks 1 2 3", DirectiveKind.Place)]
    [InlineData("mine 1 2 3", DirectiveKind.Mine)]
    [InlineData("look 1 2 3", DirectiveKind.Look)]
    [InlineData("gather oak_log 4", DirectiveKind.Gather)]
    [InlineData("craft stick 1", DirectiveKind.Craft)]
    [InlineData("explore sw", DirectiveKind.Explore)]
    [InlineData("wait", DirectiveKind.Wait)]
    public void Directives_parse_and_print_back(string text, DirectiveKind kind)
    {
        Assert.True(Directive.TryParse(text, out Directive? parsed, out string error), error);
        Assert.Equal(kind, parsed!.Kind);
        Assert.True(Directive.TryParse(parsed.ToText(), out Directive? again, out _));
        Assert.Equal(parsed, again);
    }

    [Fact]
    public void Bad_directives_are_refused_with_the_format()
    {
        Assert.False(Directive.TryParse("goto 1 2", out _, out string error));
        Assert.Contains("goto X Y Z", error);
        Assert.False(Directive.TryParse("place 1 2 3", out _, out _));
    }

    [Fact]
    public void A_manager_plan_needs_one_valid_line_per_agent()
    {
        var (plan, error) = Manager.Parse("agent 0: explore north\nAgent 1 - collect dirt 2", 2);
        Assert.Null(error);
        Assert.Equal(SubTaskKind.Collect, plan![1].Kind);
        Assert.Contains("agent(s) 1", Manager.Parse("agent 0: build", 2).Error);
        Assert.Contains("no agent 5", Manager.Parse("agent 0: build\nagent 5: build", 2).Error);
        Assert.NotNull(Manager.Parse("agent 0: fly", 1).Error);
        Assert.Contains("two parts", Manager.Parse("agent 0: build\nagent 1: collect dirt 1\nagent 1: explore south", 2).Error);
    }

    [Fact]
    public void The_critic_refuses_a_collection_plan_that_names_an_item_the_task_does_not_ask_for()
    {
        var empty = new Dictionary<string, int>();
        var facts = new Steve2.Pipeline.Teacher.Decisions.ManagerFacts("collection", 2, null, null,
            new Dictionary<string, int> { ["stone_pickaxe"] = 1, ["chest"] = 2 }, empty, [empty, empty]);
        Assert.Null(Critic.CheckPlan(facts, Manager.Parse(ManagerRules.Plan(facts), 2).Plan!));
        Assert.Null(Critic.CheckPlan(facts, Manager.Parse("agent 0: collect chest 2\nagent 1: explore south", 2).Plan!));
        Assert.Contains("stone_pickvel", Critic.CheckPlan(facts, Manager.Parse("agent 0: collect chest 2\nagent 1: collect stone_pickvel 1", 2).Plan!));
        Assert.Contains("oak_log", Critic.CheckPlan(facts, Manager.Parse("agent 0: collect chest 2 oak_log 4\nagent 1: idle", 2).Plan!));
        // Other tasks have no materials: nothing to check.
        var search = facts with { Task = "object-search", Materials = null };
        Assert.Null(Critic.CheckPlan(search, Manager.Parse("agent 0: collect dirt 2\nagent 1: idle", 2).Plan!));
        // The student's answers get the same check.
        Assert.Contains("stone_pickvel", Steve2.Pipeline.Student.Inference.StudentAnswers.Problem("manager", 0, "agent 0: collect chest 2\nagent 1: collect stone_pickvel 1", facts));
    }

    /// <summary>
    /// Catches: a build box larger than one action may cover let through to the world, which refuses it and spends the turn
    /// (the student's <c>placeBox("oak_planks", -5, 54, -3, -3, 57, 57)</c>, 732 cells, for the directive's 12: creation
    /// seed 20 of 2026-12-07). 64 cells (PlaceBox.MaxBlocks) pass, in any corner order; 65 do not.
    /// </summary>
    [Fact]
    public void The_critic_refuses_a_build_box_larger_than_one_action_covers()
    {
        var facts = new Steve2.Pipeline.Teacher.Decisions.ActorFacts(new Pose(new Vec3(0.5, 44, 0.5), 0, 0), 4.5, new Dictionary<string, int> { [Items.OakPlanks] = 999 }, null);
        var at = new BlockPos(0, 44, 0);
        Assert.Null(Critic.CheckAction(facts, 0, new PlaceBox(Items.OakPlanks, at with { X = 3 }, at with { Y = 47, Z = 3 })));   // 4 x 4 x 4
        Assert.Null(Critic.CheckAction(facts, 0, new RemoveBox(at, at with { X = 63 })));
        Assert.Contains("65 cells", Critic.CheckAction(facts, 0, new PlaceBox(Items.OakPlanks, at, at with { X = -64 })));
        Assert.Contains("732 cells", Critic.CheckAction(facts, 0, new PlaceBox(Items.OakPlanks, new BlockPos(-5, 54, -3), new BlockPos(-3, 57, 57))));
        Assert.NotNull(Critic.CheckAction(facts, 0, new RemoveBox(at, at with { X = 4, Y = 47, Z = 3 })));   // 80
        Assert.Equal(732, PlaceBox.Cells(new BlockPos(-3, 57, 57), new BlockPos(-5, 54, -3)));
    }

    /// <summary>
    /// Catches: an actor's collect or craft of an item that nothing yields or no recipe makes let through to the world,
    /// where it fails every time (the student's `collect("cobpickaxe", 1)`, 19 times in a row on collection seed 46).
    /// </summary>
    [Fact]
    public void The_critic_refuses_a_collect_or_craft_of_an_item_nothing_yields_or_makes()
    {
        var facts = new Steve2.Pipeline.Teacher.Decisions.ActorFacts(new Pose(new Vec3(0.5, 44, 0.5), 0, 0), 4.5, new Dictionary<string, int>(), null);
        foreach (string item in Items.Collectable) Assert.Null(Critic.CheckAction(facts, 0, new Collect(item, 1)));
        foreach (string item in Steve2.Pipeline.World.Recipes.All.Keys) Assert.Null(Critic.CheckAction(facts, 0, new Craft(item, 1)));
        Assert.Contains("cobpickaxe", Critic.CheckAction(facts, 0, new Collect("cobpickaxe", 1)));
        Assert.Contains("wooden_pickaxe", Critic.CheckAction(facts, 0, new Craft("woodden_pickaxe", 1)));   // the list of what can be crafted
        Assert.NotNull(Critic.CheckAction(facts, 0, new Collect(Items.IronIngot, 1)));   // crafted (smelted), not collected
        // The student's answers get the same check.
        Assert.Contains("cobpickaxe", Steve2.Pipeline.Student.Inference.StudentAnswers.Problem("actor", 0, "collect(\"cobpickaxe\", 1)", facts));

        // A conductor's gather (collected or crafted) and craft directives: the same names.
        var conductor = new Steve2.Pipeline.Teacher.Decisions.ConductorFacts(new BlockPos(0, 52, 0), 90, 0, new Dictionary<string, int>(), new Dictionary<string, int>(), null, null,
            [], [], [42, 41, 40, 39, 38, 37, 36, 35], [], null, null, null, [], null);
        foreach (string item in Items.Collectable.Concat(Steve2.Pipeline.World.Recipes.All.Keys))
            Assert.Null(Critic.CheckDirective(conductor, 0, new Directive(DirectiveKind.Gather, Item: item, Count: 1)));
        Assert.Contains("cobpickaxe", Critic.CheckDirective(conductor, 0, new Directive(DirectiveKind.Gather, Item: "cobpickaxe", Count: 1)));
        Assert.Contains("wooden_pickaxe", Critic.CheckDirective(conductor, 0, new Directive(DirectiveKind.Craft, Item: "woodden_pickaxe", Count: 1)));
        Assert.Null(Critic.CheckDirective(conductor, 0, new Directive(DirectiveKind.Craft, Item: Items.WoodenPickaxe, Count: 1)));
    }

    /// <summary>
    /// Catches: a student conductor that gathers an item whose gathering found no source (collection seed 70: <c>gather
    /// oak_planks 3</c> under its note <c>now: craft oak_planks 3</c>, 30 turns), gathers what only a recipe makes (seed 60:
    /// <c>gather furnace 1</c>) or sends its agent where it stands (seed 73) without the critic's concern.
    /// </summary>
    [Fact]
    public void The_critic_has_a_concern_about_a_gather_that_waits_and_a_goto_where_the_agent_stands()
    {
        var f = DecisionFacts.Conductor(new BlockPos(-12, 45, 20), new Dictionary<string, int> { [Items.OakLog] = 3 }) with { GatherWaiting = [Items.OakPlanks] };
        Assert.Contains("waits", Critic.CheckSpentTurn(f, new Directive(DirectiveKind.Gather, Item: Items.OakPlanks, Count: 3)));
        Assert.Null(Critic.CheckSpentTurn(f, new Directive(DirectiveKind.Craft, Item: Items.OakPlanks, Count: 3)));
        Assert.Null(Critic.CheckSpentTurn(f, new Directive(DirectiveKind.Gather, Item: Items.Cobblestone, Count: 3)));
        Assert.Contains("craft it", Critic.CheckSpentTurn(f, new Directive(DirectiveKind.Gather, Item: Items.Furnace, Count: 1)));   // only a recipe makes it (seed 60)
        Assert.Contains("already", Critic.CheckSpentTurn(f, new Directive(DirectiveKind.GoTo, new BlockPos(-12, 45, 20))));
        // An approach where it stands is the rules' own (on an animal's column the actor steps back 2 and looks): no concern.
        Assert.Null(Critic.CheckSpentTurn(f, new Directive(DirectiveKind.Approach, new BlockPos(-12, 46, 20))));
        Assert.Null(Critic.CheckSpentTurn(f, new Directive(DirectiveKind.GoTo, new BlockPos(-12, 48, 20))));   // up a pillar: a move
        Assert.Null(Critic.CheckSpentTurn(f, new Directive(DirectiveKind.GoTo, new BlockPos(-11, 45, 20))));
        // A concern, not a refusal: the directive is feasible.
        Assert.Null(Critic.CheckDirective(f, 0, new Directive(DirectiveKind.Gather, Item: Items.OakPlanks, Count: 3)));
    }

    [Fact]
    public void Compass_helpers_agree_with_the_world_frame()
    {
        Assert.Equal(Direction.North, DirectionNames.Toward(0, -5));
        Assert.Equal(Direction.East, DirectionNames.Toward(5, 0));
        Assert.Equal(Direction.SouthWest, DirectionNames.Toward(-3, 3));
        Assert.Equal(Direction.NorthWest, DirectionNames.Turn(Direction.North, -1));
        Assert.Equal("south", Steve2.Pipeline.Teacher.Describer.Facing(0));
        Assert.Equal("west", Steve2.Pipeline.Teacher.Describer.Facing(90));
    }
}
