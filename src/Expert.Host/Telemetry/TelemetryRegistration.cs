using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Expert.Host.Telemetry;

internal static class TelemetryRegistration
{
    /// <summary>The variable whose presence switches OpenTelemetry export on (the SDK's own).</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// The host's metrics are always recorded (<see cref="ExpertMetrics"/>). When
    /// OTEL_EXPORTER_OTLP_ENDPOINT is set, metrics (the host's, ASP.NET Core's, the runtime's),
    /// traces and logs are exported over OTLP; the SDK reads its other standard variables
    /// (OTEL_SERVICE_NAME, OTEL_EXPORTER_OTLP_PROTOCOL, OTEL_RESOURCE_ATTRIBUTES, ...).
    /// </summary>
    public static WebApplicationBuilder AddExpertTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ExpertMetrics>();
        if (string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointVariable])) return builder;

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource =>
            {
                if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_SERVICE_NAME"]))
                    resource.AddService("steve2-expert-host");
            })
            .WithMetrics(metrics => metrics
                .AddMeter(ExpertMetrics.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation())
            .WithTracing(tracing => tracing.AddAspNetCoreInstrumentation())
            .WithLogging()
            .UseOtlpExporter();
        return builder;
    }
}
