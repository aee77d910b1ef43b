using Expert.Host.Model;
using Expert.Host.Tests.Infrastructure;
using Steve2.Expert.V1;

namespace Expert.Host.Tests;

/// <summary>The host as shipped: the real TorchSharp model from the default checkpoint, no test double.</summary>
public sealed class ShippedModelTests
{
    [Fact]
    public async Task Serves_the_shipped_checkpoint_on_the_default_options()
    {
        await using var host = await ExpertHostFactory.WithShippedModel().ReadyAsync();
        OccupancyExpert.OccupancyExpertClient client = host.CreateExpertClient();

        GenerateOccupancyResponse a = await client.GenerateOccupancyAsync(Requests.Generate("a tall stone tower with a flat roof", seed: 11));
        GenerateOccupancyResponse b = await client.GenerateOccupancyAsync(Requests.Generate("a tall stone tower with a flat roof", seed: 11));

        Assert.Equal(ModelState.Ready, host.Get<ModelHolder>().State);
        Assert.Equal((32u, 32u, 32u), (a.Grid.SizeX, a.Grid.SizeY, a.Grid.SizeZ));
        Assert.True(Requests.Decode(a.Grid).Count() > 0, "the tower has blocks");
        Assert.Equal(a.Grid, b.Grid); // same seed, same grid
        Assert.Equal(4, a.Views.Count);
        Assert.All(a.Views, v => Assert.Equal((256, 256), Requests.DecodePng(v.Png)));
        Assert.NotEmpty(a.ModelVersion);
    }

    [Fact]
    public async Task Serves_the_shipped_materials_checkpoint_with_blocks_when_configured_to()
    {
        // The documented way to serve imagination v2 (README's Options; Expert.VqVae/Training/TRAINING.md).
        await using var host = await new ExpertHostFactory(
            settings: new Dictionary<string, string?> { ["Model:CheckpointPath"] = "Checkpoints/materials.ckpt" }, realModel: true).ReadyAsync();
        OccupancyExpert.OccupancyExpertClient client = host.CreateExpertClient();

        GetModelInfoResponse info = await client.GetModelInfoAsync(new GetModelInfoRequest());
        Assert.Equal(["oak_planks", "oak_log", "stone", "cobblestone", "sandstone", "glass"], info.MaterialPalette);

        var request = Requests.Generate("a sandstone cottage with a pitched roof of oak planks, a chimney and a door", seed: 3);
        request.IncludeBuildOrder = true;
        request.SkipRender = true;
        GenerateOccupancyResponse response = await client.GenerateOccupancyAsync(request);
        var occupancy = Requests.Decode(response.Grid);
        Assert.True(occupancy.Count() > 0, "the cottage has blocks");
        // A block for every occupied voxel, from a palette of the model's blocks, the described walls' block among them.
        Assert.NotEmpty(response.Blocks.Palette);
        Assert.All(response.Blocks.Palette, name => Assert.Contains(name, info.MaterialPalette));
        Assert.Equal(occupancy.Count(), response.Blocks.BlockIndices.Length);
        Assert.All(response.Blocks.BlockIndices.ToByteArray(), i => Assert.InRange(i, 0, response.Blocks.Palette.Count - 1));
        Assert.Contains("sandstone", response.Blocks.Palette);
        // The build order names the block of every voxel it places.
        var places = response.BuildOrder.Steps.Where(s => s.Action == BuildAction.Place).ToList();
        Assert.NotEmpty(places);
        Assert.All(places, s => Assert.Contains(s.Block, response.Blocks.Palette));
    }
}
