using Steve2.Pipeline.Environment;
using Expert.VqVae.Materials;
using MaterialGrid = Expert.VqVae.Voxels.MaterialGrid;
using VoxelGrid = Expert.VqVae.Voxels.OccupancyGrid;

namespace Steve2.Pipeline.Tasks;

/// <summary>
/// Where a building goes: grid voxel (x, y, z) of a target of size <see cref="Size"/> is world block
/// <see cref="Origin"/> + (x, y, z) (grid y up = world y up, grid z = world z). The scored region is the
/// target's box widened by <see cref="Margin"/> columns on each side and raised by <see cref="Margin"/>
/// layers, so blocks placed next to the building count against it. The cleared ground is the square of
/// <see cref="Side"/> columns from the origin (at least the target's footprint), so the agents are told only its
/// size class, never the target's own footprint.
/// </summary>
public sealed record BuildSite(BlockPos Origin, int SizeX, int SizeY, int SizeZ, int SiteSide = 0)
{
    public const int Margin = 2;

    /// <summary>How high above the origin the site is cleared: the tallest grid the corpus or the expert makes, and a margin.</summary>
    public const int ClearHeight = 36;

    /// <summary>The side of the cleared square (x and z from the origin), at least the target's footprint.</summary>
    public int Side => Math.Max(SiteSide, Math.Max(SizeX, SizeZ));

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

    /// <summary>The target's blocks laid into the region's grid (as <see cref="TargetInRegion"/>).</summary>
    public MaterialGrid TargetBlocksInRegion(MaterialGrid target)
    {
        var region = new MaterialGrid(RegionSizeX, RegionSizeY, RegionSizeZ);
        for (int y = 0; y < target.SizeY; y++)
            for (int z = 0; z < target.SizeZ; z++)
                for (int x = 0; x < target.SizeX; x++)
                    region[x + Margin, y, z + Margin] = target[x, y, z];
        return region;
    }

    /// <summary>
    /// The blocks standing in the region now, as palette blocks (MATERIALS.md): a world block of the palette by its
    /// name; any other non-air block (dirt, grass) as air here, so it matches no target block (it is still occupied in
    /// <see cref="BuiltInRegion"/>).
    /// </summary>
    public MaterialGrid BuiltBlocksInRegion(IWorldQuery world)
    {
        var region = new MaterialGrid(RegionSizeX, RegionSizeY, RegionSizeZ);
        BlockPos min = RegionMin;
        for (int y = 0; y < RegionSizeY; y++)
            for (int z = 0; z < RegionSizeZ; z++)
                for (int x = 0; x < RegionSizeX; x++)
                {
                    Block b = world.GetBlock(min.Offset(x, y, z));
                    if (b != Block.Air && BlockMaterials.TryParse(Items.OfBlock(b), out BlockMaterial m)) region[x, y, z] = m;
                }
        return region;
    }

    /// <summary>
    /// Clears the site for building: over the cleared square and the region, with the margin and one more ring,
    /// and west to column <paramref name="westX"/> (where the agents stand), air from the origin's level up
    /// <see cref="ClearHeight"/> layers, grass just below, and dirt under that (8 deep) where it was air, water or leaves, so the
    /// ground is flat and solid. Cells where <paramref name="agents"/> stand keep their air, and an agent below the new
/// ground gets a staircase up to it. Not an agent
    /// action: task setup.
    /// </summary>
    public void Clear(IWorldQuery world, int westX, IReadOnlyList<BlockPos> agents)
    {
        BlockPos min = RegionMin;
        int ground = Origin.Y - 1;
        var keep = agents.SelectMany(a => new[] { a, a.Above }).ToHashSet();
        int maxX = Origin.X + Math.Max(RegionSizeX - Margin, Side + Margin), maxZ = Origin.Z + Math.Max(RegionSizeZ - Margin, Side + Margin);
        for (int x = Math.Min(westX, min.X - 1); x <= maxX; x++)
            for (int z = min.Z - 1; z <= maxZ; z++)
            {
                if (x < world.Min.X || x > world.Max.X || z < world.Min.Z || z > world.Max.Z) continue;
                for (int y = Origin.Y; y <= Math.Min(world.Max.Y, Origin.Y + Math.Max(RegionSizeY + 4, ClearHeight)); y++)
                    world.SetBlock(new BlockPos(x, y, z), Block.Air);
                world.SetBlock(new BlockPos(x, ground, z), Block.Grass);
                for (int y = ground - 1; y >= Math.Max(world.Min.Y + 1, ground - 8); y--)
                {
                    var p = new BlockPos(x, y, z);
                    if (!keep.Contains(p) && world.GetBlock(p) is Block.Air or Block.Water or Block.OakLeaves) world.SetBlock(p, Block.Dirt);
                }
            }
        // An agent left below the new ground (its cells kept their air) gets a staircase up to it, one block a step
        // along z, so it is not shut in a pit.
        foreach (BlockPos a in agents)
        {
            int k = Origin.Y - a.Y;
            if (k <= 0 || k > 8 || a.X < Math.Min(westX, min.X - 1) || a.X > maxX || a.Z < min.Z - 1 || a.Z > maxZ) continue;
            int dz = a.Z + k <= maxZ ? 1 : -1;
            for (int i = 0; i <= k; i++)
            {
                int z = a.Z + dz * i;
                if (z < world.Min.Z || z > world.Max.Z) break;
                for (int y = a.Y + i; y <= Origin.Y + 1; y++) world.SetBlock(new BlockPos(a.X, y, z), Block.Air);
                var step = new BlockPos(a.X, a.Y + i - 1, z);
                if (i > 0 && world.GetBlock(step) is Block.Air or Block.Water or Block.OakLeaves) world.SetBlock(step, Block.Dirt);
            }
        }
    }
}
