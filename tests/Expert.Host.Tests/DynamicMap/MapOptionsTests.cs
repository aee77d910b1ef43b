using Expert.Host.Maps;
using Expert.Host.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Expert.Host.Tests.DynamicMap;

/// <summary>Bad Map options stop the host at start with a message naming the key; the defaults are valid.</summary>
public sealed class MapOptionsTests : IDisposable
{
    private readonly MapFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private sealed class Environment(string contentRoot) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Test";
        public string ApplicationName { get; set; } = "Expert.Host";
        public string ContentRootPath { get; set; } = contentRoot;
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }

    /// <summary>What ValidateOnStart runs, on the host's own registration of the map service.</summary>
    private Exception? StartupValidation(IReadOnlyDictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddSingleton<IHostEnvironment>(new Environment(_folder.Path));
        services.AddLogging();
        services.AddDynamicMaps();
        using ServiceProvider provider = services.BuildServiceProvider();
        return Record.Exception(() => provider.GetRequiredService<IStartupValidator>().Validate());
    }

    [Theory]
    [InlineData("Map:MaxBlocksPerBatch", "2000000", "Map:MaxReceiveMessageBytes (16777216) cannot hold a packed batch")]
    [InlineData("Map:MaxChunksPerEpisode", "0", "MaxChunksPerEpisode must be positive")]
    [InlineData("Map:MaxOpenEpisodes", "0", "MaxOpenEpisodes must be positive")]
    [InlineData("Map:IdleEviction", "00:00:00", "IdleEviction must be positive")]
    [InlineData("Map:Bounds:MinY", "400", "Bounds: each Min must be <= its Max")]
    [InlineData("Map:MaintenanceInterval", "00:00:00", "Map:MaintenanceInterval is 00:00:00")]
    [InlineData("Map:WatchBuffer", "0", "Map:WatchBuffer is 0")]
    [InlineData("Map:MaxRenderPixels", "8", "Map:MaxRenderPixels is 8")]
    [InlineData("Map:MaxGetMapBytes", "10", "Map:MaxGetMapBytes is 10")]
    [InlineData("Map:DataDirectory", " ", "Map:DataDirectory is empty")]
    public void A_bad_map_option_fails_validation_with_a_message_that_says_what_to_change(string key, string value, string message)
    {
        Exception? e = StartupValidation(new Dictionary<string, string?> { [key] = value });

        Assert.IsType<OptionsValidationException>(e);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void A_data_directory_that_is_a_file_fails_validation()
    {
        Directory.CreateDirectory(_folder.Path);
        File.WriteAllText(Path.Combine(_folder.Path, "maps"), "");
        Exception? e = StartupValidation(new Dictionary<string, string?> { ["Map:DataDirectory"] = "maps" });

        Assert.IsType<OptionsValidationException>(e);
        Assert.Contains("which is a file", e.Message);
    }

    [Fact]
    public void The_defaults_are_valid_and_keep_episodes_under_the_content_root()
    {
        Assert.Null(StartupValidation(new Dictionary<string, string?>()));
        var defaults = new MapHostOptions();
        Assert.Equal(Path.Combine(_folder.Path, "data", "maps"), defaults.ToMapOptions(_folder.Path).DataDirectory);
        Assert.Equal("/srv/maps", new MapHostOptions { DataDirectory = "/srv/maps" }.ToMapOptions(_folder.Path).DataDirectory);
    }

    [Fact]
    public void The_shipped_appsettings_match_the_defaults()
    {
        string appsettings = Path.Combine(AppContext.BaseDirectory, "appsettings.json");
        var bound = new ConfigurationBuilder().AddJsonFile(appsettings).Build().GetSection(MapHostOptions.Section).Get<MapHostOptions>();
        var defaults = new MapHostOptions();

        Assert.NotNull(bound);
        Assert.Equal(defaults.DataDirectory, bound.DataDirectory);
        Assert.Equal(defaults.MaxBlocksPerBatch, bound.MaxBlocksPerBatch);
        Assert.Equal(defaults.MaxReceiveMessageBytes, bound.MaxReceiveMessageBytes);
        Assert.Equal(defaults.IdleEviction, bound.IdleEviction);
        Assert.Equal(defaults.MaintenanceInterval, bound.MaintenanceInterval);
        Assert.Equal(defaults.MaxChunksPerEpisode, bound.MaxChunksPerEpisode);
        Assert.Equal(defaults.MaxOpenEpisodes, bound.MaxOpenEpisodes);
    }
}
