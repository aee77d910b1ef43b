using Expert.Host.Tests.Infrastructure;
using Expert.Host.Tests.TestDoubles;
using Expert.VqVae.Materials;
using Google.Protobuf;
using Grpc.Core;
using SkiaSharp;
using Steve2.Expert.V1;
using Legacy = Steve2.Expert.V1.Legacy;
using MaterialGrid = Expert.VqVae.Voxels.MaterialGrid;
using VoxelGrid = Expert.VqVae.Voxels.OccupancyGrid;

namespace Expert.Host.Tests.Contract;

/// <summary>
/// The contract grown for materials (BlockGrid, BuildStep.block, GetModelInfoResponse.material_palette):
/// new clients get blocks, renders in the blocks' colours and build orders that name the block; an
/// occupancy-only model says so with an empty palette; an old client (the contract before materials,
/// Contract/occupancy_before_materials.proto) keeps working against the new host.
/// </summary>
public sealed class MaterialContractTests : IAsyncLifetime
{
    private readonly ExpertHostFactory _withMaterials = new(new FakeOccupancyGenerator(materials: true),
        settings: new Dictionary<string, string?> { ["Rendering:MaxBuildSteps"] = "100000" });
    private readonly ExpertHostFactory _occupancyOnly = new(settings: new Dictionary<string, string?> { ["Rendering:MaxBuildSteps"] = "100000" });

    public async Task InitializeAsync()
    {
        await _withMaterials.ReadyAsync();
        await _occupancyOnly.ReadyAsync();
    }

    public async Task DisposeAsync()
    {
        await _withMaterials.DisposeAsync();
        await _occupancyOnly.DisposeAsync();
    }

    [Fact]
    public async Task An_old_client_calls_the_new_host_and_reads_its_grid_renders_and_build_order()
    {
        var request = new Legacy.GenerateOccupancyRequest { Description = "a stone hall with a chimney", Seed = 5, Samples = 2, IncludeBuildOrder = true };
        var method = new Method<Legacy.GenerateOccupancyRequest, Legacy.GenerateOccupancyResponse>(
            MethodType.Unary, "steve2.expert.v1.OccupancyExpert", "GenerateOccupancy",
            Marshallers.Create(r => r.ToByteArray(), Legacy.GenerateOccupancyRequest.Parser.ParseFrom),
            Marshallers.Create(r => r.ToByteArray(), Legacy.GenerateOccupancyResponse.Parser.ParseFrom));

        Legacy.GenerateOccupancyResponse old = await _withMaterials.CreateChannel().CreateCallInvoker()
            .AsyncUnaryCall(method, null, new CallOptions(), request);

        var expected = Requests.Expected(new GenerateOccupancyRequest { Description = request.Description, Seed = 5, Samples = 2 });
        Assert.Equal(expected[0], VoxelGrid.Unpack((int)old.Grid.SizeX, (int)old.Grid.SizeY, (int)old.Grid.SizeZ, old.Grid.Occupancy.Span));
        Assert.Equal(2, old.Samples.Count);
        Assert.Equal(expected[1], VoxelGrid.Unpack(32, 32, 32, old.Samples[1].Grid.Occupancy.Span));
        Assert.Equal(4, old.Views.Count);
        Assert.Equal((uint)expected[0].Count(), old.BuildOrder.PlaceCount);
        Assert.All(old.BuildOrder.Steps, s => Assert.NotEqual(Legacy.BuildAction.Unspecified, s.Action));
    }

    [Fact]
    public async Task The_new_response_decodes_with_the_old_message_shape_field_for_field()
    {
        GenerateOccupancyResponse current = await _withMaterials.CreateExpertClient().GenerateOccupancyAsync(
            new GenerateOccupancyRequest { Description = "a tower", Seed = 3, Samples = 2, IncludeBuildOrder = true });
        Assert.NotEmpty(current.Blocks.Palette);

        var old = Legacy.GenerateOccupancyResponse.Parser.ParseFrom(current.ToByteArray());

        // Every field the old shape knows has the same bytes; the new ones are kept as unknown fields.
        Assert.Equal(current.Grid.ToByteArray(), old.Grid.ToByteArray());
        Assert.Equal(current.Views.Select(v => v.ToByteArray()), old.Views.Select(v => v.ToByteArray()));
        Assert.Equal(current.ModelVersion, old.ModelVersion);
        Assert.Equal(current.BuildOrder.Steps.Count, old.BuildOrder.Steps.Count);
        Assert.Equal(current.BuildOrder.Steps.Select(s => (s.X, s.Y, s.Z, (int)s.Action)), old.BuildOrder.Steps.Select(s => (s.X, s.Y, s.Z, (int)s.Action)));
        Assert.Equal(current.ToByteArray(), old.ToByteArray()); // and passed on unchanged
    }

    [Fact]
    public async Task A_model_with_materials_answers_its_blocks_per_sample_and_the_build_order_names_them()
    {
        var client = _withMaterials.CreateExpertClient();
        var request = new GenerateOccupancyRequest { Description = "a stone hall", Seed = 9, Samples = 2, IncludeBuildOrder = true, SkipRender = true };

        GenerateOccupancyResponse response = await client.GenerateOccupancyAsync(request);

        var expected = Requests.Expected(request);
        Assert.Equal(FakeOccupancyGenerator.Blocks(expected[0]), Decode(response.Grid, response.Blocks));
        Assert.Equal(["oak_planks", "stone"], response.Blocks.Palette);
        Assert.Equal(FakeOccupancyGenerator.Blocks(expected[1]), Decode(response.Samples[1].Grid, response.Samples[1].Blocks));
        var blocks = FakeOccupancyGenerator.Blocks(expected[0]);
        foreach (BuildStep step in response.BuildOrder.Steps)
        {
            if (step.Action == BuildAction.Place) Assert.Equal(BlockMaterials.Name(blocks[(int)step.X, (int)step.Y, (int)step.Z]), step.Block);
            else Assert.Equal("", step.Block);
        }
        GetModelInfoResponse info = await client.GetModelInfoAsync(new GetModelInfoRequest());
        Assert.Equal(["oak_planks", "stone"], info.MaterialPalette);
    }

