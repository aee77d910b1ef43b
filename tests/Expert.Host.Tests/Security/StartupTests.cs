using Expert.Host.Hosting;
using Expert.Host.Options;
using Expert.Host.Security;
using Expert.Host.Tests.DynamicMap;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Expert.Host.Tests.Security;

/// <summary>The loopback rule: without authentication the host starts on loopback only, unless told to serve anyone.</summary>
public sealed class StartupTests : IDisposable
{
    private readonly MapFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private Dictionary<string, string> Settings(string urls) => new()
    {
        ["urls"] = urls,
        ["Model:CheckpointPath"] = typeof(StartupTests).Assembly.Location,
        ["Map:DataDirectory"] = _folder.Path,
    };

    [Fact]
    public async Task On_every_interface_without_authentication_the_host_refuses_to_start_naming_the_variable()
    {
        await using EmbeddedExpertHost host = EmbeddedExpertHost.Build(Settings("http://0.0.0.0:0"), AppContext.BaseDirectory);

        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(CancellationToken.None));

        Assert.Contains("http://0.0.0.0:0", e.Message);
        Assert.Contains("Security__AllowAnonymous=true", e.Message);
        Assert.Contains("--allow-anonymous", e.Message);
    }

    [Fact]
    public async Task With_allow_anonymous_it_starts_on_every_interface_and_answers_health()
    {
        string[] args = Settings("http://0.0.0.0:0").Select(s => $"--{s.Key}={s.Value}").Append(SecurityRegistration.AllowAnonymousSwitch).ToArray();
        await using WebApplication app = ExpertHostApp.Build(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        await app.StartAsync();
        try
        {
            string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            int port = new Uri(address.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal)).Port;
            using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
            HealthCheckResponse health = await new global::Grpc.Health.V1.Health.HealthClient(channel).CheckAsync(new HealthCheckRequest());

            Assert.True(app.Services.GetRequiredService<IOptions<SecurityOptions>>().Value.AllowAnonymous);
            Assert.NotEqual(HealthCheckResponse.Types.ServingStatus.Unknown, health.Status);
        }
        finally
        {
            await app.StopAsync();
        }
    }

    [Fact]
    public async Task With_an_API_key_configured_it_starts_on_every_interface()
    {
        var settings = Settings("http://0.0.0.0:0");
        settings["Security:ApiKeys:0:Principal"] = "pipeline";
        settings["Security:ApiKeys:0:Roles"] = "occupancy,maps";
        settings["Security:ApiKeys:0:KeySha256"] = ApiKeyHashing.Sha256Hex("k");
        await using EmbeddedExpertHost host = EmbeddedExpertHost.Build(settings, AppContext.BaseDirectory);
        await host.StartAsync(CancellationToken.None);
        Assert.Contains(":", host.Address);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5080", true)]
    [InlineData("http://localhost:5080", true)]
    [InlineData("https://[::1]:5443", true)]
    [InlineData("http://127.0.0.2:1", true)]
    [InlineData("http://0.0.0.0:5080", false)]
    [InlineData("http://[::]:5080", false)]
    [InlineData("http://*:5080", false)]
    [InlineData("http://+:5080", false)]
    [InlineData("http://expert.internal:5080", false)]
    [InlineData("http://10.0.0.5:5080", false)]
    public void Loopback_addresses_are_told_apart(string address, bool loopback) =>
        Assert.Equal(loopback, ListenAddresses.IsLoopback(address));

    [Fact]
    public void Every_configured_address_counts_ports_variables_and_Kestrel_endpoints_included()
    {
        IConfiguration c = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:1;http://localhost:2",
            ["Kestrel:Endpoints:Tls:Url"] = "https://0.0.0.0:5443",
            ["http_ports"] = "8080",
        }).Build();
        IReadOnlyList<string> addresses = ListenAddresses.Configured(c);
        Assert.Equal(["http://127.0.0.1:1", "http://localhost:2", "http://*:8080", "https://0.0.0.0:5443"], addresses);
        Assert.False(ListenAddresses.AllLoopback(addresses));
    }

    [Theory]
    [InlineData("Security:ApiKeys:0:KeySha256", "plain-key", "Security:ApiKeys:0:KeySha256 must be the 64 hex digits")]
    [InlineData("Security:ApiKeys:0:Roles", "maps,root", "names 'root'")]
    [InlineData("Security:ApiKeys:0:Roles", " ", "Security:ApiKeys:0:Roles is empty")]
    [InlineData("Security:Jwt:Audience", "", "Security:Jwt:Audience is empty")]
    [InlineData("Security:Jwt:SigningKey", "c2hvcnQ=", "at least 32 bytes")]
    [InlineData("Security:Quotas:MaxRequestsInFlightPerPrincipal", "0", "Security:Quotas:MaxRequestsInFlightPerPrincipal is 0")]
    public void A_bad_security_option_names_what_to_change(string key, string value, string message)
    {
        var values = new Dictionary<string, string?>
        {
            ["Security:ApiKeys:0:Principal"] = "p",
            ["Security:ApiKeys:0:Roles"] = "maps",
            ["Security:ApiKeys:0:KeySha256"] = ApiKeyHashing.Sha256Hex("k"),
            ["Security:Jwt:Issuer"] = "i",
            ["Security:Jwt:Audience"] = "a",
            ["Security:Jwt:SigningKey"] = Convert.ToBase64String(new byte[32]),
            [key] = value,
        };
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        SecurityOptions options = configuration.GetSection(SecurityOptions.Section).Get<SecurityOptions>()!;
        ValidateOptionsResult result = new SecurityOptionsValidator(configuration).Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains(message, result.FailureMessage);
    }
}
