using Steve2.Pipeline.Agents;
using VoxelGrid = Expert.VqVae.Voxels.OccupancyGrid;

namespace Steve2.Pipeline.Experts;

/// <summary>What the creation expert imagined for a description: its grid (32^3, y up, as the proto's
/// OccupancyGrid), its renders as PNG, its build order (when asked), the model version and, when the model imagines
/// materials, the block of every voxel (<paramref name="Blocks"/>; null for an occupancy-only answer: an empty palette).</summary>
public sealed record ImaginedBuilding(VoxelGrid Grid, IReadOnlyList<NamedImage> Views, IReadOnlyList<PlannedBlock> BuildOrder, string ModelVersion,
    global::Expert.VqVae.Voxels.MaterialGrid? Blocks = null);
