using Expert.Host.Security;
using Expert.Host.Tests.DynamicMap;
using Expert.Host.Tests.Infrastructure;
using Grpc.Net.Client;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Wire = Steve2.Expert.V1;

namespace Expert.Host.Tests.Security;

/// <summary>
/// The host with authentication on: API-key clients alice (occupancy, maps), bob (maps), reader
/// (occupancy only) and root (admin), and JWT bearer tokens signed with <see cref="JwtKey"/>.
/// </summary>
internal sealed class SecureHost : IAsyncDisposable
{
    public const string AliceKey = "alice-secret-key-0123456789";
    public const string BobKey = "bob-secret-key-0123456789";
    public const string ReaderKey = "reader-secret-key-0123456789";
    public const string RootKey = "root-secret-key-0123456789";
    public const string Issuer = "https://issuer.test";
    public const string Audience = "steve2-experts";

    public static readonly byte[] JwtKey = Enumerable.Range(1, 32).Select(i => (byte)(i * 7)).ToArray();

    private readonly MapFolder _folder = new();

    public SecureHost(IReadOnlyDictionary<string, string?>? extra = null, bool loopback = false)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Map:DataDirectory"] = _folder.Path,
            ["Security:Jwt:Issuer"] = Issuer,
            ["Security:Jwt:Audience"] = Audience,
            ["Security:Jwt:SigningKey"] = Convert.ToBase64String(JwtKey),
        };
        AddKey(settings, 0, "alice", "occupancy,maps", AliceKey);
        AddKey(settings, 1, "bob", "maps", BobKey);
        AddKey(settings, 2, "reader", "occupancy", ReaderKey);
        AddKey(settings, 3, "root", "admin", RootKey);
        foreach ((string key, string? value) in extra ?? new Dictionary<string, string?>()) settings[key] = value;
        Factory = new ExpertHostFactory(settings: settings, loopback: loopback);
    }

    public ExpertHostFactory Factory { get; }

    public static void AddKey(Dictionary<string, string?> settings, int index, string principal, string roles, string key)
    {
        settings[$"Security:ApiKeys:{index}:Principal"] = principal;
        settings[$"Security:ApiKeys:{index}:Roles"] = roles;
        settings[$"Security:ApiKeys:{index}:KeySha256"] = ApiKeyHashing.Sha256Hex(key);
    }

    /// <summary>A channel whose every request carries <paramref name="header"/> (name, value), or none.</summary>
    public GrpcChannel Channel((string Name, string Value)? header = null)
    {
        HttpMessageHandler inner = Factory.Server.CreateHandler();
        HttpMessageHandler handler = header is { } h ? new HeaderHandler(h.Name, h.Value) { InnerHandler = inner } : inner;
        return GrpcChannel.ForAddress(Factory.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = handler });
    }

    public GrpcChannel WithKey(string key) => Channel(("x-api-key", key));

    public Wire.DynamicMapExpert.DynamicMapExpertClient Maps(string key) => new(WithKey(key));

    public Wire.OccupancyExpert.OccupancyExpertClient Occupancy(string key) => new(WithKey(key));

    /// <summary>A token signed with <see cref="JwtKey"/> (or <paramref name="signingKey"/>); an empty subject leaves out <c>sub</c>.</summary>
    public static string Token(string subject, string[] roles, string audience = Audience, byte[]? signingKey = null)
    {
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            Expires = DateTime.UtcNow.AddMinutes(10),
            Claims = subject.Length == 0 ? new Dictionary<string, object> { ["roles"] = roles } : new Dictionary<string, object> { ["sub"] = subject, ["roles"] = roles },
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(signingKey ?? JwtKey), SecurityAlgorithms.HmacSha256),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        _folder.Dispose();
    }

    private sealed class HeaderHandler(string name, string value) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.TryAddWithoutValidation(name, value);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
