using Steve2.Pipeline.Environment;
using VoxelGrid = Expert.VqVae.Voxels.OccupancyGrid;

namespace Steve2.Pipeline.Tasks;

/// <summary>
/// Where a building goes: grid voxel (x, y, z) of a target of size <see cref="Size"/> is world block
/// <see cref="Origin"/> + (x, y, z) (grid y up = world y up, grid z = world z). The scored region is the
/// target's box widened by <see cref="Margin"/> columns on each side and raised by <see cref="Margin"/>
/// layers, so blocks placed next to the building count against it.
/// </summary>
public sealed record BuildSite(BlockPos Origin, int SizeX, int SizeY, int SizeZ)
{
    public const int Margin = 2;

    public BlockPos RegionMin => Origin.Offset(-Margin, 0, -Margin);
    public int RegionSizeX => SizeX + 2 * Margin;
    public int RegionSizeY => SizeY + Margin;
    public int RegionSizeZ => SizeZ + 2 * Margin;

    /// <summary>The target grid laid into the region's grid.</summary>
    public VoxelGrid TargetInRegion(VoxelGrid target)
    {
        var region = new VoxelGrid(RegionSizeX, RegionSizeY, RegionSizeZ);
        for (int y = 0; y < target.SizeY; y++)
            for (int z = 0; z < target.SizeZ; z++)
                for (int x = 0; x < target.SizeX; x++)
                    if (target[x, y, z]) region[x + Margin, y, z + Margin] = true;
        return region;
    }

    /// <summary>What stands in the region now: every non-air block is occupied.</summary>
    public VoxelGrid BuiltInRegion(IWorldQuery world)
    {
        var region = new VoxelGrid(RegionSizeX, RegionSizeY, RegionSizeZ);
        BlockPos min = RegionMin;
        for (int y = 0; y < RegionSizeY; y++)
            for (int z = 0; z < RegionSizeZ; z++)
                for (int x = 0; x < RegionSizeX; x++)
                    if (world.GetBlock(min.Offset(x, y, z)) != Block.Air) region[x, y, z] = true;
        return region;
    }

    /// <summary>
    /// Clears the site for building: over the region, one more ring, and west to column
    /// <paramref name="westX"/> (where the agents stand), air from the origin's level up to the region's top
    /// plus 4, grass just below, and dirt under that (8 deep) where it was air, water or leaves, so the
    /// ground is flat and solid. Cells where <paramref name="agents"/> stand keep their air. Not an agent
    /// action: task setup.
    /// </summary>
    public void Clear(IWorldQuery world, int westX, IReadOnlyList<BlockPos> agents)
    {
        BlockPos min = RegionMin;
        int ground = Origin.Y - 1;
        var keep = agents.SelectMany(a => new[] { a, a.Above }).ToHashSet();
        for (int x = Math.Min(westX, min.X - 1); x <= min.X + RegionSizeX; x++)
            for (int z = min.Z - 1; z <= min.Z + RegionSizeZ; z++)
            {
                if (x < world.Min.X || x > world.Max.X || z < world.Min.Z || z > world.Max.Z) continue;
                for (int y = Origin.Y; y <= Math.Min(world.Max.Y, Origin.Y + RegionSizeY + 4); y++)
                    world.SetBlock(new BlockPos(x, y, z), Block.Air);
                world.SetBlock(new BlockPos(x, ground, z), Block.Grass);
                for (int y = ground - 1; y >= Math.Max(world.Min.Y + 1, ground - 8); y--)
                {
                    var p = new BlockPos(x, y, z);
                    if (!keep.Contains(p) && world.GetBlock(p) is Block.Air or Block.Water or Block.OakLeaves) world.SetBlock(p, Block.Dirt);
                }
            }
    }
}
