using Google.Protobuf;
using Expert.VqVae.Voxels;
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

    private static bool RequireEdge(uint size, string field, FieldViolations violations) =>
        violations.Require(size is >= 1 and <= OccupancyGrid.MaxEdge, field, $"is {size}; every edge must be 1..{OccupancyGrid.MaxEdge}.");
}
