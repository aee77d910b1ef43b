using Steve2.Pipeline.Student.Distillation;
using Steve2.Pipeline.Teacher.Decisions;
using Steve2.Pipeline.Tests.Trajectories;
using Steve2.Pipeline.Trajectories;

namespace Steve2.Pipeline.Tests.Student.Distillation;

/// <summary>The critic's verdicts on recorded conductor states (the no-expert teacher's own plan and exploration).</summary>
public sealed class DaggerJudgeTests
{
    [Fact]
    public async Task Verdicts_follow_the_documented_order_on_recorded_build_and_explore_states()
    {
        using var folder = new TestFolder();
        await StudentTestData.RecordAsync(folder.Path, "creation", 1_000_002, null, budget: 6);
        await StudentTestData.RecordAsync(folder.Path, "exploration", 1_000_002, null, budget: 4);
        var steps = new TrajectoryReader(folder.Path).Episodes().SelectMany(e => e.ReadSteps()).Where(s => s.Role == "conductor").ToList();

        var build = steps.First(s => s.Instruction == "build" && s.Facts is ConductorFacts { Build: not null } f && f.Inventory.GetValueOrDefault(f.Build.Item) > 0);
        var bf = (ConductorFacts)build.Facts!;
        DaggerSample Judge(TrajectoryStep step, string text, bool seen = true) =>
            DaggerJudge.Judge("conductor", step.AgentId, step.Instruction, text, step.ActionText, step.Facts!, null, (_, _) => seen);

        Assert.Equal(DaggerJudge.Same, Judge(build, build.ActionText).Verdict);
        Assert.Equal(DaggerJudge.Unparseable, Judge(build, "place").Verdict);
        Assert.Equal(DaggerJudge.Infeasible, Judge(build, "place diamond_block 1 2 3").Verdict);   // the agent holds none
        var far = Judge(build, $"place {bf.Build!.Item} 900 64 900");
        Assert.Equal(DaggerJudge.OffPlan, far.Verdict);
        var pending = bf.Build.Pending[^1].Position;
        string onPlan = $"place {bf.Build.Item} {pending.X} {pending.Y} {pending.Z}";
        if (onPlan != build.ActionText) Assert.Equal(DaggerJudge.Differs, Judge(build, onPlan).Verdict);   // a pending step of the plan: feasible, not worse

        var explore = steps.First(s => s.Instruction.StartsWith("explore", StringComparison.Ordinal));
        var feet = ((ConductorFacts)explore.Facts!).Feet;
        string back = $"goto {feet.X} {feet.Y} {feet.Z + 3}";
        Assert.Equal(DaggerJudge.Explored, Judge(explore, back, seen: true).Verdict);
        Assert.Equal(DaggerJudge.Differs, Judge(explore, back, seen: false).Verdict);
        Assert.Contains(DaggerJudge.OffPlan, DaggerJudge.Worse);
        Assert.DoesNotContain(DaggerJudge.Differs, DaggerJudge.Worse);
    }

    /// <summary>
    /// Catches: an explore toward a way the team has mostly seen left as "differs" (no pair, so DPO never teaches the
    /// direction), or a way within the rules' bonus of the best judged worse (the rules themselves may choose it).
    /// </summary>
    [Fact]
    public void Exploring_a_way_with_fewer_unseen_columns_than_the_best_open_one_is_worse()
    {
        //                 N   NE  E   SE  S   SW  W   NW
        int[] ahead = [90, 10, 60, 88, 20, 0, 0, 100];
        var facts = new ConductorFacts(new Steve2.Pipeline.Environment.BlockPos(0, 52, 0), 0, 0, new Dictionary<string, int>(), new Dictionary<string, int>(),
            null, null, [], [Steve2.Pipeline.Environment.Direction.NorthWest], new int[8], [], null, null, null, [], null, UnseenAhead: ahead);
        DaggerSample Judge(string text) => DaggerJudge.Judge("conductor", 0, "explore north", text, "explore north", facts, null, (_, _) => false);

        var east = Judge("explore east");
        Assert.Equal(DaggerJudge.SeenWay, east.Verdict);                 // 60 against north's 90 (northwest's 100 is blocked)
        Assert.Contains("east has 60", east.Problem);
        Assert.Equal(DaggerJudge.Differs, Judge("explore southeast").Verdict);   // 88: within the bonus of 90
        Assert.Contains(DaggerJudge.SeenWay, DaggerJudge.Worse);
        Assert.True(PreferenceWeights.VerdictFactor(DaggerJudge.SeenWay) > PreferenceWeights.VerdictFactor(DaggerJudge.Differs));
    }

    /// <summary>Catches: a collection plan sending an agent after an item the task does not ask for left as "differs" (no pair).</summary>
    [Fact]
    public void A_plan_collecting_an_item_the_task_does_not_ask_for_is_infeasible()
    {
        var empty = new Dictionary<string, int>();
        var facts = new ManagerFacts("collection", 2, null, null, new Dictionary<string, int> { ["chest"] = 2, ["stick"] = 4 }, empty, [empty, empty]);
        const string teacher = "agent 0: collect chest 2\nagent 1: collect stick 4";
        DaggerSample Judge(string text) => DaggerJudge.Judge("manager", 0, "Collect these materials as a team: 2 chest, 4 stick.", text, teacher, facts, null, (_, _) => false);

        Assert.Equal(DaggerJudge.Same, Judge("agent 1: collect stick 4\nagent 0: collect chest 2").Verdict);
        Assert.Equal(DaggerJudge.Differs, Judge("agent 0: collect chest 2 stick 4\nagent 1: explore south").Verdict);
        var bad = Judge("agent 0: collect chest 2\nagent 1: collect stone_agent 1");
        Assert.Equal(DaggerJudge.Infeasible, bad.Verdict);
        Assert.Contains("stone_agent", bad.Problem);
        Assert.Equal(DaggerJudge.Unparseable, Judge("agent 0: collect chest 2\nagent 1: collect stick 4\nagent 1: idle").Verdict);
    }
}
