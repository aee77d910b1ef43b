using Expert.Host.Tests.TestDoubles;
using Expert.VqVae.Inference;
using Google.Protobuf;
using SkiaSharp;
using Steve2.Expert.V1;
using VoxelGrid = Expert.VqVae.Voxels.OccupancyGrid;

namespace Expert.Host.Tests.Infrastructure;

/// <summary>Builders and readers for the wire messages.</summary>
internal static class Requests
{
    public static GenerateOccupancyRequest Generate(string description = "a tall stone tower with a flat roof", ulong seed = 7) =>
        new() { Description = description, Seed = seed };

    /// <summary>The fake's expected grids for a wire request (temperature etc. do not change the double's shape).</summary>
    public static IReadOnlyList<VoxelGrid> Expected(GenerateOccupancyRequest request) =>
        FakeOccupancyGenerator.Imagine(new GenerationRequest(request.Description,
            new SamplingOptions { Seed = request.Seed, Samples = request.Samples == 0 ? 1 : (int)request.Samples }));

    public static VoxelGrid Decode(Steve2.Expert.V1.OccupancyGrid grid) =>
        VoxelGrid.Unpack((int)grid.SizeX, (int)grid.SizeY, (int)grid.SizeZ, grid.Occupancy.Span);

    public static Steve2.Expert.V1.OccupancyGrid Wire(VoxelGrid grid) => new()
    {
        SizeX = (uint)grid.SizeX,
        SizeY = (uint)grid.SizeY,
        SizeZ = (uint)grid.SizeZ,
        Occupancy = ByteString.CopyFrom(grid.Pack()),
    };

    /// <summary>An L-shaped wall with an overhang: something every renderer and planner must handle.</summary>
    public static VoxelGrid SmallBuilding()
    {
        var grid = new VoxelGrid(8, 6, 5);
        grid.FillBox(0, 0, 0, 5, 3, 0);
        grid.FillBox(0, 0, 0, 0, 3, 4);
        grid.FillBox(0, 4, 0, 7, 4, 1); // roof slab reaching past the walls
        return grid;
    }

    /// <summary>Decodes a PNG for real and returns its size.</summary>
    public static (int Width, int Height) DecodePng(ByteString png)
    {
        using SKBitmap? bitmap = SKBitmap.Decode(png.ToByteArray());
        Assert.NotNull(bitmap);
        return (bitmap.Width, bitmap.Height);
    }
}
