using Google.Protobuf;
using Grpc.Core;
using Steve2.Expert.V1;
using Steve2.Pipeline.Experts;
using MaterialGrid = Expert.VqVae.Voxels.MaterialGrid;
using BlockMaterial = Expert.VqVae.Materials.BlockMaterial;
using BlockMaterials = Expert.VqVae.Materials.BlockMaterials;
using VoxelGrid = Expert.VqVae.Voxels.OccupancyGrid;

namespace Steve2.Pipeline.Tests.Experts;

/// <summary>
/// TEST DOUBLE, not a model: a creation expert on the wire that answers every GenerateOccupancy with the same hollow
/// 6 x 5 x 6 box in a 32^3 grid, its blocks as the host's FakeOccupancyGenerator with materials gives
/// them (stone on the lowest three layers, oak planks above) and the sample count asked for. With
/// <c>materials: false</c> it answers an empty palette, as every shipped checkpoint does. Every other call (the map)
/// fails as an unavailable host would.
/// </summary>
internal sealed class MaterialExpertDouble(bool materials, BlockMaterial upper = BlockMaterial.OakPlanks) : CallInvoker
{
    public const int X0 = 13, Z0 = 13, Width = 6, Height = 5;

    public int Calls { get; private set; }

    /// <summary>Clients of this double (the map's calls fail).</summary>
    public ExpertClients Clients() => new(new OccupancyExpert.OccupancyExpertClient(this), new DynamicMapExpert.DynamicMapExpertClient(this));

    /// <summary>The answered building's occupancy.</summary>
    public static VoxelGrid Grid()
    {
        var g = new VoxelGrid(32);
        g.FillBox(X0, 0, Z0, X0 + Width - 1, Height - 1, Z0 + Width - 1);
        g.FillBox(X0 + 1, 0, Z0 + 1, X0 + Width - 2, Height - 2, Z0 + Width - 2, false);
        return g;
    }

    /// <summary>The answered building's blocks: stone below layer 3, <paramref name="upper"/> above.</summary>
    public static MaterialGrid Blocks(VoxelGrid grid, BlockMaterial upper = BlockMaterial.OakPlanks)
    {
        var blocks = new MaterialGrid(grid.SizeX, grid.SizeY, grid.SizeZ);
        for (int y = 0; y < grid.SizeY; y++)
            for (int z = 0; z < grid.SizeZ; z++)
                for (int x = 0; x < grid.SizeX; x++)
                    if (grid[x, y, z]) blocks[x, y, z] = y < 3 ? BlockMaterial.Stone : upper;
        return blocks;
    }

    private GenerateOccupancyResponse Answer(GenerateOccupancyRequest request)
    {
        VoxelGrid grid = Grid();
        var wire = ExpertWireConversions.ToWire(grid);
        var blockGrid = new BlockGrid();
        if (materials)
        {
            var (palette, indices) = Blocks(grid, upper).PackBlocks();
            blockGrid.Palette.AddRange(palette.Select(BlockMaterials.Name));
            blockGrid.BlockIndices = ByteString.CopyFrom(indices);
        }
        var response = new GenerateOccupancyResponse { Grid = wire, ModelVersion = "material-double", Blocks = blockGrid };
        for (int i = 0; i < Math.Max(1, (int)request.Samples); i++)
            response.Samples.Add(new OccupancySample { Index = (uint)i, Seed = request.Seed + (ulong)i, Grid = wire, Blocks = blockGrid });
        return response;
    }

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        Calls++;
        if (request is GenerateOccupancyRequest generate && Answer(generate) is TResponse response)
            return new AsyncUnaryCall<TResponse>(Task.FromResult(response), Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });
        throw new RpcException(new Status(StatusCode.Unavailable, "the test double answers GenerateOccupancy only"));
    }

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        AsyncUnaryCall(method, host, options, request).ResponseAsync.GetAwaiter().GetResult();

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        throw new RpcException(new Status(StatusCode.Unimplemented, "not in the test double"));

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
        throw new RpcException(new Status(StatusCode.Unimplemented, "not in the test double"));

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
        throw new RpcException(new Status(StatusCode.Unimplemented, "not in the test double"));
}
