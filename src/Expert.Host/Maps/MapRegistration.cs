using Expert.Host.Grpc;
using Expert.Host.Options;
using Expert.Host.Telemetry;
using Grpc.AspNetCore.Server;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Expert.Host.Maps;

internal static class MapRegistration
{
    /// <summary>
    /// steve2.expert.v1.DynamicMapExpert: its options (section <c>Map</c>, validated at start), the episode
    /// registry (created on the first map call), the maintenance service (eviction, flush at shutdown) and
    /// the gRPC service with the host's interceptors. Needs no model: health is unchanged.
    /// </summary>
    public static IServiceCollection AddDynamicMaps(this IServiceCollection services)
    {
        services.AddOptions<MapHostOptions>().BindConfiguration(MapHostOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<MapHostOptions>, MapHostOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<MapEpisodes>();
        services.AddSingleton<MapMaintenanceService>();
        services.AddHostedService(sp => sp.GetRequiredService<MapMaintenanceService>());

        services.AddGrpc().AddServiceOptions<DynamicMapService>(o =>
        {
            // Outermost first: telemetry sees the status code the mapping chose.
            o.Interceptors.Add<CallTelemetryInterceptor>();
            o.Interceptors.Add<ErrorMappingInterceptor>();
        });
        // A packed batch is 16 bytes a block: the map service reads bigger messages than the host's default.
        services.AddOptions<GrpcServiceOptions<DynamicMapService>>()
            .Configure<IOptions<MapHostOptions>>((o, map) => o.MaxReceiveMessageSize = map.Value.MaxReceiveMessageBytes);
        return services;
    }

    /// <summary>Maps the map service (reflection, mapped by <see cref="GrpcRegistration.MapExpertGrpc"/>, lists it too).</summary>
    public static IEndpointRouteBuilder MapDynamicMaps(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcService<DynamicMapService>();
        return endpoints;
    }
}
