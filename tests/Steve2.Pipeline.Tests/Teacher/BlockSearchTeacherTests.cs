using Steve2.Pipeline.Agents;
using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Tasks;
using Steve2.Pipeline.Teacher;
using Steve2.Pipeline.Teacher.Decisions;
using Steve2.Pipeline.Teacher.Roles;
using Steve2.Pipeline.Teacher.Rules;

namespace Steve2.Pipeline.Tests.Teacher;

/// <summary>The block-search plan (Rules/BlockSearchRules): pickaxe, descend, caves, strip-mining.</summary>
public sealed class BlockSearchTeacherTests
{
    [Fact]
    public async Task The_teacher_without_experts_crafts_a_pickaxe_digs_down_and_finds_a_diamond()
    {
        var task = new BlockSearchTask();
        const int seed = 9; // an evaluation seed: the plan finds 5-8 diamonds there (Tasks/TASKS.md, "Block search")
        using IEnvironment env = new VoxelEnvironmentFactory().Create(task.Episode(seed));
        TaskSetup setup = task.Setup(seed, env);
        var recorder = new ListRecorder();
        var episode = new EpisodeContext(env, setup.Goal, setup.Scorer, recorder);
        await new TeacherAgent(new TeacherAgentOptions(), null).RunEpisodeAsync(episode, CancellationToken.None);
        TaskResult r = episode.Finish();
        var actions = recorder.Steps.Where(s => s.Code is not null).ToArray();
        Assert.Contains(actions, s => s.Code is Craft { Item: Items.WoodenPickaxe } && s.Outcome!.Success);
        Assert.Contains(actions, s => s.Code is Staircase or DigDown or Tunnel && s.Outcome!.Success);
        Assert.True(r.Metrics["diamonds"] >= 1, string.Join(", ", r.Metrics));
    }

    private static ConductorFacts Facts(BlockPos feet, IReadOnlyDictionary<string, int> inventory, string? previous = null, IReadOnlyList<Direction>? blocked = null, BlockPos? deepFloor = null) =>
        new(feet, 0, 0, inventory, inventory, null, previous, [], blocked ?? [], new int[8], [], null, null, null, [], null, DeepFloor: deepFloor);

    [Fact]
    public void The_plan_goes_pickaxe_then_down_then_caves_then_strips()
    {
        var part = new SubTask(SubTaskKind.Find, "diamond_ore", Direction: Direction.South);
        var pickaxe = new Dictionary<string, int> { [Items.WoodenPickaxe] = 1 };
        // No tool: logs for every plank at once.
        Assert.Equal("gather oak_log 3", BlockSearchRules.Find(0, part, Facts(new BlockPos(0, 50, 0), new Dictionary<string, int>()), null).ToText());
        Assert.Equal("craft oak_planks 3", BlockSearchRules.Find(0, part, Facts(new BlockPos(0, 50, 0), new Dictionary<string, int> { [Items.OakLog] = 3 }), null).ToText());
        // A pickaxe, high up: a staircase toward the strip level in the agent's direction.
        Assert.Equal($"staircase south {CodeAction.MaxDigSteps}", BlockSearchRules.Find(0, part, Facts(new BlockPos(0, 50, 0), pickaxe), null).ToText());
        // Its way blocked: straight down.
        Assert.Equal("digdown 9", BlockSearchRules.Find(0, part, Facts(new BlockPos(0, 20, 0), pickaxe, blocked: [Direction.South]), null).ToText());
        // Cobblestone from digging: a stone pickaxe first.
        var cobble = new Dictionary<string, int> { [Items.WoodenPickaxe] = 1, [Items.Cobblestone] = 5, [Items.Stick] = 2, [Items.CraftingTable] = 1 };
        Assert.Equal("craft stone_pickaxe 1", BlockSearchRules.Find(0, part, Facts(new BlockPos(0, 50, 0), cobble), null).ToText());
        // At the layer: a cave floor seen and not visited; else strips 20 long, 3 aside between them.
        var deep = new BlockPos(0, BlockSearchRules.StripY, 0);
        Assert.Equal("goto 12 8 3", BlockSearchRules.Find(0, part, Facts(deep, pickaxe, deepFloor: new BlockPos(12, 8, 3)), null).ToText());
        Assert.Equal("tunnel south 20", BlockSearchRules.Find(0, part, Facts(deep, pickaxe), null).ToText());
        Assert.Equal("tunnel west 3", BlockSearchRules.Find(0, part, Facts(deep, pickaxe, previous: "tunnel south 20"), null).ToText());
        Assert.Equal("tunnel east 3", BlockSearchRules.Find(1, part, Facts(deep, pickaxe, previous: "tunnel south 20"), null).ToText());
        Assert.Equal("tunnel south 20", BlockSearchRules.Find(0, part, Facts(deep, pickaxe, previous: "tunnel west 3"), null).ToText());
        // The own way blocked at the layer (a cave's edge): a few blocks down, then on.
        Assert.Equal("digdown 5", BlockSearchRules.Find(0, part, Facts(deep, pickaxe, blocked: [Direction.South]), null).ToText());
        Assert.Equal("tunnel west 20", BlockSearchRules.Find(0, part, Facts(deep, pickaxe, previous: "digdown 5", blocked: [Direction.South]), null).ToText());
        // With the map: a deep frontier no agent has stood near chooses the way to strip-mine (its goal lies in rock, no
        // place to walk to); a seen cave floor still comes first; never straight back along the tunnel just dug.
        var expert = new ExpertFacts(Frontiers: [new FrontierFact(new BlockPos(30, 9, 0), 1)]);
        Assert.Equal("tunnel east 20", BlockSearchRules.Find(0, part, Facts(deep, pickaxe), expert).ToText());
        Assert.Equal("tunnel south 3", BlockSearchRules.Find(0, part, Facts(deep, pickaxe, previous: "tunnel east 20"), expert).ToText());
        Assert.Equal("goto 12 8 3", BlockSearchRules.Find(0, part, Facts(deep, pickaxe, deepFloor: new BlockPos(12, 8, 3)), expert).ToText());
        Assert.Equal("tunnel south 20", BlockSearchRules.Find(0, part, Facts(deep, pickaxe, previous: "tunnel west 20"), expert).ToText());
        // Nor into rock already dug (an agent stood 4 ahead), nor against the manager's direction for the agent.
        var dug = Facts(deep, pickaxe) with { DeepVisited = [new BlockPos(4, 11, 0)] };
        Assert.Equal("tunnel south 20", BlockSearchRules.Find(0, part, dug, expert).ToText());
        var north = new ExpertFacts(Frontiers: [new FrontierFact(new BlockPos(0, 9, -30), 1)]);
        Assert.Equal("tunnel south 20", BlockSearchRules.Find(0, part, Facts(deep, pickaxe), north).ToText());
        var both = new ExpertFacts(Frontiers: [new FrontierFact(new BlockPos(0, 9, -30), 2), new FrontierFact(new BlockPos(-30, 9, 0), 1)]);
        Assert.Equal("tunnel west 20", BlockSearchRules.Find(0, part, Facts(deep, pickaxe), both).ToText());
        var visited = Facts(deep, pickaxe) with { DeepVisited = [new BlockPos(28, 9, 1)] };
        Assert.Equal("tunnel south 20", BlockSearchRules.Find(0, part, visited, expert).ToText());
    }
}
