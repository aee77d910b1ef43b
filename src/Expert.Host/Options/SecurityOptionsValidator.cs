using System.Globalization;
using Expert.Host.Security;
using Microsoft.Extensions.Options;

namespace Expert.Host.Options;

/// <summary>
/// Checks <see cref="SecurityOptions"/> at start; each message names the key to change. Also the loopback
/// rule: without authentication the host starts only when every address it listens on is loopback, or
/// when Security:AllowAnonymous (<c>--allow-anonymous</c>) says that serving strangers is intended.
/// </summary>
internal sealed class SecurityOptionsValidator(IConfiguration configuration) : IValidateOptions<SecurityOptions>
{
    public ValidateOptionsResult Validate(string? name, SecurityOptions o)
    {
        var errors = new List<string>();
        var principals = new HashSet<string>(StringComparer.Ordinal);
        var hashes = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < o.ApiKeys.Count; i++)
        {
            ApiKeyClientOptions key = o.ApiKeys[i];
            string at = string.Create(CultureInfo.InvariantCulture, $"Security:ApiKeys:{i}");
            string env = string.Create(CultureInfo.InvariantCulture, $"Security__ApiKeys__{i}");
            if (string.IsNullOrWhiteSpace(key.Principal) || key.Principal.Length > 128)
                errors.Add($"{at}:Principal is empty or longer than 128 characters: name the client ({env}__Principal).");
            else if (!principals.Add(key.Principal))
                errors.Add($"{at}:Principal '{key.Principal}' is configured twice: give each client its own principal ({env}__Principal).");
            if (!ApiKeyHashing.IsSha256Hex(key.KeySha256))
                errors.Add($"{at}:KeySha256 must be the 64 hex digits of SHA-256 of the key (printf %s \"$KEY\" | sha256sum), not the key itself ({env}__KeySha256).");
            else if (!hashes.Add(key.KeySha256))
                errors.Add($"{at}:KeySha256 is the same as another client's: give each client its own key ({env}__KeySha256).");
            if (key.RoleList.Count == 0)
                errors.Add($"{at}:Roles is empty: give the client {string.Join(", ", ExpertRoles.All)}, comma-separated in one string ({env}__Roles=occupancy,maps).");
            foreach (string role in key.RoleList)
            {
                if (!ExpertRoles.All.Contains(role))
                    errors.Add($"{at}:Roles names '{role}': use {string.Join(", ", ExpertRoles.All)} ({env}__Roles, comma-separated).");
            }
        }

        JwtOptions jwt = o.Jwt;
        if (jwt.Enabled)
        {
            if (string.IsNullOrWhiteSpace(jwt.Audience))
                errors.Add("Security:Jwt:Audience is empty: set the audience tokens must carry (Security__Jwt__Audience).");
            if (string.IsNullOrWhiteSpace(jwt.Authority))
            {
                if (string.IsNullOrWhiteSpace(jwt.SigningKey))
                    errors.Add("Security:Jwt needs Security:Jwt:SigningKey (base64, 32 bytes or more) or Security:Jwt:Authority (Security__Jwt__SigningKey / Security__Jwt__Authority).");
                else if (ApiKeyHashing.TryBase64(jwt.SigningKey) is not { Length: >= 32 })
                    errors.Add("Security:Jwt:SigningKey must be base64 of at least 32 bytes (openssl rand -base64 32) (Security__Jwt__SigningKey).");
            }
            else if (!Uri.TryCreate(jwt.Authority, UriKind.Absolute, out _))
                errors.Add($"Security:Jwt:Authority '{jwt.Authority}' is not an absolute URL (Security__Jwt__Authority).");
            if (string.IsNullOrWhiteSpace(jwt.NameClaim) || string.IsNullOrWhiteSpace(jwt.RoleClaim))
                errors.Add("Security:Jwt:NameClaim and Security:Jwt:RoleClaim must not be empty (defaults: sub, roles).");
        }
        else if (!string.IsNullOrWhiteSpace(jwt.SigningKey) || !string.IsNullOrWhiteSpace(jwt.Audience))
            errors.Add("Security:Jwt has a signing key or audience but no Security:Jwt:Issuer or Security:Jwt:Authority: set one (Security__Jwt__Issuer) to turn bearer tokens on.");

        QuotaOptions q = o.Quotas;
        if (q.MaxOpenEpisodesPerPrincipal is < 1 or > 1_000_000)
            errors.Add($"Security:Quotas:MaxOpenEpisodesPerPrincipal is {q.MaxOpenEpisodesPerPrincipal}: set it to 1..1000000 (Security__Quotas__MaxOpenEpisodesPerPrincipal).");
        if (q.MaxRequestsInFlightPerPrincipal is < 1 or > 100_000)
            errors.Add($"Security:Quotas:MaxRequestsInFlightPerPrincipal is {q.MaxRequestsInFlightPerPrincipal}: set it to 1..100000 (Security__Quotas__MaxRequestsInFlightPerPrincipal).");
        if (q.RetryAfter < TimeSpan.Zero || q.RetryAfter > TimeSpan.FromMinutes(10))
            errors.Add($"Security:Quotas:RetryAfter is {q.RetryAfter}: set it between 00:00:00 and 00:10:00 (Security__Quotas__RetryAfter).");

        if (!o.AuthenticationEnabled && !o.AllowAnonymous)
        {
            IReadOnlyList<string> addresses = ListenAddresses.Configured(configuration);
            if (addresses.Count > 0 && !ListenAddresses.AllLoopback(addresses))
            {
                errors.Add($"The host would listen on {string.Join(", ", addresses)}, which is not loopback only, and no authentication is configured: " +
                           "anyone who reaches the port could generate, read and delete every episode. Configure API keys (Security__ApiKeys__0__Principal, " +
                           "Security__ApiKeys__0__KeySha256, Security__ApiKeys__0__Roles) or JWT (Security__Jwt__Issuer, ...), listen on 127.0.0.1 only, " +
                           "or set Security__AllowAnonymous=true (--allow-anonymous) to serve anyone on purpose.");
            }
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
