using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Expert.Host.Telemetry;

/// <summary>
/// The host's metrics, on the meter <see cref="MeterName"/>: always recorded, exported through
/// OpenTelemetry when OTEL_EXPORTER_OTLP_ENDPOINT is set (see <see cref="TelemetryRegistration"/>).
/// </summary>
internal sealed class ExpertMetrics
{
    public const string MeterName = "Steve2.Expert.Host";

    private static readonly double[] MillisecondBuckets =
        [1, 2, 5, 10, 20, 50, 75, 100, 150, 200, 300, 500, 750, 1000, 2000, 5000, 10000, 30000];

    private readonly Counter<long> _requests;
    private readonly Histogram<double> _requestDuration;
    private readonly Histogram<int> _batchSize;
    private readonly Histogram<double> _modelDuration;
    private readonly Histogram<double> _queueWait;
    private readonly Counter<long> _rejected;
    private readonly UpDownCounter<long> _queueDepth;

    public ExpertMetrics(IMeterFactory meterFactory)
    {
        Meter meter = meterFactory.Create(MeterName);
        _requests = meter.CreateCounter<long>("expert.requests", "{request}",
            "Calls answered, by rpc and gRPC status code.");
        _requestDuration = meter.CreateHistogram("expert.request.duration", "ms",
            "Time from a call's arrival to its answer, by rpc and status.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = MillisecondBuckets });
        _batchSize = meter.CreateHistogram("expert.batch.size", "{request}",
            "Requests in one model call.",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64] });
        _modelDuration = meter.CreateHistogram("expert.model.duration", "ms",
            "Wall time of one model call (a whole batch).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = MillisecondBuckets });
        _queueWait = meter.CreateHistogram("expert.queue.wait", "ms",
            "Time a request waited for a model call.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = MillisecondBuckets });
        _rejected = meter.CreateCounter<long>("expert.rejected", "{request}",
            "Requests refused with RESOURCE_EXHAUSTED, by queue.");
        _queueDepth = meter.CreateUpDownCounter<long>("expert.queue.depth", "{request}",
            "Requests waiting for a model call.");
    }

    public void CallCompleted(string rpc, string status, double milliseconds)
    {
        var tags = new TagList { { "rpc", rpc }, { "grpc.status", status } };
        _requests.Add(1, tags);
        _requestDuration.Record(milliseconds, tags);
    }

    public void BatchRan(int size, double modelMilliseconds)
    {
        _batchSize.Record(size);
        _modelDuration.Record(modelMilliseconds);
    }

    public void Dequeued(double waitedMilliseconds)
    {
        _queueDepth.Add(-1);
        _queueWait.Record(waitedMilliseconds);
    }

    public void Enqueued() => _queueDepth.Add(1);

    public void LeftQueueCancelled() => _queueDepth.Add(-1);

    public void Rejected(string queue) => _rejected.Add(1, new KeyValuePair<string, object?>("queue", queue));
}
