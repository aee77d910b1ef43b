using Expert.VqVae.Materials;
using Expert.VqVae.Voxels;

namespace Expert.VqVae.Composition;

/// <summary>Which part of a composed building set a voxel last (for per-part material accuracy).</summary>
public enum VoxelOwner : byte { None = 0, Walls, Roof, Towers, Chimney, Columns, Stairs, Windows }

/// <summary>
/// Records box writes in a building's local frame (x and z around 0, y = 0 the ground, front = +z),
/// each with a material (air removes) and an owner, then writes them in order into a 32^3 grid with
/// the bounding box of the building centred on x/z, as <c>Corpus/ShapeBuilder</c> does for occupancy.
/// A later write wins.
/// </summary>
internal sealed class MaterialShapeBuilder
{
    private readonly List<(BlockMaterial M, VoxelOwner O, int X0, int Y0, int Z0, int X1, int Y1, int Z1)> _ops = new(96);

    public void Add(BlockMaterial m, VoxelOwner owner, int x0, int y0, int z0, int x1, int y1, int z1) =>
        _ops.Add((m, owner, x0, y0, z0, x1, y1, z1));

    public void Remove(int x0, int y0, int z0, int x1, int y1, int z1) =>
        _ops.Add((BlockMaterial.Air, VoxelOwner.None, x0, y0, z0, x1, y1, z1));

    /// <summary>Writes the shape; throws when it does not fit or does not stand on y = 0.</summary>
    public (MaterialGrid Grid, VoxelOwner[] Owners) ToGrid(int size, string what)
    {
        int minX = int.MaxValue, minY = int.MaxValue, minZ = int.MaxValue, maxX = int.MinValue, maxY = int.MinValue, maxZ = int.MinValue;
        foreach (var o in _ops)
        {
            if (o.M == BlockMaterial.Air) continue;
            minX = Math.Min(minX, Math.Min(o.X0, o.X1)); maxX = Math.Max(maxX, Math.Max(o.X0, o.X1));
            minY = Math.Min(minY, Math.Min(o.Y0, o.Y1)); maxY = Math.Max(maxY, Math.Max(o.Y0, o.Y1));
            minZ = Math.Min(minZ, Math.Min(o.Z0, o.Z1)); maxZ = Math.Max(maxZ, Math.Max(o.Z0, o.Z1));
        }
        if (minX == int.MaxValue) throw new InvalidOperationException($"{what} has no voxels.");
        int ex = maxX - minX + 1, ey = maxY + 1, ez = maxZ - minZ + 1;
        if (minY != 0) throw new InvalidOperationException($"{what} does not stand on y = 0 (lowest layer {minY}).");
        if (ex > size || ey > size || ez > size) throw new InvalidOperationException($"{what} is {ex}x{ey}x{ez}, larger than {size}^3.");
        int dx = (size - ex) / 2 - minX, dz = (size - ez) / 2 - minZ;
        var grid = new MaterialGrid(size);
        var owners = new VoxelOwner[grid.Volume];
        foreach (var o in _ops)
        {
            for (int y = Math.Max(0, Math.Min(o.Y0, o.Y1)); y <= Math.Min(size - 1, Math.Max(o.Y0, o.Y1)); y++)
                for (int z = Math.Max(0, Math.Min(o.Z0, o.Z1) + dz); z <= Math.Min(size - 1, Math.Max(o.Z0, o.Z1) + dz); z++)
                    for (int x = Math.Max(0, Math.Min(o.X0, o.X1) + dx); x <= Math.Min(size - 1, Math.Max(o.X0, o.X1) + dx); x++)
                    {
                        int i = grid.Index(x, y, z);
                        grid.SetIndex(i, o.M);
                        owners[i] = o.O;
                    }
        }
        return (grid, owners);
    }
}
