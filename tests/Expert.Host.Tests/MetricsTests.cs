using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Expert.Host.Telemetry;
using Expert.Host.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Expert.Host.Tests;

/// <summary>The host records requests, latencies and batch sizes on its meter.</summary>
public sealed class MetricsTests
{
    [Fact]
    public async Task Requests_latency_and_batch_size_are_recorded()
    {
        await using var host = await new ExpertHostFactory().ReadyAsync();
        IMeterFactory meterFactory = host.Services.GetRequiredService<IMeterFactory>();
        var measurements = new ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ExpertMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, meterFactory))
                l.EnableMeasurementEvents(instrument);
        };
        void Record(Instrument i, double v, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
            measurements.Enqueue((i.Name, v, new Dictionary<string, object?>(tags.ToArray())));
        listener.SetMeasurementEventCallback<long>((i, v, t, _) => Record(i, v, t));
        listener.SetMeasurementEventCallback<int>((i, v, t, _) => Record(i, v, t));
        listener.SetMeasurementEventCallback<double>((i, v, t, _) => Record(i, v, t));
        listener.Start();

        var client = host.CreateExpertClient();
        await client.GenerateOccupancyAsync(Requests.Generate());
        await Rpc.FailsAsync(() => client.GenerateOccupancyAsync(Requests.Generate("")).ResponseAsync);

        Assert.Contains(measurements, m => m.Instrument == "expert.requests" && Equals(m.Tags["rpc"], "GenerateOccupancy") && Equals(m.Tags["grpc.status"], "OK"));
        Assert.Contains(measurements, m => m.Instrument == "expert.requests" && Equals(m.Tags["grpc.status"], "InvalidArgument"));
        Assert.Contains(measurements, m => m.Instrument == "expert.request.duration" && m.Value > 0);
        Assert.Contains(measurements, m => m.Instrument == "expert.batch.size" && m.Value == 1);
        Assert.Contains(measurements, m => m.Instrument == "expert.model.duration");
    }
}

/// <summary>OpenTelemetry export is on exactly when OTEL_EXPORTER_OTLP_ENDPOINT is set.</summary>
public sealed class OpenTelemetrySwitchTests
{
    [Theory]
    [InlineData(null, false)]
    [InlineData("http://127.0.0.1:4317", true)]
    public async Task The_OTLP_endpoint_variable_switches_export_on(string? endpoint, bool exported)
    {
        await using var host = await new ExpertHostFactory(settings: new Dictionary<string, string?>
        {
            [TelemetryRegistration.OtlpEndpointVariable] = endpoint,
        }).ReadyAsync();

        Assert.Equal(exported, host.Services.GetService<OpenTelemetry.Metrics.MeterProvider>() is not null);
    }
}
