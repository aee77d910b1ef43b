using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Tasks;
using Steve2.Pipeline.Tests.Teacher;
using static Steve2.Pipeline.Tests.Tasks.TaskTestSupport;
using BlockMaterial = Expert.VqVae.Materials.BlockMaterial;
using MaterialGrid = Expert.VqVae.Voxels.MaterialGrid;
using VoxelGrid = Expert.VqVae.Voxels.OccupancyGrid;

namespace Steve2.Pipeline.Tests.Tasks;

/// <summary>Creation with materials: the material-aware IoU, the goal's blocks and the starting inventory (issue 17).</summary>
public sealed class CreationMaterialsTests
{
    [Fact]
    public void Material_iou_counts_a_voxel_only_when_both_hold_the_same_block()
    {
        var target = new MaterialGrid(2, 1, 2);
        target.FillBox(0, 0, 0, 1, 0, 1, BlockMaterial.Stone);
        target[1, 0, 1] = BlockMaterial.Glass;
        Assert.Equal(1.0, BuildingGrids.MaterialIoU(target.Clone(), target));

        var built = target.Clone();
        built[1, 0, 1] = BlockMaterial.Stone;               // right place, wrong block
        Assert.Equal(1.0, BuildingGrids.IoU(built.ToOccupancy(), target.ToOccupancy()));
        Assert.Equal(3.0 / 4, BuildingGrids.MaterialIoU(built, target));
        built[0, 0, 0] = BlockMaterial.Air;                 // a block missing
        Assert.Equal(2.0 / 4, BuildingGrids.MaterialIoU(built, target));

        // An occupied voxel of no palette block (dirt) is in the union, never in the intersection.
        var occupied = target.ToOccupancy();
        var dirt = new VoxelGrid(2, 1, 2);
        dirt.FillBox(0, 0, 0, 1, 0, 1);
        var blocks = new MaterialGrid(2, 1, 2);
        blocks[0, 0, 0] = BlockMaterial.Stone;
        Assert.Equal(1.0 / 4, BuildingGrids.MaterialIoU(dirt, blocks, target));
        Assert.Equal(1.0, BuildingGrids.IoU(dirt, occupied));
        Assert.Equal(1.0, BuildingGrids.MaterialIoU(new MaterialGrid(2, 1, 2), new MaterialGrid(2, 1, 2)));   // both empty
    }

    [Fact]
    public void On_a_one_material_target_built_in_its_material_the_material_iou_equals_the_iou()
    {
        // Creation's 13 families: the target is the goal's one material everywhere.
        var world = new FakeWorld([]);
        var target = new VoxelGrid(3, 2, 2);
        target.FillBox(0, 0, 0, 2, 1, 1);
        var site = new BuildSite(new BlockPos(10, FakeEnvironment.Ground + 1, 10), 3, 2, 2);
        var scorer = new CreationScorer("creation", 0, site, target, MaterialGrid.Uniform(target, BlockMaterial.Sandstone));
        world.SetBlock(new BlockPos(10, 10, 10), Block.Sandstone);
        world.SetBlock(new BlockPos(11, 10, 10), Block.Sandstone);
        world.SetBlock(new BlockPos(8, 10, 8), Block.Sandstone);   // in the margin: counts against both
        TaskResult r = scorer.Finish(3, world);
        Assert.Equal(2.0 / 13, r.Metrics["iou"], 4);   // 12 target voxels and one in the margin
        Assert.Equal(r.Metrics["iou"], r.Metrics["material_iou"]);
        // Another block in the right place counts for the IoU, not for the material IoU.
        world.SetBlock(new BlockPos(12, 10, 10), Block.Stone);
        TaskResult mixed = scorer.Finish(4, world);
        Assert.Equal(3.0 / 13, mixed.Metrics["iou"], 4);
        Assert.Equal(2.0 / 13, mixed.Metrics["material_iou"], 4);
        Assert.False(scorer.IsComplete);
    }

    [Fact]
    public void Every_creation_target_is_scored_with_its_one_material()
    {
        using var env = new FakeEnvironment(agents: 2);
        TaskSetup setup = new CreationTask().Setup(3, env);
        var scorer = Assert.IsType<CreationScorer>(setup.Scorer);
        Assert.Equal(setup.Goal.BuildMaterial, Assert.Single(CreationTask.MaterialsOf(scorer.TargetBlocks!)));
        Assert.Null(setup.Goal.BuildMaterials);
        Assert.EndsWith($"Use {setup.Goal.BuildMaterial}.", setup.Goal.Instruction);
        Assert.Contains("material_iou", setup.Scorer.Finish(0, env.World).Metrics.Keys);
    }

    [Fact]
    public void A_materials_goal_names_the_buildings_blocks_and_every_agent_holds_enough_of_each()
    {
        var task = Assert.IsType<CreationTask>(TaskCatalog.Get(CreationTask.MaterialsName));
        foreach (int seed in new[] { 0, 5, 1_000_001 })
        {
            var (description, target, blocks) = CreationTask.ComposedBuildingFor(seed);
            Assert.Equal(target, blocks.ToOccupancy());
            var names = CreationTask.MaterialsOf(blocks);
            Assert.True(names.Count >= 2, $"seed {seed}: {string.Join(", ", names)}");
            IReadOnlyDictionary<string, int> inventory = task.Episode(seed).StartingInventory!;
            Assert.Equal(names.Order(), inventory.Keys.Order());
            int[] counts = blocks.Histogram();
            foreach (string n in names)
            {
                Assert.True(global::Expert.VqVae.Materials.BlockMaterials.TryParse(n, out var m));
                Assert.True(inventory[n] >= counts[(int)m] && inventory[n] >= 64, $"{n}: {inventory[n]} for {counts[(int)m]}");
                Assert.NotNull(Items.BlockOf(n));   // a block of the world the agents can place
            }
            if (seed >= 1_000_000) continue;
            using var env = new FakeEnvironment(agents: 2);
            TaskSetup setup = task.Setup(seed, env);
            Assert.Equal(names, setup.Goal.BuildMaterials);
            Assert.Equal(names[0], setup.Goal.BuildMaterial);
            Assert.Contains(description, setup.Goal.Instruction);
            Assert.All(names, n => Assert.Contains(n, setup.Goal.Instruction[setup.Goal.Instruction.LastIndexOf("Use ", StringComparison.Ordinal)..]));
            var scorer = Assert.IsType<CreationScorer>(setup.Scorer);
            Assert.Equal(blocks, scorer.TargetBlocks);
        }
    }
}
