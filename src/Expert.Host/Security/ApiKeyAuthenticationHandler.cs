using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using Expert.Host.Options;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Expert.Host.Security;

/// <summary>
/// API keys: <c>x-api-key: KEY</c> or <c>authorization: ApiKey KEY</c>. The presented key is hashed
/// (SHA-256) and compared in constant time with every configured hash, so neither the keys nor the time a
/// comparison takes tell anything. No key: no result (the challenge answers UNAUTHENTICATED); an unknown
/// key: failure (UNAUTHENTICATED as well).
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IOptions<SecurityOptions> security)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "x-api-key";
    private const string AuthorizationPrefix = "ApiKey ";

    private readonly (ApiKeyClientOptions Client, byte[] Hash)[] _clients =
        security.Value.ApiKeys.Select(c => (c, Convert.FromHexString(c.KeySha256))).ToArray();

    /// <summary>The key a request carries, or null.</summary>
    public static string? PresentedKey(HttpRequest request)
    {
        string? key = request.Headers[HeaderName];
        if (!string.IsNullOrEmpty(key)) return key.Trim();
        string? authorization = request.Headers.Authorization;
        return authorization is not null && authorization.StartsWith(AuthorizationPrefix, StringComparison.OrdinalIgnoreCase)
            ? authorization[AuthorizationPrefix.Length..].Trim()
            : null;
    }

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? key = PresentedKey(Request);
        if (string.IsNullOrEmpty(key)) return Task.FromResult(AuthenticateResult.NoResult());

        byte[] presented = ApiKeyHashing.Sha256(key);
        ApiKeyClientOptions? match = null;
        foreach ((ApiKeyClientOptions client, byte[] hash) in _clients)
        {
            // Every hash is compared, whatever matched before: the time taken does not depend on which one.
            if (CryptographicOperations.FixedTimeEquals(presented, hash)) match = client;
        }
        if (match is null) return Task.FromResult(AuthenticateResult.Fail("The API key is not valid."));

        var claims = new List<Claim> { new(ClaimTypes.Name, match.Principal), new(ClaimTypes.NameIdentifier, match.Principal) };
        claims.AddRange(match.RoleList.Select(r => new Claim(ClaimTypes.Role, r)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }
}
