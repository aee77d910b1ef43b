using Expert.Host.Telemetry;

namespace Expert.Host.Grpc;

internal static class GrpcRegistration
{
    /// <summary>Largest request the host reads: a 256^3 grid packs to 2 MiB.</summary>
    public const int MaxReceiveMessageBytes = 8 * 1024 * 1024;

    /// <summary>gRPC, the expert service with its validation and interceptors, and server reflection.</summary>
    public static IServiceCollection AddExpertGrpc(this IServiceCollection services)
    {
        services.AddGrpc(o =>
        {
            o.MaxReceiveMessageSize = MaxReceiveMessageBytes;
            o.EnableDetailedErrors = false;
        })
        .AddServiceOptions<OccupancyExpertService>(o =>
        {
            // Outermost first: telemetry sees the status code the mapping chose.
            o.Interceptors.Add<CallTelemetryInterceptor>();
            o.Interceptors.Add<ErrorMappingInterceptor>();
        });
        services.AddGrpcReflection();
        services.AddSingleton<RequestValidator>();
        services.AddSingleton<GenerationWorkflow>();
        return services;
    }

    /// <summary>Maps the expert service and reflection (so grpcurl and Postman need no proto files).</summary>
    public static IEndpointRouteBuilder MapExpertGrpc(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcService<OccupancyExpertService>();
        endpoints.MapGrpcReflectionService();
        return endpoints;
    }
}
