using Steve2.Pipeline.Environment;
using VoxelGrid = Expert.VqVae.Voxels.OccupancyGrid;

namespace Steve2.Pipeline.Tasks;

/// <summary>
/// Scores creation on the site's region (<see cref="BuildSite"/>). Metrics: iou (built vs target,
/// every non-air block counts as built), image_distance (<see cref="BuildingGrids.ImageDistance"/>, lower is
/// better), success (iou >= <see cref="SuccessIoU"/>), blocks_placed (non-air blocks in the region),
/// target_blocks, iterations. The episode completes early when the build matches exactly.
/// </summary>
public sealed class CreationScorer(string task, int seed, BuildSite site, VoxelGrid target) : ITaskScorer
{
    public const double SuccessIoU = 0.5;
    private readonly VoxelGrid _targetInRegion = site.TargetInRegion(target);
    private bool _exact;

    public BuildSite Site => site;
    public VoxelGrid Target => target;
    public bool IsComplete => _exact;

    public void Record(int agentId, CodeAction action, ActionOutcome outcome, IWorldQuery world)
    {
        if (action is Place or Mine or PlaceBox or RemoveBox && outcome.Success)
            _exact = BuildingGrids.IoU(site.BuiltInRegion(world), _targetInRegion) >= 1;
    }

    public TaskResult Finish(int iterationsUsed, IWorldQuery world)
    {
        VoxelGrid built = site.BuiltInRegion(world);
        double iou = BuildingGrids.IoU(built, _targetInRegion);
        return new TaskResult(task, seed, iou >= SuccessIoU, iterationsUsed, new Dictionary<string, double>
        {
            ["success"] = iou >= SuccessIoU ? 1 : 0,
            ["iou"] = Math.Round(iou, 4),
            ["image_distance"] = Math.Round(BuildingGrids.ImageDistance(built, _targetInRegion), 4),
            ["blocks_placed"] = built.Count(),
            ["target_blocks"] = target.Count(),
            ["iterations"] = iterationsUsed,
        });
    }
}
