using Microsoft.Extensions.Diagnostics.HealthChecks;
using Steve2.Expert.V1;

namespace Expert.Host.Health;

internal static class HealthRegistration
{
    public const string ModelTag = "model";

    /// <summary>
    /// grpc.health.v1: the service names "" (the whole host) and steve2.expert.v1.OccupancyExpert
    /// are SERVING once the model is loaded, NOT_SERVING before (and after a failed load).
    /// </summary>
    public static IServiceCollection AddExpertHealth(this IServiceCollection services)
    {
        services.AddGrpcHealthChecks(o =>
        {
            o.Services.Clear();
            o.Services.Map("", _ => true);
            o.Services.Map(OccupancyExpert.Descriptor.FullName, r => r.Tags.Contains(ModelTag));
        })
        .AddCheck<ModelHealthCheck>("model", tags: [ModelTag]);
        // Watch streams follow the publisher: check often so watchers see SERVING soon after the load.
        services.Configure<HealthCheckPublisherOptions>(o =>
        {
            o.Delay = TimeSpan.FromMilliseconds(500);
            o.Period = TimeSpan.FromSeconds(2);
        });
        return services;
    }

    public static IEndpointRouteBuilder MapExpertHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcHealthChecksService();
        return endpoints;
    }
}
