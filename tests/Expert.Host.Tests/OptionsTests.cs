using Expert.Host.Options;
using Expert.Host.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Expert.Host.Tests;

/// <summary>Bad options stop the host at start, with a message that says what to change.</summary>
public sealed class OptionsTests
{
    /// <summary>
    /// What ValidateOnStart runs when the host starts, on the host's own registration. (A failed start
    /// through WebApplicationFactory sometimes surfaces as its own ObjectDisposedException instead of
    /// the validation error, so the messages are read here and the host-level test reads its log.)
    /// </summary>
    private static Exception? StartupValidation(IReadOnlyDictionary<string, string?> settings)
    {
        var values = new Dictionary<string, string?> { ["Model:CheckpointPath"] = typeof(OptionsTests).Assembly.Location };
        foreach ((string key, string? value) in settings) values[key] = value;
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        services.AddExpertOptions();
        using ServiceProvider provider = services.BuildServiceProvider();
        return Record.Exception(() => provider.GetRequiredService<IStartupValidator>().Validate());
    }

    [Theory]
    [InlineData("Batching:MaxBatch", "0", "Batching:MaxBatch is 0")]
    [InlineData("Batching:MaxQueue", "0", "Batching:MaxQueue is 0")]
    [InlineData("Batching:BatchWindowMs", "-1", "Batching:BatchWindowMs is -1")]
    [InlineData("Batching:MaxConcurrentBatches", "0", "Batching:MaxConcurrentBatches is 0")]
    [InlineData("Model:Device", "tpu", "Model:Device 'tpu' is not a device name")]
    [InlineData("Model:CheckpointPath", "no/such/file.ckpt", "Model:CheckpointPath 'no/such/file.ckpt' resolves to")]
    [InlineData("Model:CheckpointPath", " ", "Model:CheckpointPath is empty")]
    [InlineData("Rendering:DefaultViews", "front,bottom", "names 'bottom', which is not a view")]
    [InlineData("Rendering:DefaultViews", "", "Rendering:DefaultViews is empty")]
    [InlineData("Rendering:DefaultViews", "top,TOP", "names a view twice")]
    [InlineData("Rendering:DefaultSize", "2000", "Rendering:DefaultSize is 2000")]
    [InlineData("Rendering:MinSize", "8", "Rendering:MinSize (8)")]
    [InlineData("Rendering:MaxConcurrent", "0", "Rendering:MaxConcurrent is 0")]
    [InlineData("Rendering:MaxBuildSteps", "0", "Rendering:MaxBuildSteps is 0")]
    [InlineData("Batching:MaxQueuedWorkSeconds", "0", "(Batching__MaxQueuedWorkSeconds)")]
    [InlineData("Batching:SecondsPerGenerationUnit", "-1", "(Batching__SecondsPerGenerationUnit)")]
    [InlineData("Batching:EstimateSmoothing", "1.5", "(Batching__EstimateSmoothing)")]
    [InlineData("Batching:IdleTrimSeconds", "-1", "(Batching__IdleTrimSeconds)")]
    [InlineData("Batching:MallocArenaMax", "-1", "(Batching__MallocArenaMax)")]
    [InlineData("Rendering:MaxRenderMegapixels", "0", "(Rendering__MaxRenderMegapixels)")]
    [InlineData("Rendering:SecondsPerMegapixel", "0", "(Rendering__SecondsPerMegapixel)")]
    [InlineData("Rendering:SecondsPerBuildOrder", "NaN", "(Rendering__SecondsPerBuildOrder)")]
    public void A_bad_option_fails_validation_with_a_message_that_says_what_to_change(string key, string value, string message)
    {
        Exception? e = StartupValidation(new Dictionary<string, string?> { [key] = value });

        Assert.NotNull(e);
        Assert.IsType<OptionsValidationException>(e);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void The_defaults_are_valid()
    {
        Assert.Null(StartupValidation(new Dictionary<string, string?>()));
    }

    [Fact]
    public void Every_bad_option_is_reported_at_once()
    {
        Exception? e = StartupValidation(new Dictionary<string, string?>
        {
            ["Model:CheckpointPath"] = "missing.ckpt",
            ["Batching:MaxBatch"] = "0",
            ["Rendering:DefaultViews"] = "sideways",
        });

        AggregateException all = Assert.IsType<AggregateException>(e);
        string messages = string.Join("\n", all.InnerExceptions.Select(x => x.Message));
        Assert.Contains("Model:CheckpointPath 'missing.ckpt'", messages);
        Assert.Contains("Batching:MaxBatch is 0", messages);
        Assert.Contains("names 'sideways'", messages);
    }

    [Fact]
    public async Task The_host_does_not_start_on_a_bad_option_and_says_what_to_change()
    {
        // The entry point checks the settings before it builds anything (and exits 2: StartupRefusalTests) ...
        Assert.Contains(Hosting.ExpertHostApp.StartupRefusals(["--Batching:MaxBatch=0"]), r => r.Contains("Batching:MaxBatch is 0"));
        Assert.Empty(Hosting.ExpertHostApp.StartupRefusals([]));
        // ... and a host embedded in another process refuses to start with the same message.
        string maps = Path.Combine(AppContext.BaseDirectory, "test-maps", Guid.NewGuid().ToString("N"));
        await using var embedded = Hosting.EmbeddedExpertHost.Build(
            [new("urls", "http://127.0.0.1:0"), new("Batching:MaxBatch", "0"), new("Map:DataDirectory", maps)], AppContext.BaseDirectory);
        var e = await Assert.ThrowsAnyAsync<OptionsValidationException>(() => embedded.StartAsync(CancellationToken.None));
        Assert.Contains("Batching:MaxBatch is 0", e.Message);
    }

    [Fact]
    public async Task Environment_style_keys_override_appsettings()
    {
        // The host's own defaults come from appsettings.json; a setting (as an environment variable would) replaces one.
        await using var host = await new ExpertHostFactory(settings: new Dictionary<string, string?>
        {
            ["Rendering:DefaultViews"] = "top, isometric-back",
            ["Rendering:DefaultSize"] = "64",
        }).ReadyAsync();

        var response = await host.CreateExpertClient().GenerateOccupancyAsync(Requests.Generate());

        Assert.Equal(["top", "isometric-back"], response.Views.Select(v => v.Name));
        Assert.Equal((64, 64), Requests.DecodePng(response.Views[0].Png));
    }
}
