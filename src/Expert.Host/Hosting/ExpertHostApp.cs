using Expert.Host.Batching;
using Expert.Host.Grpc;
using Expert.Host.Health;
using Expert.Host.Maps;
using Expert.Host.Model;
using Expert.Host.Options;
using Expert.Host.Security;
using Expert.Host.Telemetry;

namespace Expert.Host.Hosting;

/// <summary>
/// Builds the expert host: both gRPC services, health, reflection, telemetry and options. The host's
/// own entry point and <see cref="EmbeddedExpertHost"/> (through which the pipeline starts the host in
/// its own process when no expert address is given) build it the same way, so the two never differ.
/// </summary>
internal static class ExpertHostApp
{
    /// <summary>The host as <c>dotnet Expert.Host.dll [args]</c> runs it (configuration from appsettings.json, environment, <paramref name="args"/>).</summary>
    public static WebApplication Build(string[] args) => Build(new WebApplicationOptions { Args = args });

    /// <summary>
    /// The host with explicit builder options (content root, arguments). <paramref name="configure"/>
    /// runs on the builder before the services are added: an embedding process adds its own
    /// configuration or logging there.
    /// </summary>
    public static WebApplication Build(WebApplicationOptions options, Action<WebApplicationBuilder>? configure = null)
    {
        WebApplicationBuilder builder = Configure(options, configure);
        WebApplication app = builder.Build();
        app.UseExpertSecurity();
        app.MapExpertGrpc();
        app.MapDynamicMaps();
        app.MapExpertHealth();
        return app;
    }

    /// <summary>
    /// What the host would refuse at start (each option validator's message, the loopback rule included), checked
    /// without building or starting the host: the entry point says these plainly and exits 2. Empty when it would start.
    /// </summary>
    public static IReadOnlyList<string> StartupRefusals(string[] args)
    {
        WebApplicationBuilder builder = Configure(new WebApplicationOptions { Args = args }, null);
        using ServiceProvider services = builder.Services.BuildServiceProvider();
        try
        {
            services.GetService<Microsoft.Extensions.Options.IStartupValidator>()?.Validate();
            return [];
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException e)
        {
            return [.. e.Failures];
        }
        catch (AggregateException e) when (e.InnerExceptions.All(i => i is Microsoft.Extensions.Options.OptionsValidationException))
        {
            return [.. e.InnerExceptions.Cast<Microsoft.Extensions.Options.OptionsValidationException>().SelectMany(v => v.Failures)];
        }
    }

    /// <summary>The builder with every service of the host registered (nothing built or started).</summary>
    private static WebApplicationBuilder Configure(WebApplicationOptions options, Action<WebApplicationBuilder>? configure)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(WithSecuritySwitches(options));
        configure?.Invoke(builder);
        builder.UseExpertAddress().AddExpertTelemetry();
        builder.Services.AddExpertOptions().AddOccupancyModel().AddGenerationBatching().AddExpertGrpc().AddDynamicMaps().AddExpertHealth();
        builder.AddExpertSecurity();
        builder.Services.AddRequestDecoding(); // last: replaces the binder every AddGrpc call registers
        return builder;
    }

    private static WebApplicationOptions WithSecuritySwitches(WebApplicationOptions options) => new()
    {
        Args = options.Args is null ? null : SecurityRegistration.NormalizeArguments(options.Args),
        ApplicationName = options.ApplicationName,
        ContentRootPath = options.ContentRootPath,
        EnvironmentName = options.EnvironmentName,
        WebRootPath = options.WebRootPath,
    };
}
