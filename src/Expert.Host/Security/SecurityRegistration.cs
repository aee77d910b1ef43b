using Expert.Host.Grpc;
using Expert.Host.Options;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Expert.Host.Security;

internal static class SecurityRegistration
{
    /// <summary>The scheme the services authenticate with: JWT for <c>authorization: Bearer</c>, API key otherwise.</summary>
    public const string Scheme = "Expert";

    /// <summary>The command-line switch for <c>Security:AllowAnonymous=true</c>.</summary>
    public const string AllowAnonymousSwitch = "--allow-anonymous";

    /// <summary>The arguments with <c>--allow-anonymous</c> written as the configuration key it stands for.</summary>
    public static string[] NormalizeArguments(string[] args) =>
        args.Select(a => a == AllowAnonymousSwitch ? $"--{SecurityOptions.Section}:{nameof(SecurityOptions.AllowAnonymous)}=true" : a).ToArray();

    /// <summary>
    /// Authentication (API keys and JWT bearer tokens, section <c>Security</c>, validated at start together
    /// with the loopback rule), the two policies the services require, episode ownership and the
    /// per-principal quotas. Without authentication configured the policies let every caller through and
    /// ids are used as given (loopback, or Security:AllowAnonymous).
    /// </summary>
    public static WebApplicationBuilder AddExpertSecurity(this WebApplicationBuilder builder)
    {
        IServiceCollection services = builder.Services;
        services.AddOptions<SecurityOptions>().BindConfiguration(SecurityOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SecurityOptions>, SecurityOptionsValidator>();

        // Everything below reads the options when first used, not now: configuration a test or an embedding
        // process adds after this point still counts.
        services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "API key or JWT bearer", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                && context.RequestServices.GetRequiredService<IOptions<SecurityOptions>>().Value.Jwt.Enabled
                    ? JwtBearerDefaults.AuthenticationScheme
                    : ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<SecurityOptions>>((o, security) => ConfigureJwt(o, security.Value.Jwt));

        services.AddAuthorization();
        services.AddOptions<AuthorizationOptions>().Configure<IOptions<SecurityOptions>>((o, security) =>
        {
            bool authenticate = security.Value.AuthenticationEnabled;
            o.AddPolicy(ExpertPolicies.Occupancy, p => Require(p, authenticate, ExpertRoles.Occupancy));
            o.AddPolicy(ExpertPolicies.Maps, p => Require(p, authenticate, ExpertRoles.Maps));
        });

        services.AddSingleton<EpisodeOwnership>();
        services.AddSingleton<PrincipalQuotaInterceptor>();
        // Every service (health and reflection too, where calls are anonymous and not counted).
        services.AddGrpc(o => o.Interceptors.Add<PrincipalQuotaInterceptor>());
        // Added after AddDynamicMaps: the innermost of the map service's interceptors.
        services.AddGrpc().AddServiceOptions<DynamicMapService>(o => o.Interceptors.Add<EpisodeOwnershipInterceptor>());
        return builder;
    }

    /// <summary>Authentication and authorization in the pipeline, and a log line that says which mode the host is in.</summary>
    public static WebApplication UseExpertSecurity(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            SecurityOptions o = app.Services.GetRequiredService<IOptions<SecurityOptions>>().Value;
            ILogger logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Expert.Host.Security");
            if (o.AuthenticationEnabled)
                logger.AuthenticationOn(o.ApiKeys.Count, o.Jwt.Enabled ? (o.Jwt.Authority is { Length: > 0 } a ? a : o.Jwt.Issuer) : "off");
            else
            {
                IReadOnlyList<string> addresses = ListenAddresses.Configured(app.Configuration);
                logger.AuthenticationOff(string.Join(", ", addresses), o.AllowAnonymous ? "Security:AllowAnonymous is set" : "the host listens on loopback only");
            }
        });
        return app;
    }

    private static void Require(AuthorizationPolicyBuilder policy, bool authenticate, string role)
    {
        if (!authenticate)
        {
            policy.RequireAssertion(_ => true);
            return;
        }
        policy.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser().RequireRole(role, ExpertRoles.Admin);
    }

    private static void ConfigureJwt(JwtBearerOptions o, JwtOptions jwt)
    {
        if (!jwt.Enabled) return;
        o.MapInboundClaims = false;
        o.RequireHttpsMetadata = jwt.RequireHttpsMetadata;
        if (!string.IsNullOrWhiteSpace(jwt.Authority)) o.Authority = jwt.Authority;
        o.Audience = jwt.Audience;
        o.TokenValidationParameters = new TokenValidationParameters
        {
            ValidateIssuer = true,
            ValidIssuer = string.IsNullOrWhiteSpace(jwt.Issuer) ? null : jwt.Issuer,
            ValidateAudience = true,
            ValidAudience = jwt.Audience,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            ClockSkew = jwt.ClockSkew,
            NameClaimType = jwt.NameClaim,
            RoleClaimType = jwt.RoleClaim,
        };
        // The principal's name owns episodes and carries quotas: a token without it is refused, not let in nameless.
        o.Events = new JwtBearerEvents
        {
            OnTokenValidated = context =>
            {
                if (string.IsNullOrEmpty(context.Principal?.Identity?.Name)) context.Fail($"The token has no '{jwt.NameClaim}' claim (Security:Jwt:NameClaim).");
                return Task.CompletedTask;
            },
        };
        if (string.IsNullOrWhiteSpace(jwt.Authority) && ApiKeyHashing.TryBase64(jwt.SigningKey) is { } key)
        {
            o.TokenValidationParameters.IssuerSigningKey = new SymmetricSecurityKey(key);
            o.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
        }
    }
}