    [Fact]
    public async Task An_occupancy_only_model_says_so_with_an_empty_palette_and_invents_no_block()
    {
        var client = _occupancyOnly.CreateExpertClient();

        GenerateOccupancyResponse response = await client.GenerateOccupancyAsync(
            new GenerateOccupancyRequest { Description = "a stone hall", Seed = 1, IncludeBuildOrder = true, SkipRender = true });

        Assert.NotNull(response.Blocks);
        Assert.Empty(response.Blocks.Palette);
        Assert.True(response.Blocks.BlockIndices.IsEmpty);
        Assert.All(response.BuildOrder.Steps, s => Assert.Equal("", s.Block));
        Assert.Empty((await client.GetModelInfoAsync(new GetModelInfoRequest())).MaterialPalette);
    }

    [Fact]
    public async Task Renders_and_build_orders_of_a_sent_grid_use_its_blocks()
    {
        var client = _occupancyOnly.CreateExpertClient();
        var grid = new VoxelGrid(32);
        grid.FillBox(10, 0, 10, 13, 3, 13);
        var blocks = MaterialGrid.Uniform(grid, BlockMaterial.Stone);
        blocks[11, 3, 13] = BlockMaterial.Glass;
        var wireBlocks = Wire(blocks);

        var plain = await client.RenderOccupancyAsync(new RenderOccupancyRequest { Grid = Requests.Wire(grid), Views = { "front" } });
        var coloured = await client.RenderOccupancyAsync(new RenderOccupancyRequest { Grid = Requests.Wire(grid), Views = { "front" }, Blocks = wireBlocks });

        // Voxel (11, 1, 13) on the front face: pixels 16 + 7x .. and 233 - 7y .. (RENDERS.md), shaded by
        // 0.92 (a head-on face) x (1 - 0.45 x 18 / 31) (18 cells behind the grid's front layer): stone 125 -> 85.
        var stone = Pixel(coloured.Views[0].Png, 16 + 7 * 11 + 3, 233 - 7 * 1 + 3);
        Assert.InRange(stone.Red, 83, 87);
        Assert.Equal(stone.Red, stone.Green);
        Assert.Equal(stone.Red, stone.Blue);
        var ramp = Pixel(plain.Views[0].Png, 16 + 7 * 11 + 3, 233 - 7 * 1 + 3);
        Assert.True(ramp.Red > ramp.Blue + 30, $"the height colours are warm, got {ramp}");
        var glass = Pixel(coloured.Views[0].Png, 16 + 7 * 11 + 3, 233 - 7 * 3 + 3);
        Assert.True(glass.Blue > glass.Red, $"glass is bluish, got {glass}");

        var order = await client.GetBuildOrderAsync(new GetBuildOrderRequest { Grid = Requests.Wire(grid), Blocks = wireBlocks });
        Assert.Equal(63, order.BuildOrder.Steps.Count(s => s.Block == "stone"));
        Assert.Single(order.BuildOrder.Steps, s => s.Block == "glass" && s.X == 11 && s.Y == 3 && s.Z == 13);
    }

    [Fact]
    public async Task Bad_blocks_are_refused_naming_the_field()
    {
        var client = _occupancyOnly.CreateExpertClient();
        var grid = new VoxelGrid(4, 4, 4);
        grid.FillBox(0, 0, 0, 1, 1, 1);

        var unknown = new BlockGrid { Palette = { "stone", "diamond_block" }, BlockIndices = ByteString.CopyFrom(new byte[8]) };
        var shortIndices = new BlockGrid { Palette = { "stone" }, BlockIndices = ByteString.CopyFrom(new byte[7]) };
        var outside = new BlockGrid { Palette = { "stone" }, BlockIndices = ByteString.CopyFrom([0, 0, 0, 0, 0, 0, 0, 1]) };
        var indicesWithoutPalette = new BlockGrid { BlockIndices = ByteString.CopyFrom(new byte[8]) };

        foreach (var (bad, field) in new[] { (unknown, "blocks.palette"), (shortIndices, "blocks.block_indices"), (outside, "blocks.block_indices"), (indicesWithoutPalette, "blocks.block_indices") })
        {
            RpcException e = await Rpc.FailsAsync(async () => await client.GetBuildOrderAsync(new GetBuildOrderRequest { Grid = Requests.Wire(grid), Blocks = bad }));
            Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
            Assert.Contains(field, Rpc.ViolatedFields(e));
        }
    }

    private static MaterialGrid Decode(Steve2.Expert.V1.OccupancyGrid grid, BlockGrid blocks)
    {
        var palette = blocks.Palette.Select(n => BlockMaterials.TryParse(n, out var m) ? m : throw new InvalidDataException(n)).ToArray();
        return MaterialGrid.Unpack(Requests.Decode(grid), palette, blocks.BlockIndices.Span);
    }

    private static BlockGrid Wire(MaterialGrid blocks)
    {
        var (palette, indices) = blocks.PackBlocks();
        var wire = new BlockGrid { BlockIndices = ByteString.CopyFrom(indices) };
        wire.Palette.AddRange(palette.Select(BlockMaterials.Name));
        return wire;
    }

    private static SKColor Pixel(ByteString png, int x, int y)
    {
        using SKBitmap bitmap = SKBitmap.Decode(png.ToByteArray());
        return bitmap.GetPixel(x, y);
    }
}
