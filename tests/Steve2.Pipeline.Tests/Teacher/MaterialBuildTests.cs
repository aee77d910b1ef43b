using Steve2.Pipeline.Agents;
using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Experts;
using Steve2.Pipeline.Tasks;
using Steve2.Pipeline.Teacher;
using Steve2.Pipeline.Teacher.Planning;
using Steve2.Pipeline.Teacher.Roles;
using Steve2.Pipeline.Teacher.Rules;
using Steve2.Pipeline.Teacher.Decisions;
using Steve2.Pipeline.Tests.Experts;
using Steve2.Pipeline.Tests.Trajectories;
using Steve2.Pipeline.Trajectories;
using BlockMaterial = Expert.VqVae.Materials.BlockMaterial;
using MaterialGrid = Expert.VqVae.Voxels.MaterialGrid;
using VoxelGrid = Expert.VqVae.Voxels.OccupancyGrid;

namespace Steve2.Pipeline.Tests.Teacher;

/// <summary>The teacher builds with materials (issue 17): plans carry the imagined blocks, or the goal's one material without them.</summary>
public sealed class MaterialBuildTests
{
    private const string StoneItem = "stone";

    private static (VoxelGrid Grid, MaterialGrid Blocks) TwoBlockHut()
    {
        var g = new VoxelGrid(5, 4, 5);
        g.FillBox(0, 0, 0, 4, 3, 4);
        g.FillBox(1, 0, 1, 3, 2, 3, false);
        var b = new MaterialGrid(5, 4, 5);
        for (int y = 0; y < 4; y++)
            for (int z = 0; z < 5; z++)
                for (int x = 0; x < 5; x++)
                    if (g[x, y, z]) b[x, y, z] = y == 3 ? BlockMaterial.OakPlanks : x == 0 ? BlockMaterial.Glass : BlockMaterial.Stone;
        return (g, b);
    }

    [Fact]
    public void A_box_plan_of_a_grid_with_blocks_keeps_one_block_a_box_and_names_it()
    {
        var (grid, blocks) = TwoBlockHut();
        var origin = new BlockPos(40, 10, -3);
        var steps = BoxPlanner.Plan(grid, origin, 8, blocks);
        var cells = steps.SelectMany(s => s.Cells().Select(c => (c, s.Block))).ToArray();
        Assert.Equal(grid.Count(), cells.Length);
        Assert.Equal(cells.Length, cells.Select(c => c.c).Distinct().Count());
        // Every cell is placed in the block the grid holds there.
        foreach (var (c, block) in cells)
            Assert.Equal(global::Expert.VqVae.Materials.BlockMaterials.Name(blocks[c.X - origin.X, c.Y - origin.Y, c.Z - origin.Z]), block);
        Assert.Equal(["glass", "oak_planks", "stone"], steps.Select(s => s.Block!).Distinct().Order());
        // Without blocks the same grid's steps name none (the goal's material builds them).
        Assert.All(BoxPlanner.Plan(grid, origin, 8), s => Assert.Null(s.Block));
    }

    [Fact]
    public void The_conductor_places_a_steps_block_and_the_goals_material_when_the_step_names_none()
    {
        var (grid, blocks) = TwoBlockHut();
        var build = new SubTask(SubTaskKind.Build);
        var withBlocks = SitePlan.FromGridBoxes(grid, blocks, new BlockPos(10, 5, 10), 8, Items.Sandstone, "expert");
        Directive d = ConductorRules.Direct(0, build, DecisionFacts.Conductor(new BlockPos(8, 5, 8), build: withBlocks.WindowFor(0)), null);
        PlanStep step = withBlocks.Steps.First(s => s.Position == d.Target);
        Assert.Equal((DirectiveKind.Place, step.Block), (d.Kind, d.Item));
        Assert.NotEqual(Items.Sandstone, d.Item);

        var occupancyOnly = SitePlan.FromGridBoxes(grid, null, new BlockPos(10, 5, 10), 8, Items.Sandstone, "expert");
        Directive plain = ConductorRules.Direct(0, build, DecisionFacts.Conductor(new BlockPos(8, 5, 8), build: occupancyOnly.WindowFor(0)), null);
        Assert.Equal(Items.Sandstone, plain.Item);
        Assert.Empty(occupancyOnly.Blocks);
    }

