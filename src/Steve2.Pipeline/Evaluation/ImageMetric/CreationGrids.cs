using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Tasks;
using VoxelGrid = Expert.VqVae.Voxels.OccupancyGrid;

namespace Steve2.Pipeline.Evaluation.ImageMetric;

/// <summary>
/// What a creation episode left on its site and what it should have built, as grids of the scored region
/// (<see cref="BuildSite"/>): the input of the creation FID. Captured by the evaluation harness from the
/// scorer after the episode has finished (the agent is gone by then); never part of anything an agent sees,
/// nor of results.json.
/// </summary>
public sealed record CreationGrids(VoxelGrid Built, VoxelGrid Target)
{
    /// <summary>The region's grids when <paramref name="scorer"/> scores creation; otherwise null.</summary>
    public static CreationGrids? Capture(ITaskScorer scorer, IWorldQuery world) =>
        scorer is CreationScorer creation
            ? new CreationGrids(creation.Site.BuiltInRegion(world), creation.Site.TargetInRegion(creation.Target))
            : null;
}
