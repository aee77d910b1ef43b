using System.Text.Json;
using Steve2.Pipeline.Agents;
using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Evaluation;
using Steve2.Pipeline.Student.Data;
using Steve2.Pipeline.Tasks;
using Steve2.Pipeline.Teacher.Decisions;
using Steve2.Pipeline.Experts;
using Steve2.Pipeline.Teacher.Planning;
using Steve2.Pipeline.Teacher.Roles;
using Steve2.Pipeline.Tests.Teacher;
using Steve2.Pipeline.Trajectories;

namespace Steve2.Pipeline.Tests.Student;

/// <summary>The student's notes: the same text from a playing agent's facts and from their recorded copy, and what they say.</summary>
public sealed class StudentNotesTests
{
    [Theory]
    [InlineData("object-search", 1_000_003)]
    [InlineData("collection", 1_000_001)]
    [InlineData("creation", 1_000_002)]
    public async Task Notes_from_recorded_facts_equal_the_notes_from_the_live_facts(string task, int seed)
    {
        var definition = TaskCatalog.Get(task);
        using IEnvironment env = new VoxelEnvironmentFactory().Create(definition.Episode(seed));
        TaskSetup setup = definition.Setup(seed, env);
        var recorder = new ListRecorder();
        var episode = new EpisodeContext(env, setup.Goal with { IterationBudget = 8 }, setup.Scorer, recorder);
        await AgentCatalog.Create(AgentCatalog.TeacherNoExpert, null).Create().RunEpisodeAsync(episode, CancellationToken.None);

        Assert.Contains(recorder.Steps, s => s.Role == "conductor");
        foreach (var step in recorder.Steps)
        {
            string live = StudentNotes.Text(step.Facts);
            var copy = JsonSerializer.Deserialize<RoleFacts>(JsonSerializer.Serialize(step.Facts, TrajectoryFormat.Json), TrajectoryFormat.Json);
            Assert.Equal(live, StudentNotes.Text(copy));
            Assert.NotEqual("", live);
        }
    }

    [Fact]
    public void A_conductors_notes_say_what_the_team_heard_saw_and_set_aside()
    {
        var facts = new ConductorFacts(new BlockPos(0, 52, 0), 90, 0, new Dictionary<string, int>(), new Dictionary<string, int>(), null, "goto 5 52 5",
            [new BlockPos(-94, 40, -4)], [Direction.East], [42, 41, 40, 39, 38, 37, 36, 35], [new BlockPos(30, 50, 30), new BlockPos(3, 52, 4)],
            null, new SoundFact(null, Direction.West, new BlockPos(-45, 46, -3), 8.4, [new BlockPos(-40, 46, -3)]), null, [], null,
            SeenTargets: [new BlockPos(-41, 43, -7)]);
        string notes = StudentNotes.Text(facts);
        Assert.Contains("seen target: -41 43 -7", notes);
        Assert.Contains("sound from west about -45 46 -3 r 8 d 45 outside; unseen -40 46 -3", notes);   // the area's centre 45 blocks away, beyond its radius
        Assert.Contains("unseen: north 42 northeast 41 southeast 39 south 38 southwest 37 west 36 northwest 35 east 40", notes);   // open ones the most first, blocked last, named as the actions name them
        Assert.Contains("blocked: east", notes);
        Assert.Contains("teammates to: -94 40 -4", notes);
        Assert.Contains("set aside (2): 3 52 4, 30 50 30", notes);   // nearest first
        Assert.Equal("", StudentNotes.Text(null));
    }

    [Fact]
    public void The_first_direction_written_is_the_one_the_rules_pick_without_a_bonus()
    {
        var random = new Random(7);
        for (int trial = 0; trial < 200; trial++)
        {
            int[] ahead = Enumerable.Range(0, 8).Select(_ => random.Next(0, 5) * 20).ToArray();   // many ties
            var blocked = Enum.GetValues<Direction>().Where(_ => random.Next(4) == 0).ToArray();
            if (blocked.Length == 8) continue;
            var facts = new ConductorFacts(new BlockPos(0, 52, 0), 90, 0, new Dictionary<string, int>(), new Dictionary<string, int>(), null, null,
                [], blocked, new int[8], [], null, null, null, [], null, UnseenAhead: ahead);
            string line = StudentNotes.Text(facts).Split('\n').Single(l => l.StartsWith("ahead: ", StringComparison.Ordinal));
            string first = line["ahead: ".Length..].Split(' ')[0];
            // Counts 20 apart are more than the preferred direction's bonus, and a blocked preferred direction gets none:
            // the rules' pick is then the plain argmax over open directions, ties to compass order.
            var pick = Steve2.Pipeline.Teacher.Rules.ExploreRules.BestUnseenDirection(ahead, blocked.Length > 0 ? blocked[0] : Direction.North, blocked.Length > 0 ? blocked : []);
            Assert.Equal(DirectionNames.Name(pick), first);
            Assert.Equal(8, line.Split(' ').Length / 2);
        }
    }