    [Fact]
    public void Blocks_the_goal_does_not_name_become_the_goals_material_and_no_palette_means_no_blocks()
    {
        var (_, blocks) = TwoBlockHut();
        var goal = new TaskGoal(CreationTask.MaterialsName, 0, "build", 10, 2, BuildMaterial: StoneItem, BuildMaterials: [StoneItem, Items.OakPlanks]);
        MaterialGrid kept = Manager.BlocksToBuild(blocks, goal, StoneItem)!;
        Assert.Equal(0, kept.Histogram()[(int)BlockMaterial.Glass]);     // glass is not the goal's: stone instead
        Assert.Equal(blocks.Histogram()[(int)BlockMaterial.Glass] + blocks.Histogram()[(int)BlockMaterial.Stone], kept.Histogram()[(int)BlockMaterial.Stone]);
        Assert.Equal(blocks.Histogram()[(int)BlockMaterial.OakPlanks], kept.Histogram()[(int)BlockMaterial.OakPlanks]);
        Assert.Equal(blocks.ToOccupancy(), kept.ToOccupancy());
        Assert.Null(Manager.BlocksToBuild(null, goal, StoneItem));
        // The one-material creation goal (no BuildMaterials): every imagined block becomes its material.
        var oneMaterial = new TaskGoal("creation", 0, "build", 10, 2, BuildMaterial: Items.Sandstone);
        MaterialGrid sandstone = Manager.BlocksToBuild(blocks, oneMaterial, Items.Sandstone)!;
        Assert.Equal(blocks.ToOccupancy().Count(), sandstone.Histogram()[(int)BlockMaterial.Sandstone]);
    }

    [Fact]
    public void An_answer_with_a_palette_reaches_the_plan_and_an_empty_palette_gives_no_blocks()
    {
        VoxelGrid grid = MaterialExpertDouble.Grid();
        var palette = new Steve2.Expert.V1.BlockGrid();
        Assert.Null(ExpertWireConversions.FromWire(palette, grid));
        Assert.Null(ExpertWireConversions.FromWire(null, grid));
        var (p, indices) = MaterialExpertDouble.Blocks(grid).PackBlocks();
        palette.Palette.AddRange(p.Select(global::Expert.VqVae.Materials.BlockMaterials.Name));
        palette.BlockIndices = Google.Protobuf.ByteString.CopyFrom(indices);
        Assert.Equal(MaterialExpertDouble.Blocks(grid), ExpertWireConversions.FromWire(palette, grid));
        palette.Palette[0] = "bricks";   // a block this pipeline does not know: no blocks, never a guess
        Assert.Null(ExpertWireConversions.FromWire(palette, grid));
    }

    private static async Task<(FakeEnvironment Env, BuildSite Site, ListRecorder Recorder)> BuildAsync(bool materials)
    {
        var env = new FakeEnvironment(agents: 2, inventory: new Dictionary<string, int> { [StoneItem] = 300, [Items.OakPlanks] = 300 });
        var site = new BuildSite(new BlockPos(6, FakeEnvironment.Ground + 1, -4), MaterialExpertDouble.Width, MaterialExpertDouble.Height, MaterialExpertDouble.Width, 8);
        const string text = "a small stone hut with an oak plank top";
        var goal = new TaskGoal(CreationTask.MaterialsName, 1, $"Build {text}. Use stone and oak_planks.", 40, 2, BuildingDescription: text,
            BuildSite: site.Origin, BuildSiteSize: 8, BuildMaterial: StoneItem, BuildMaterials: [StoneItem, Items.OakPlanks]);
        var recorder = new ListRecorder();
        var episode = new EpisodeContext(env, goal, new CreationScorer(goal.Task, 1, site, new VoxelGrid(MaterialExpertDouble.Width, MaterialExpertDouble.Height, MaterialExpertDouble.Width)), recorder);
        await new TeacherAgent(new TeacherAgentOptions(), new MaterialExpertDouble(materials).Clients()).RunEpisodeAsync(episode, CancellationToken.None);
        return (env, site, recorder);
    }

