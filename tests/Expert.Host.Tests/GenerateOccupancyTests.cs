using Expert.Host.Tests.Infrastructure;
using Expert.Host.Tests.TestDoubles;
using Steve2.Expert.V1;

namespace Expert.Host.Tests;

public sealed class GenerateOccupancyTests : IAsyncLifetime
{
    private readonly ExpertHostFactory _host = new();
    private OccupancyExpert.OccupancyExpertClient _client = null!;

    public async Task InitializeAsync()
    {
        await _host.ReadyAsync();
        _client = _host.CreateExpertClient();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Returns_the_models_grid_and_four_default_views_that_decode()
    {
        GenerateOccupancyRequest request = Requests.Generate();

        GenerateOccupancyResponse response = await _client.GenerateOccupancyAsync(request);

        Assert.Equal((32u, 32u, 32u), (response.Grid.SizeX, response.Grid.SizeY, response.Grid.SizeZ));
        Assert.Equal(32 * 32 * 32 / 8, response.Grid.Occupancy.Length);
        Assert.Equal(Requests.Expected(request)[0], Requests.Decode(response.Grid));
        Assert.Equal(["front", "side", "top", "isometric"], response.Views.Select(v => v.Name));
        foreach (RenderedView view in response.Views)
            Assert.Equal((256, 256), Requests.DecodePng(view.Png));
        Assert.Empty(response.Samples);
        Assert.Equal("fake-test-double-v1", response.ModelVersion);
        Assert.Equal(1u, response.BatchSize);
        Assert.True(response.Timings.TotalMs >= response.Timings.ModelMs + response.Timings.RenderMs);
        Assert.True(response.Timings.RenderMs > 0);
    }

    [Fact]
    public async Task Same_seed_gives_the_same_grid_and_another_seed_another()
    {
        GenerateOccupancyResponse a = await _client.GenerateOccupancyAsync(Requests.Generate(seed: 1));
        GenerateOccupancyResponse b = await _client.GenerateOccupancyAsync(Requests.Generate(seed: 1));
        GenerateOccupancyResponse c = await _client.GenerateOccupancyAsync(Requests.Generate(seed: 2));

        Assert.Equal(a.Grid, b.Grid);
        Assert.NotEqual(a.Grid, c.Grid);
    }

    [Fact]
    public async Task Several_samples_come_back_in_order_with_their_seeds()
    {
        GenerateOccupancyRequest request = Requests.Generate(seed: ulong.MaxValue);
        request.Samples = 3;

        GenerateOccupancyResponse response = await _client.GenerateOccupancyAsync(request);

        IReadOnlyList<Expert.VqVae.Voxels.OccupancyGrid> expected = Requests.Expected(request);
        Assert.Equal([0u, 1u, 2u], response.Samples.Select(s => s.Index));
        Assert.Equal([ulong.MaxValue, 0ul, 1ul], response.Samples.Select(s => s.Seed)); // seed + i wraps
        for (int i = 0; i < 3; i++) Assert.Equal(expected[i], Requests.Decode(response.Samples[i].Grid));
        Assert.Equal(response.Grid, response.Samples[0].Grid);
        Assert.Equal(4, response.Views.Count);
        Assert.All(response.Samples, s => Assert.Empty(s.Views)); // render_all_samples not asked
    }

    [Fact]
    public async Task Render_all_samples_renders_each_sample()
    {
        GenerateOccupancyRequest request = Requests.Generate();
        request.Samples = 2;
        request.RenderAllSamples = true;
        request.Views.Add("top");

        GenerateOccupancyResponse response = await _client.GenerateOccupancyAsync(request);

        Assert.All(response.Samples, s => Assert.Equal("top", Assert.Single(s.Views).Name));
        Assert.NotEqual(response.Samples[0].Views[0].Png, response.Samples[1].Views[0].Png);
    }

    [Fact]
    public async Task Chosen_views_and_size_are_honoured_and_skip_render_renders_nothing()
    {
        GenerateOccupancyRequest request = Requests.Generate();
        request.Views.Add("ISOMETRIC");
        request.Views.Add("back");
        request.RenderSize = 64;

        GenerateOccupancyResponse response = await _client.GenerateOccupancyAsync(request);

        Assert.Equal(["isometric", "back"], response.Views.Select(v => v.Name));
        Assert.All(response.Views, v => Assert.Equal((64, 64), Requests.DecodePng(v.Png)));

        GenerateOccupancyRequest bare = Requests.Generate();
        bare.SkipRender = true;
        GenerateOccupancyResponse gridOnly = await _client.GenerateOccupancyAsync(bare);
        Assert.Empty(gridOnly.Views);
        Assert.Equal(0, gridOnly.Timings.RenderMs);
        Assert.Equal(Requests.Expected(bare)[0], Requests.Decode(gridOnly.Grid));
    }

    [Fact]
    public async Task A_description_of_exactly_1000_characters_is_accepted()
    {
        GenerateOccupancyResponse response = await _client.GenerateOccupancyAsync(Requests.Generate(new string('é', 1000)));

        Assert.Equal(32u, response.Grid.SizeY);
    }

    [Fact]
    public async Task Model_info_reports_the_loaded_model_and_the_view_names()
    {
        GetModelInfoResponse info = await _client.GetModelInfoAsync(new GetModelInfoRequest());

        Assert.True(info.Ready);
        Assert.Equal("fake-test-double-v1", info.ModelVersion);
        Assert.Equal(32u, info.GridSize);
        Assert.Equal(["front", "side", "top", "isometric"], info.DefaultViews);
        Assert.Contains("isometric-back", info.AvailableViews);
        Assert.Equal((32u, 1024u, 256u), (info.MinRenderSize, info.MaxRenderSize, info.DefaultRenderSize));
    }

    [Fact]
    public async Task Every_call_is_logged_with_structured_fields()
    {
        await _client.GenerateOccupancyAsync(Requests.Generate());

        InMemoryLogs.Entry entry = Assert.Single(_host.Logs.Entries, e => e.EventId.Id == 10 && Equals(e.Fields["Rpc"], "GenerateOccupancy"));
        Assert.Equal("OK", entry.Fields["StatusCode"]);
        Assert.IsType<double>(entry.Fields["ElapsedMs"]);
        Assert.Contains(_host.Logs.Entries, e => e.EventId.Id == 30 && Equals(e.Fields["Seed"], 7UL));
    }
}