    [Fact]
    public void A_builders_notes_list_the_steps_no_teammate_took_nearest_first_with_their_block()
    {
        var steps = new[]
        {
            new PlanStep(0, new BlockPos(20, 52, 0), PlannedBlockAction.Place, new BlockPos(24, 52, 0)),
            new PlanStep(1, new BlockPos(2, 52, 0), PlannedBlockAction.Place, Block: "glass"),        // nearest, but a teammate's
            new PlanStep(2, new BlockPos(5, 52, 0), PlannedBlockAction.Place, new BlockPos(5, 54, 0), Block: "oak_log"),
            new PlanStep(3, new BlockPos(-9, 52, 0), PlannedBlockAction.Remove),
            new PlanStep(4, new BlockPos(9, 52, 0), PlannedBlockAction.Place),
        };
        var facts = new ConductorFacts(new BlockPos(0, 52, 0), 90, 0, new Dictionary<string, int>(), new Dictionary<string, int>(), null, null,
            [], [], new int[8], [], null, null, null, [], new BuildWindow(steps, [1], 5, 9, "stone"));
        var next = StudentNotes.Text(facts).Split('\n').Where(l => l.StartsWith("next: ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(["next: place oak_log 5 52 0 5 54 0", "next: remove -9 52 0", "next: place stone 9 52 0"], next);
    }

    [Fact]
    public void An_actors_notes_say_how_far_its_goal_is_and_which_way_as_the_code_actions_name_it()
    {
        var facts = new ActorFacts(new Pose(new Vec3(0.5, 44, 57.5), 0, 0), 4.5, new Dictionary<string, int>(), null);
        string far = StudentNotes.Text(facts, "goto 12 10 -10");
        Assert.Contains("goal: 68.1 blocks north, 34 down", far);
        // Beyond the move range the rules explore that way: the direction the note names.
        var act = Steve2.Pipeline.Teacher.Rules.ActorRules.Act(new Directive(DirectiveKind.GoTo, new BlockPos(12, 10, -10)), facts);
        Assert.Equal(new Explore(Direction.North, CodeAction.MaxMoveBlocks), act);
        Assert.Contains("goal: 7 blocks east", StudentNotes.Text(facts, "approach 7 44 57"));
        Assert.Contains("goal: here, 1 up", StudentNotes.Text(facts, "look 0 45 57"));
        Assert.DoesNotContain("goal:", StudentNotes.Text(facts, "explore north"));
        Assert.DoesNotContain("goal:", StudentNotes.Text(facts, "not a directive"));
        Assert.DoesNotContain("goal:", StudentNotes.Text(facts));
    }

    [Fact]
    public void A_collectors_notes_hold_the_checklist_and_the_recipe_steps_the_rules_take_the_next_from()
    {
        var inventory = new Dictionary<string, int> { ["oak_planks"] = 4 };
        var team = new Dictionary<string, int> { ["oak_planks"] = 4, ["furnace"] = 1 };
        var goal = new Dictionary<string, int> { ["furnace"] = 1, ["stone_pickaxe"] = 1, ["oak_planks"] = 2 };
        var facts = new ConductorFacts(new BlockPos(0, 52, 0), 90, 0, inventory, team, goal, null,
            [], [], new int[8], [], null, null, null, [], null);
        const string part = "collect furnace 1 stone_pickaxe 1";
        string notes = StudentNotes.Text(facts, part);

        Assert.Contains("still needed: furnace 0, stone_pickaxe 1", notes);   // the part's order; what the team holds is done
        string steps = notes.Split('\n').Single(l => l.StartsWith("recipe steps: ", StringComparison.Ordinal));
        Assert.True(SubTask.TryParse(part, out SubTask? parsed, out _));
        var plan = RecipePlanner.Plan(Steve2.Pipeline.Teacher.Rules.ConductorRules.OwnGoals(parsed!, facts), inventory);
        Assert.Equal("recipe steps: " + string.Join(", ", plan.Take(StudentNotes.ListLimit).Select(d => d.ToText())), steps);
        // The directive the rules give is one of the steps written (the first the agent can do now).
        var direct = Steve2.Pipeline.Teacher.Rules.ConductorRules.Direct(0, parsed!, facts, null);
        Assert.Contains(direct.ToText(), steps);
        // Without a collect part (an explore part, no instruction) there is no checklist.
        Assert.DoesNotContain("still needed", StudentNotes.Text(facts, "explore north"));
        Assert.DoesNotContain("still needed", StudentNotes.Text(facts));
    }

    [Fact]
    public void A_collectors_notes_say_the_step_the_rules_take_now_or_what_blocks_the_plan()
    {
        var goal = new Dictionary<string, int> { ["chest"] = 2, ["wooden_axe"] = 1 };
        const string part = "collect chest 2 wooden_axe 1";
        Assert.True(SubTask.TryParse(part, out SubTask? parsed, out _));
        int written = 0, blocked = 0;
        foreach (int logs in new[] { 0, 1, 3, 7, 8, 12 })
            foreach (string[] waiting in new[] { Array.Empty<string>(), ["oak_log"] })
            {
                var inventory = logs == 0 ? new Dictionary<string, int>() : new Dictionary<string, int> { ["oak_log"] = logs };
                var facts = new ConductorFacts(new BlockPos(0, 52, 0), 90, 0, inventory, inventory, goal, null,
                    [], [], new int[8], [], null, null, null, waiting, null);
                string notes = StudentNotes.Text(facts, part);
                var direct = Steve2.Pipeline.Teacher.Rules.ConductorRules.Direct(0, parsed!, facts, null);
                var (now, blockedOn) = RecipePlanner.Next(Steve2.Pipeline.Teacher.Rules.ConductorRules.OwnGoals(parsed!, facts), inventory, waiting);
                if (now is not null)
                {
                    Assert.Equal(direct.ToText(), now.ToText());   // the line is the rules' directive
                    Assert.Contains("\nnow: " + direct.ToText() + "\n", notes + "\n");
                    written++;
                }
                else
                {
                    Assert.Equal("oak_log", blockedOn);
                    Assert.Contains("\nblocked on: oak_log", notes);
                    Assert.DoesNotContain("\nnow: ", notes);
                    blocked++;
                }
            }
        Assert.True(written > 0 && blocked > 0, $"{written} written, {blocked} blocked");
        // 7 logs waiting for more: a craft cut to what they make, not the plan's first step (v7's loop).
        var seven = new Dictionary<string, int> { ["oak_log"] = 7 };
        string cut = StudentNotes.Text(new ConductorFacts(new BlockPos(0, 52, 0), 90, 0, seven, seven, goal, null,
            [], [], new int[8], [], null, null, null, ["oak_log"], null), part);
        Assert.Contains("\nnow: craft oak_planks 7", cut);
        // Stone blocks the plan and the agent holds a pickaxe: the rules dig where the notes say is below its feet.
        var tools = new Dictionary<string, int> { ["wooden_pickaxe"] = 1, ["stick"] = 2, ["crafting_table"] = 1 };
        var digging = new ConductorFacts(new BlockPos(3, 52, -4), 90, 0, tools, tools, new Dictionary<string, int> { ["stone_pickaxe"] = 1 }, null,
            [], [], new int[8], [], null, null, null, ["cobblestone"], null);
        Assert.True(SubTask.TryParse("collect stone_pickaxe 1", out SubTask? stone, out _));
        Assert.Equal("mine 3 51 -4", Steve2.Pipeline.Teacher.Rules.ConductorRules.Direct(0, stone!, digging, null).ToText());
        string dig = StudentNotes.Text(digging, "collect stone_pickaxe 1");
        Assert.Contains("\nblocked on: cobblestone\n", dig);
        Assert.Contains("\nbelow feet: 3 51 -4", dig);
    }

    [Fact]
    public void A_managers_notes_say_what_the_team_still_misses()
    {
        var facts = new ManagerFacts("collection", 2, null, null, new Dictionary<string, int> { ["bowl"] = 5, ["furnace"] = 1, ["stone_sword"] = 1 },
            new Dictionary<string, int> { ["bowl"] = 4, ["furnace"] = 3 }, [new Dictionary<string, int> { ["bowl"] = 4, ["furnace"] = 3 }, new Dictionary<string, int>()]);
        string notes = StudentNotes.Text(facts);
        Assert.Contains("missing: bowl 1, stone_sword 1", notes);
    }

    [Fact]
    public void An_actors_notes_give_the_view_of_a_look_and_where_an_approach_stops()
    {
        var pose = new Pose(new Vec3(0.5, 44, 0.5), 0, 0);
        var facts = new ActorFacts(pose, 4.5, new Dictionary<string, int>(), null);
        var far = new BlockPos(-1, 44, 22);
        Assert.Contains("goal: 22 blocks south; stop at " + Pos(Steve2.Pipeline.Teacher.Rules.ActorRules.StopShort(pose.Block, far, Steve2.Pipeline.Teacher.Rules.ActorRules.StopDistance)),
            StudentNotes.Text(facts, "approach -1 44 22"));
        Assert.Equal(new MoveTo(new BlockPos(-1, 44, 20)), Steve2.Pipeline.Teacher.Rules.ActorRules.Act(new Directive(DirectiveKind.Approach, far), facts));
        var look = Steve2.Pipeline.Teacher.Rules.ActorRules.LookAt(pose, new BlockPos(2, 40, 1));
        string code = look.ToCode();   // lookAt(yaw, pitch)
        string expected = "view yaw " + code["lookAt(".Length..^1].Replace(", ", " pitch ");
        Assert.Contains(expected, StudentNotes.Text(facts, "look 2 40 1"));
        Assert.Contains(expected, StudentNotes.Text(facts, "approach 2 40 1"));   // within 3 blocks an approach looks
        Assert.DoesNotContain("view", StudentNotes.Text(facts, "goto 2 40 1"));
    }

    [Fact]
    public void The_rules_look_in_whole_degrees_so_the_view_note_is_two_numbers_to_copy()
    {
        var pose = new Pose(new Vec3(2.5, 44, -49.5), -102, 7);
        var facts = new ActorFacts(pose, 4.5, new Dictionary<string, int>(), null);
        foreach (var target in new[] { new BlockPos(11, 43, -55), new BlockPos(24, 42, -55), new BlockPos(-7, 60, 3), new BlockPos(2, 44, -50), new BlockPos(2, 45, -40) })
        {
            var look = Steve2.Pipeline.Teacher.Rules.ActorRules.LookAt(pose, target);
            Assert.Equal(Math.Round(look.Yaw), look.Yaw);
            Assert.Equal(Math.Round(look.Pitch), look.Pitch);
            Assert.InRange(look.Pitch, -90, 90);
            Assert.DoesNotContain(".", look.ToCode());
            Assert.DoesNotContain("-0,", look.ToCode());   // straight ahead is yaw 0, not -0
            string t = $"{target.X} {target.Y} {target.Z}";
            Assert.Contains(System.FormattableString.Invariant($"view yaw {look.Yaw} pitch {look.Pitch}"), StudentNotes.Text(facts, "look " + t));
        }
    }

    [Fact]
    public void A_block_searchers_notes_say_how_deep_it_is_and_its_way_as_the_rules_count_them()
    {
        ConductorFacts At(int y, params Direction[] blocked) => new(new BlockPos(0, y, 0), 90, 0, new Dictionary<string, int> { ["wooden_pickaxe"] = 1 },
            new Dictionary<string, int>(), null, "find diamond_ore northeast", [], blocked, new int[8], [], null, null, null, [], null);
        const string part = "find diamond_ore northeast";
        Assert.True(SubTask.TryParse(part, out SubTask? find, out _));

        var high = At(25);
        Assert.Contains("descent: 14 down to y 11, way north", StudentNotes.Text(high, part));   // a diagonal turns left to its cardinal
        Assert.Equal("staircase north 14", Steve2.Pipeline.Teacher.Rules.ConductorRules.Direct(0, find!, high, null).ToText());
        Assert.Contains("descent: 20 down to y 11", StudentNotes.Text(At(60), part));           // one action digs at most 20
        var layer = At(7, Direction.North);
        Assert.Contains("layer: 3 above y 4, way east (north blocked)", StudentNotes.Text(layer, part));
        Assert.Equal("digdown 3", Steve2.Pipeline.Teacher.Rules.ConductorRules.Direct(0, find!, layer, null).ToText());
        Assert.DoesNotContain("descent", StudentNotes.Text(high, "explore north"));
    }

    [Fact]
    public void A_managers_notes_give_the_recipe_books_split_the_rules_hand_out()
    {
        var facts = new ManagerFacts("collection", 2, null, null,
            new Dictionary<string, int> { ["bowl"] = 6, ["cobblestone"] = 5, ["dirt"] = 3, ["stone_pickaxe"] = 1, ["wooden_sword"] = 1 },
            new Dictionary<string, int> { ["bowl"] = 8 }, [new Dictionary<string, int> { ["bowl"] = 8 }, new Dictionary<string, int> { ["oak_planks"] = 8 }]);
        string split = StudentNotes.Text(facts).Split('\n').Single(l => l.StartsWith("split: ", StringComparison.Ordinal));
        // Each agent's share is the part the rules give it, word for word after "collect".
        string[] plan = Steve2.Pipeline.Teacher.Rules.ManagerRules.Plan(facts).Split('\n');
        string[] shares = split["split: ".Length..].Split("; ");
        Assert.Equal(2, shares.Length);
        for (int a = 0; a < 2; a++)
            Assert.Equal(plan[a].Replace($"agent {a}: collect ", $"agent {a} "), shares[a]);
        // Nothing missing, or another task: no split.
        Assert.DoesNotContain("split:", StudentNotes.Text(facts with { TeamInventory = facts.Materials! }));
        Assert.DoesNotContain("split:", StudentNotes.Text(facts with { Task = "exploration" }));
    }

    [Fact]
    public void The_first_direction_written_is_the_rules_pick_with_the_parts_bonus()
    {
        var random = new Random(11);
        for (int trial = 0; trial < 300; trial++)
        {
            int[] ahead = Enumerable.Range(0, 8).Select(_ => 90 + random.Next(0, 6)).ToArray();   // within the bonus of each other
            var blocked = Enum.GetValues<Direction>().Where(_ => random.Next(5) == 0).ToArray();
            if (blocked.Length == 8) continue;
            var preferred = (Direction)random.Next(8);
            int agent = random.Next(3);
            var facts = new ConductorFacts(new BlockPos(0, 52, 0), 90, 0, new Dictionary<string, int>(), new Dictionary<string, int>(), null, null,
                [], blocked, new int[8], [], null, null, null, [], null, UnseenAhead: ahead);
            foreach (string part in new[] { $"explore {DirectionNames.Name(preferred)}", $"search cow {DirectionNames.Name(preferred)}", "find diamond_ore north" })
            {
                Assert.True(SubTask.TryParse(part, out SubTask? parsed, out _));
                string line = StudentNotes.Text(facts, part, agent).Split('\n').Single(l => l.StartsWith("ahead: ", StringComparison.Ordinal));
                Direction way = Steve2.Pipeline.Teacher.Rules.ConductorRules.PreferredWay(agent, parsed!)!.Value;
                Assert.Equal(DirectionNames.Name(Steve2.Pipeline.Teacher.Rules.ExploreRules.BestUnseenDirection(ahead, way, blocked)), line["ahead: ".Length..].Split(' ')[0]);
            }
            var explore = Steve2.Pipeline.Teacher.Rules.ConductorRules.Direct(agent, new SubTask(SubTaskKind.Explore, Direction: preferred), facts, null);
            Assert.Equal("explore " + StudentNotes.Text(facts, $"explore {DirectionNames.Name(preferred)}", agent).Split('\n')
                .Single(l => l.StartsWith("ahead: ", StringComparison.Ordinal))["ahead: ".Length..].Split(' ')[0], explore.ToText());
        }
    }

    [Fact]
    public void A_searchers_notes_mark_what_a_nearer_teammate_takes_a_blocked_bearing_and_the_look_around()
    {
        var feet = new BlockPos(-64, 43, -24);
        int[] around = [1, 12, 25, 25, 17, 0, 12, 7];   // east (index 2) first among the ties
        var facts = new ConductorFacts(feet, 90, 0, new Dictionary<string, int>(), new Dictionary<string, int>(), null, "explore southwest",
            [], [Direction.South], new int[8], [], null, new SoundFact(null, Direction.South), null, [], null,
            SeenTargets: [new BlockPos(-40, 43, -20), new BlockPos(-80, 43, -24)],
            TeammateTargets: [new TeammateTarget(new BlockPos(-41, 43, -20), 3)], UnviewedAround: around);
        string notes = StudentNotes.Text(facts, "search sheep north");
        Assert.Contains("seen target: -40 43 -20 (teammate nearer), -80 43 -24", notes);
        Assert.Contains("sound from south (blocked)", notes);
        Assert.Contains("around: east 25 southeast 25", notes);
        // The rules leave the first target to the teammate and approach the second; without it, they look around east.
        Assert.Equal("approach -80 43 -24", Steve2.Pipeline.Teacher.Rules.ConductorRules.Direct(0, new SubTask(SubTaskKind.Search, "sheep", Direction: Direction.North), facts, null).ToText());
        var alone = facts with { SeenTargets = null, TeammateTargets = null };
        string look = Steve2.Pipeline.Teacher.Rules.ConductorRules.Direct(0, new SubTask(SubTaskKind.Search, "sheep", Direction: Direction.North), alone, null).ToText();
        Assert.Equal("look -40 43 -24", look);
        Assert.Contains("; look -40 43 -24", StudentNotes.Text(alone, "search sheep north"));
        // Under the worth-a-look count no point is written.
        Assert.DoesNotContain("; look", StudentNotes.Text(alone with { UnviewedAround = [1, 12, 23, 0, 0, 0, 0, 0] }, "search sheep north"));
    }

    [Fact]
    public void An_actors_notes_say_when_a_goal_is_beyond_one_walk_and_which_way_to_explore()
    {
        var pose = new Pose(new Vec3(0.5, 46, -49.5), 180, 0);
        var facts = new ActorFacts(pose, 4.5, new Dictionary<string, int>(), null);
        Assert.Contains("goal: 68.1 blocks east; too far to walk, explore east", StudentNotes.Text(facts, "goto 68 46 -47"));
        Assert.Equal(new Explore(Direction.East, CodeAction.MaxMoveBlocks),
            Steve2.Pipeline.Teacher.Rules.ActorRules.Act(new Directive(DirectiveKind.GoTo, new BlockPos(68, 46, -47)), facts));
        // An approach whose stopping place is beyond the range explores too; a walk within it names no way.
        Assert.Contains("too far to walk, explore north", StudentNotes.Text(facts, "approach 0 46 -99"));
        Assert.DoesNotContain("too far", StudentNotes.Text(facts, "goto 30 46 -49"));
        Assert.Contains("; stop at", StudentNotes.Text(facts, "approach 30 46 -49"));
    }

    private static readonly SubTask SheepSearch = new(SubTaskKind.Search, "sheep", Direction: Direction.North);

    private static string Rules(ConductorFacts f, SubTask part) =>
        Steve2.Pipeline.Teacher.Rules.ConductorRules.Direct(0, part, f, null).ToText();

    private static ConductorFacts Searcher(BlockPos feet, string? previous) =>
        new(feet, 90, 0, new Dictionary<string, int>(), new Dictionary<string, int>(), null, previous,
            [], [], [42, 42, 42, 42, 42, 42, 42, 42], [], null, null, null, [], null);

    [Fact]
    public void A_searchers_look_around_is_written_only_when_the_rules_would_look()
    {
        var after = Searcher(new BlockPos(-48, 42, -45), "explore west") with { UnviewedAround = [0, 13, 24, 20, 25, 16, 0, 8] };
        Assert.Equal("look -48 42 -21", Rules(after, SheepSearch));
        Assert.Contains("around: south 25 east 24 southeast 20 southwest 16 northeast 13 northwest 8 north 0 west 0; look -48 42 -21", StudentNotes.Text(after, "search sheep north"));
        // Right after a look the rules explore; the point is not written (v8 wrote it and its conductors looked again).
        var looked = after with { PreviousDirective = "look -48 42 -69" };
        Assert.StartsWith("explore", Rules(looked, SheepSearch));
        Assert.DoesNotContain("; look", StudentNotes.Text(looked, "search sheep north"));
        // An agent's first decision (no previous directive) does not look around either.
        Assert.DoesNotContain("; look", StudentNotes.Text(after with { PreviousDirective = null }, "search sheep north"));
    }

    [Fact]
    public void A_chest_searchers_notes_say_how_far_the_structure_is_and_where_the_look_into_it_aims()
    {
        var pyramid = new SubTask(SubTaskKind.Search, "pyramid_chest", Direction: Direction.North);
        var hint = new BlockPos(10, 42, -55);
        var far = Searcher(new BlockPos(0, 43, -50), "explore north") with { StructureHint = hint };
        Assert.Equal("goto 10 42 -55", Rules(far, pyramid));
        string farNotes = StudentNotes.Text(far, "search pyramid_chest north");
        Assert.Contains("structure: 10 42 -55 d 11", farNotes);
        Assert.DoesNotContain("look inside", farNotes);

        // Arrived within three columns: the rules look north of a pyramid's door, at a ruin's hint itself.
        var here = far with { Feet = new BlockPos(9, 42, -53) };
        Assert.Equal("look 10 42 -61", Rules(here, pyramid));
        Assert.Contains("structure: 10 42 -55 d 2; look inside 10 42 -61", StudentNotes.Text(here, "search pyramid_chest north"));
        Assert.Contains("; look inside 10 42 -55", StudentNotes.Text(here, "search ruin_chest north"));

        // A nearer teammate heading there, or a place set aside: the rules pass the structure over, and the notes say why.
        var claimed = far with { TeammateTargets = [new TeammateTarget(hint, 1)] };
        Assert.NotEqual("goto 10 42 -55", Rules(claimed, pyramid));
        Assert.Contains("structure: 10 42 -55 d 11 (teammate nearer)", StudentNotes.Text(claimed, "search pyramid_chest north"));
        var setAside = far with { Unreachable = [hint] };
        Assert.NotEqual("goto 10 42 -55", Rules(setAside, pyramid));
        Assert.Contains("structure: 10 42 -55 d 11 (set aside)", StudentNotes.Text(setAside, "search pyramid_chest north"));
    }

    [Fact]
    public void A_sound_areas_notes_say_whether_the_agent_is_outside_or_inside_it_as_the_rules_compare()
    {
        var centre = new BlockPos(38, 47, 36);
        var sound = new SoundFact(null, Direction.South, centre, 5, [new BlockPos(38, 47, 33)]);
        var outside = Searcher(new BlockPos(62, 43, 0), "explore southeast") with { Sound = sound };
        Assert.Equal("goto 38 47 36", Rules(outside, SheepSearch));
        Assert.Contains("sound from south about 38 47 36 r 5 d 43 outside; unseen 38 47 33", StudentNotes.Text(outside, "search sheep north"));
        var inside = outside with { Feet = new BlockPos(36, 47, 36) };
        Assert.Equal("look 38 47 33", Rules(inside, SheepSearch));
        Assert.Contains("r 5 d 2 inside; unseen 38 47 33", StudentNotes.Text(inside, "search sheep north"));
        // A fix within the exact radius is a place: neither word.
        string place = StudentNotes.Text(outside with { Sound = sound with { Radius = 3 } }, "search sheep north");
        Assert.Contains("r 3 d 43; unseen", place);
    }

    [Fact]
    public void A_chest_searchers_seen_target_is_named_a_chest_which_the_rules_open()
    {
        var seen = Searcher(new BlockPos(2, 45, 0), "explore south") with { SeenTargets = [new BlockPos(0, 45, -60)] };
        var ruin = new SubTask(SubTaskKind.Search, "ruin_chest", Direction: Direction.South);
        Assert.Equal("open 0 45 -60", Rules(seen, ruin));
        Assert.Contains("seen chest: 0 45 -60", StudentNotes.Text(seen, "search ruin_chest south"));
        Assert.Equal("approach 0 45 -60", Rules(seen, SheepSearch));
        Assert.Contains("seen target: 0 45 -60", StudentNotes.Text(seen, "search sheep north"));
    }

    private static string Pos(BlockPos p) => $"{p.X} {p.Y} {p.Z}";
}