    [Fact]
    public async Task The_teacher_places_what_the_imagined_grid_says_and_the_goals_material_without_a_palette()
    {
        var (env, site, recorder) = await BuildAsync(materials: true);
        using (env)
        {
            var placed = Placed(env, site);
            Assert.True(placed.Count >= 20, $"placed {placed.Count}");
            // Layers 0-2 of the imagined building are stone, layer 3 and up oak planks: the world holds what the grid says.
            Assert.All(placed, p => Assert.Equal(p.Y - site.Origin.Y < 3 ? Block.Stone : Block.OakPlanks, p.Block));
            Assert.Contains(placed, p => p.Block == Block.OakPlanks);
            Assert.Contains("imagined blocks", recorder.Steps.First(s => s.Role == "manager").ExpertContext!.Text);
        }
        var (plainEnv, plainSite, plainRecorder) = await BuildAsync(materials: false);
        using (plainEnv)
        {
            var placed = Placed(plainEnv, plainSite);
            Assert.True(placed.Count >= 20, $"placed {placed.Count}");
            Assert.All(placed, p => Assert.Equal(Block.Stone, p.Block));   // the goal's one material, nothing invented
            Assert.Contains("imagined no materials", plainRecorder.Steps.First(s => s.Role == "manager").ExpertContext!.Text);
        }
    }

    [Fact]
    public async Task A_recorded_build_with_blocks_decides_again_to_its_recorded_answers()
    {
        // The step's block is a recorded fact (the build window's steps): the replay places the same block.
        using var folder = new TestFolder();
        using var env = new FakeEnvironment(agents: 2, inventory: new Dictionary<string, int> { [StoneItem] = 300, [Items.OakPlanks] = 300 });
        var site = new BuildSite(new BlockPos(6, FakeEnvironment.Ground + 1, -4), MaterialExpertDouble.Width, MaterialExpertDouble.Height, MaterialExpertDouble.Width, 8);
        const string text = "a small stone hut with an oak plank top";
        var goal = new TaskGoal(CreationTask.MaterialsName, 1, $"Build {text}. Use stone and oak_planks.", 24, 2, BuildingDescription: text,
            BuildSite: site.Origin, BuildSiteSize: 8, BuildMaterial: StoneItem, BuildMaterials: [StoneItem, Items.OakPlanks]);
        var teacher = new TeacherAgent(new TeacherAgentOptions(), new MaterialExpertDouble(materials: true).Clients());
        using (var writer = TrajectoryWriter.Begin(folder.Path, teacher.Name, TrajectoryFormat.SplitOf(TaskSeedPolicy.Default, 1), goal))
        {
            var episode = new EpisodeContext(env, goal, new CreationScorer(goal.Task, 1, site, new VoxelGrid(6, 5, 6)), writer);
            await teacher.RunEpisodeAsync(episode, CancellationToken.None);
            writer.Complete(episode.Finish());
        }
        RecordedEpisode recorded = Assert.Single(new TrajectoryReader(folder.Path).Episodes());
        Assert.Equal([StoneItem, Items.OakPlanks], recorded.Manifest.Goal.BuildMaterials);
        var experts = recorded.ReadExpertContexts().ToDictionary(c => c.Step);
        var steps = recorded.ReadSteps().ToArray();
        foreach (TrajectoryStep step in steps)
            Assert.Equal(step.ActionText, RuleReplay.Decide(step, experts.GetValueOrDefault(step.Step)));
        Assert.Contains(steps, s => s.Role == "conductor" && s.ActionText.StartsWith("place oak_planks", StringComparison.Ordinal));
        Assert.Contains(steps, s => s.Role == "conductor" && s.ActionText.StartsWith("place stone", StringComparison.Ordinal));
    }

    private static List<(int Y, Block Block)> Placed(FakeEnvironment env, BuildSite site)
    {
        var placed = new List<(int, Block)>();
        BlockPos min = site.RegionMin;
        for (int y = 0; y < site.RegionSizeY; y++)
            for (int z = 0; z < site.RegionSizeZ; z++)
                for (int x = 0; x < site.RegionSizeX; x++)
                {
                    var p = min.Offset(x, y, z);
                    Block b = env.World.GetBlock(p);
                    if (b != Block.Air) placed.Add((p.Y, b));
                }
        return placed;
    }
}
