using Expert.Host.Model;
using Expert.Host.Tests.TestDoubles;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Steve2.Expert.V1;

namespace Expert.Host.Tests.Infrastructure;

/// <summary>
/// The real host in process, with the model loader swapped for <see cref="FakeGeneratorFactory"/>.
/// In memory (TestServer) by default; <see cref="OnLoopback"/> runs real Kestrel on 127.0.0.1:0.
/// Everything the host logs is kept in <see cref="Logs"/>.
/// </summary>
internal sealed class ExpertHostFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly bool _loopback;
    private readonly bool _realModel;

    public ExpertHostFactory(
        FakeOccupancyGenerator? generator = null,
        IReadOnlyDictionary<string, string?>? settings = null,
        FakeGeneratorFactory? loader = null,
        bool loopback = false,
        bool realModel = false)
    {
        _realModel = realModel;
        Generator = generator ?? new FakeOccupancyGenerator();
        Loader = loader ?? new FakeGeneratorFactory(Generator);
        _loopback = loopback;
        _settings = new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Debug" };
        // Any existing file passes the start-up check; the fake loader never reads it.
        if (!realModel) _settings["Model:CheckpointPath"] = typeof(ExpertHostFactory).Assembly.Location;
        foreach ((string key, string? value) in settings ?? new Dictionary<string, string?>())
            _settings[key] = value;
        if (loopback)
        {
            // Port 0 through the host's own address setting, not UseKestrel(0): the factory would then rewrite the
            // addresses after building the host, which races with the entry point starting Kestrel ("Addresses
            // cannot be modified after the server has started", now and then).
            _settings[Microsoft.AspNetCore.Hosting.WebHostDefaults.ServerUrlsKey] = "http://127.0.0.1:0";
            UseKestrel();
        }
    }

    public static ExpertHostFactory OnLoopback(FakeOccupancyGenerator? generator = null) => new(generator, loopback: true);

    /// <summary>The host exactly as shipped: the real loader and the default checkpoint.</summary>
    public static ExpertHostFactory WithShippedModel() => new(loopback: false, realModel: true);

    public FakeOccupancyGenerator Generator { get; }

    public FakeGeneratorFactory Loader { get; }

    public InMemoryLogs Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach ((string key, string? value) in _settings) builder.UseSetting(key, value);
        builder.ConfigureTestServices(services =>
        {
            if (!_realModel) services.AddSingleton<IGeneratorFactory>(Loader);
            services.AddSingleton<ILoggerProvider>(Logs);
        });
    }

    /// <summary>A channel to the in-memory server (or, on loopback, to Kestrel's real address).</summary>
    public GrpcChannel CreateChannel()
    {
        if (_loopback) return GrpcChannel.ForAddress(LoopbackAddress());
        return GrpcChannel.ForAddress(Server.BaseAddress, new GrpcChannelOptions { HttpHandler = Server.CreateHandler() });
    }

    public OccupancyExpert.OccupancyExpertClient CreateExpertClient() => new(CreateChannel());

    /// <summary>Starts the host and waits until the (fake) model is loaded.</summary>
    public async Task<ExpertHostFactory> ReadyAsync()
    {
        if (_loopback) StartServer();
        await Services.GetRequiredService<ModelHolder>().WhenLoaded.WaitAsync(TimeSpan.FromSeconds(_realModel ? 300 : 30));
        return this;
    }

    public string LoopbackAddress()
    {
        StartServer();
        IServerAddressesFeature addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()
            ?? throw new InvalidOperationException("Kestrel reports no addresses.");
        return addresses.Addresses.Single();
    }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();
}
