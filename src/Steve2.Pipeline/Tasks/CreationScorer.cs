using Steve2.Pipeline.Environment;
using MaterialGrid = Expert.VqVae.Voxels.MaterialGrid;
using VoxelGrid = Expert.VqVae.Voxels.OccupancyGrid;

namespace Steve2.Pipeline.Tasks;

/// <summary>
/// Scores creation on the site's region (<see cref="BuildSite"/>). Metrics: iou (built vs target,
/// every non-air block counts as built), material_iou (<see cref="BuildingGrids.MaterialIoU(VoxelGrid, MaterialGrid, MaterialGrid)"/>:
/// a voxel counts when built and target hold the same block there; only with target blocks), image_distance
/// (<see cref="BuildingGrids.ImageDistance"/>, lower is better), success (iou >= <see cref="SuccessIoU"/>), blocks_placed
/// (non-air blocks in the region), target_blocks, iterations. The episode completes early when the build matches
/// exactly (its blocks too, when the target has blocks).
/// </summary>
/// <param name="blocks">The target's block per voxel (its occupancy is <paramref name="target"/>): the goal's one
/// material everywhere for a one-material target, the parts' blocks for a composed one; null scores occupancy only.</param>
public sealed class CreationScorer(string task, int seed, BuildSite site, VoxelGrid target, MaterialGrid? blocks = null) : ITaskScorer
{
    public const double SuccessIoU = 0.5;
    private readonly VoxelGrid _targetInRegion = site.TargetInRegion(target);
    private readonly MaterialGrid? _blocksInRegion = blocks is null ? null : site.TargetBlocksInRegion(blocks);
    private bool _exact;

    public BuildSite Site => site;
    public VoxelGrid Target => target;

    /// <summary>The target's blocks, or null when it is scored on occupancy only.</summary>
    public MaterialGrid? TargetBlocks => blocks;
    public bool IsComplete => _exact;

    public void Record(int agentId, CodeAction action, ActionOutcome outcome, IWorldQuery world)
    {
        if (action is Place or Mine or PlaceBox or RemoveBox && outcome.Success)
        {
            VoxelGrid built = site.BuiltInRegion(world);
            _exact = BuildingGrids.IoU(built, _targetInRegion) >= 1
                && (_blocksInRegion is null || BuildingGrids.MaterialIoU(built, site.BuiltBlocksInRegion(world), _blocksInRegion) >= 1);
        }
    }

    public TaskResult Finish(int iterationsUsed, IWorldQuery world)
    {
        VoxelGrid built = site.BuiltInRegion(world);
        double iou = BuildingGrids.IoU(built, _targetInRegion);
        var metrics = new Dictionary<string, double>
        {
            ["success"] = iou >= SuccessIoU ? 1 : 0,
            ["iou"] = Math.Round(iou, 4),
        };
        if (_blocksInRegion is not null)
            metrics["material_iou"] = Math.Round(BuildingGrids.MaterialIoU(built, site.BuiltBlocksInRegion(world), _blocksInRegion), 4);
        metrics["image_distance"] = Math.Round(BuildingGrids.ImageDistance(built, _targetInRegion), 4);
        metrics["blocks_placed"] = built.Count();
        metrics["target_blocks"] = target.Count();
        metrics["iterations"] = iterationsUsed;
        return new TaskResult(task, seed, iou >= SuccessIoU, iterationsUsed, metrics);
    }
}
