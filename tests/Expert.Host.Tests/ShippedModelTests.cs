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
}
