using Google.Protobuf;
using Expert.VqVae.Materials;
using Expert.VqVae.Voxels;
using ProtoBlocks = Steve2.Expert.V1.BlockGrid;
using ProtoGrid = Steve2.Expert.V1.OccupancyGrid;

namespace Expert.Host.Grpc;

/// <summary>Between the wire's OccupancyGrid and <see cref="OccupancyGrid"/>: the same layout, bit for bit.</summary>
internal static class OccupancyGridMapping
{
    public static ProtoGrid ToProto(this OccupancyGrid grid) => new()
    {
        SizeX = (uint)grid.SizeX,
        SizeY = (uint)grid.SizeY,
        SizeZ = (uint)grid.SizeZ,
        Occupancy = UnsafeByteOperations.UnsafeWrap(grid.Pack()),
    };

    /// <summary>
    /// Reads a grid from the wire, adding a violation per bad field (prefixed with
    /// <paramref name="field"/>); null when any is bad.
    /// </summary>
    public static OccupancyGrid? ReadGrid(ProtoGrid? grid, string field, FieldViolations violations)
    {
        if (grid is null)
        {
            violations.Add(field, "is required.");
            return null;
        }
        bool sizesOk = RequireEdge(grid.SizeX, $"{field}.size_x", violations)
                     & RequireEdge(grid.SizeY, $"{field}.size_y", violations)
                     & RequireEdge(grid.SizeZ, $"{field}.size_z", violations);
        if (!sizesOk) return null;

        int x = (int)grid.SizeX, y = (int)grid.SizeY, z = (int)grid.SizeZ;
        int expected = OccupancyGrid.PackedLength(x, y, z);
        if (grid.Occupancy.Length != expected)
        {
            violations.Add($"{field}.occupancy",
                $"has {grid.Occupancy.Length} bytes, but a {x}x{y}x{z} grid packs to ceil({x}*{y}*{z}/8) = {expected} bytes (bit i = voxel x + size_x*(z + size_z*y), LSB first).");
            return null;
        }
        int tail = (int)((long)x * y * z % 8);
        if (tail != 0 && (grid.Occupancy.Span[^1] >> tail) != 0)
        {
            violations.Add($"{field}.occupancy", $"sets padding bits after the last voxel (the top {8 - tail} bits of the last byte must be zero).");
            return null;
        }
        return OccupancyGrid.Unpack(x, y, z, grid.Occupancy.Span);
    }

    /// <summary>
    /// The wire form of a grid's blocks (BlockGrid in occupancy.proto: a palette of block names and one
    /// index per occupied voxel, in index order); an EMPTY BlockGrid when <paramref name="blocks"/> is
    /// null, i.e. the model imagined occupancy only. Nothing is invented.
    /// </summary>
    public static ProtoBlocks ToProtoBlocks(this MaterialGrid? blocks)
    {
        var wire = new ProtoBlocks();
        if (blocks is null) return wire;
        var (palette, indices) = blocks.PackBlocks();
        wire.Palette.AddRange(palette.Select(BlockMaterials.Name));
        wire.BlockIndices = UnsafeByteOperations.UnsafeWrap(indices);
        return wire;
    }

    /// <summary>
    /// Reads the optional blocks of <paramref name="grid"/> from the wire; null when absent or when the palette
    /// is empty (no materials). Adds a violation per bad field (prefixed with <paramref name="field"/>).
    /// </summary>
    public static MaterialGrid? ReadBlocks(ProtoBlocks? wire, OccupancyGrid grid, string field, FieldViolations violations)
    {
        if (wire is null) return null;
        if (wire.Palette.Count == 0)
        {
            violations.Require(wire.BlockIndices.Length == 0, $"{field}.block_indices",
                "must be empty when the palette is empty (no materials).");
            return null;
        }
        var palette = new List<BlockMaterial>(wire.Palette.Count);
        bool ok = true;
        foreach (string name in wire.Palette)
        {
            if (!BlockMaterials.TryParse(name, out var m) || m == BlockMaterial.Air)
            {
                violations.Add($"{field}.palette", $"names '{ClientStatus.Echo(name)}', which is not a block; use {string.Join(", ", BlockMaterials.Blocks.Select(BlockMaterials.Name))}.");
                ok = false;
            }
            else if (palette.Contains(m))
            {
                violations.Add($"{field}.palette", $"lists '{name}' twice; list each block once.");
                ok = false;
            }
            else palette.Add(m);
        }
        int occupied = grid.Count();
        if (wire.BlockIndices.Length != occupied)
        {
            violations.Add($"{field}.block_indices", $"has {wire.BlockIndices.Length} bytes, but the grid has {occupied} occupied voxels (one byte each, in index order).");
            return null;
        }
        if (!ok) return null;
        var span = wire.BlockIndices.Span;
        for (int k = 0; k < span.Length; k++)
            if (span[k] >= palette.Count)
            {
                violations.Add($"{field}.block_indices", $"byte {k} is {span[k]}, outside the palette of {palette.Count}.");
                return null;
            }
        return MaterialGrid.Unpack(grid, palette, span);
    }

    private static bool RequireEdge(uint size, string field, FieldViolations violations) =>
        violations.Require(size is >= 1 and <= OccupancyGrid.MaxEdge, field, $"is {size}; every edge must be 1..{OccupancyGrid.MaxEdge}.");
}
