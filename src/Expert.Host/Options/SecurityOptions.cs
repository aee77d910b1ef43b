namespace Expert.Host.Options;

/// <summary>
/// Who may call the experts (section <c>Security</c>): API keys and/or JWT bearer tokens, the anonymous
/// escape hatch, and per-principal quotas. Authentication is on as soon as one key or a JWT issuer is
/// configured; with neither, the host serves anyone, which it allows only on loopback or when
/// <see cref="AllowAnonymous"/> says so (README, Security).
/// </summary>
internal sealed class SecurityOptions
{
    public const string Section = "Security";

    /// <summary>Serve callers without credentials on a non-loopback address (<c>--allow-anonymous</c>). Ignored once authentication is configured.</summary>
    public bool AllowAnonymous { get; set; }

    /// <summary>One entry per client: its principal name, roles and the SHA-256 of its key.</summary>
    public List<ApiKeyClientOptions> ApiKeys { get; set; } = [];

    /// <summary>Bearer tokens (section <c>Security:Jwt</c>); off unless <see cref="JwtOptions.Issuer"/> or <see cref="JwtOptions.Authority"/> is set.</summary>
    public JwtOptions Jwt { get; set; } = new();

    /// <summary>Limits per principal (section <c>Security:Quotas</c>); they apply only to authenticated callers.</summary>
    public QuotaOptions Quotas { get; set; } = new();

    /// <summary>True when callers must authenticate: at least one API key or a JWT issuer/authority.</summary>
    public bool AuthenticationEnabled => ApiKeys.Count > 0 || Jwt.Enabled;
}

/// <summary>One API-key client (<c>Security:ApiKeys:N</c>).</summary>
internal sealed class ApiKeyClientOptions
{
    /// <summary>The principal the key authenticates as: owner of the episodes it opens, unit of its quotas.</summary>
    public string Principal { get; set; } = "";

    /// <summary>Comma-separated roles: <c>occupancy</c>, <c>maps</c>, <c>admin</c> (README, Security).</summary>
    public string Roles { get; set; } = "";

    /// <summary>SHA-256 of the key, 64 hex digits (<c>printf %s "$KEY" | sha256sum</c>); the key itself is never stored.</summary>
    public string KeySha256 { get; set; } = "";

    public IReadOnlyList<string> RoleList => Roles.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>JWT bearer validation (<c>Security:Jwt</c>): a fixed signing key (HS256) or an OpenID Connect authority.</summary>
internal sealed class JwtOptions
{
    /// <summary>The <c>iss</c> a token must carry. With <see cref="Authority"/>, defaults to the authority's own.</summary>
    public string Issuer { get; set; } = "";

    /// <summary>The <c>aud</c> a token must carry (required when JWT is on).</summary>
    public string Audience { get; set; } = "";

    /// <summary>Symmetric signing key, base64, at least 32 bytes (HS256); or leave empty and set <see cref="Authority"/>.</summary>
    public string SigningKey { get; set; } = "";

    /// <summary>OpenID Connect authority whose published keys sign the tokens (https unless <see cref="RequireHttpsMetadata"/> is false).</summary>
    public string Authority { get; set; } = "";

    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>Claim naming the principal (owner of episodes, unit of quotas).</summary>
    public string NameClaim { get; set; } = "sub";

    /// <summary>Claim carrying the roles (one claim per role, or a JSON array).</summary>
    public string RoleClaim { get; set; } = "roles";

    /// <summary>Clock skew allowed on expiry and not-before.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(1);

    public bool Enabled => !string.IsNullOrWhiteSpace(Issuer) || !string.IsNullOrWhiteSpace(Authority);
}

/// <summary>Per-principal limits (<c>Security:Quotas</c>), so that one client cannot starve the others.</summary>
internal sealed class QuotaOptions
{
    /// <summary>Open episodes one principal may hold; opening one more is RESOURCE_EXHAUSTED.</summary>
    public int MaxOpenEpisodesPerPrincipal { get; set; } = 256;

    /// <summary>Calls of one principal running at once (streams count while open); one more is RESOURCE_EXHAUSTED.</summary>
    public int MaxRequestsInFlightPerPrincipal { get; set; } = 32;

    /// <summary>The RetryInfo delay sent with an in-flight refusal.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromMilliseconds(500);
}
