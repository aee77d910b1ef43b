using Expert.Host.Hosting;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Steve2.Pipeline.Experts;

namespace Steve2.Pipeline.Tests.Experts;

/// <summary>
/// The real expert host (shipped checkpoint, dynamic maps in a folder of this test run) in process, once
/// for every test of the collection; the teacher reaches it through <see cref="ExpertClients"/> over an
/// in-memory channel.
/// </summary>
public sealed class ExpertHostFixture : IAsyncLifetime
{
    private readonly string _maps = Path.Combine(AppContext.BaseDirectory, "test-maps", Guid.NewGuid().ToString("N"));
    private HostFactory? _factory;
    private GrpcChannel? _channel;

    public ExpertClients Clients { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _factory = new HostFactory(_maps);
        _channel = GrpcChannel.ForAddress(_factory.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = _factory.Server.CreateHandler() });
        await EmbeddedExpertHost.WhenModelLoaded(_factory.Services).WaitAsync(TimeSpan.FromMinutes(3));
        Clients = new ExpertClients(_channel);
    }

    public async Task DisposeAsync()
    {
        _channel?.Dispose();
        if (_factory is not null) await _factory.DisposeAsync();
        if (Directory.Exists(_maps)) Directory.Delete(_maps, recursive: true);
    }

    private sealed class HostFactory(string maps) : WebApplicationFactory<EmbeddedExpertHost>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("Map:DataDirectory", maps);
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ExpertHostCollection : ICollectionFixture<ExpertHostFixture>
{
    public const string Name = "expert host";
}
