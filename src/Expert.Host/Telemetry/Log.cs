namespace Expert.Host.Telemetry;

/// <summary>
/// The host's log lines, as source-generated structured messages: every value is a named field
/// (seen as JSON properties with the json console formatter or in OpenTelemetry logs).
/// </summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Loading the model from {CheckpointPath} on device {Device}")]
    public static partial void ModelLoading(this ILogger logger, string checkpointPath, string device);

    [LoggerMessage(2, LogLevel.Information,
        "Model {ModelVersion} loaded on {Device}: grid {GridSize}^3, {Parameters} parameters, in {ElapsedMs:F0} ms")]
    public static partial void ModelLoaded(this ILogger logger, string modelVersion, string device, int gridSize, long parameters, double elapsedMs);

    [LoggerMessage(3, LogLevel.Critical, "The model failed to load from {CheckpointPath}; the host stays NOT_SERVING")]
    public static partial void ModelLoadFailed(this ILogger logger, Exception exception, string checkpointPath);

    [LoggerMessage(10, LogLevel.Information, "{Rpc} answered {StatusCode} in {ElapsedMs:F1} ms")]
    public static partial void CallCompleted(this ILogger logger, string rpc, string statusCode, double elapsedMs);

    [LoggerMessage(11, LogLevel.Warning, "{Rpc} refused: {Reason}")]
    public static partial void CallRefused(this ILogger logger, string rpc, string reason);

    [LoggerMessage(12, LogLevel.Error, "{Rpc} failed with an unexpected error")]
    public static partial void CallFailed(this ILogger logger, Exception exception, string rpc);

    [LoggerMessage(13, LogLevel.Debug, "{Rpc} ended: the client went away ({Reason})")]
    public static partial void CallAbandoned(this ILogger logger, string rpc, string reason);

    [LoggerMessage(14, LogLevel.Warning, "{Rpc} request could not be decoded, answered INVALID_ARGUMENT: {Reason}")]
    public static partial void RequestUndecodable(this ILogger logger, string rpc, string reason);

    [LoggerMessage(20, LogLevel.Debug, "Model call: batch of {BatchSize}, {ModelMs:F1} ms")]
    public static partial void BatchRan(this ILogger logger, int batchSize, double modelMs);

    [LoggerMessage(21, LogLevel.Warning,
        "A model call for a batch of {BatchSize} failed; running its requests one by one so that only the failing one fails")]
    public static partial void BatchFailedRetryingAlone(this ILogger logger, Exception exception, int batchSize);

    [LoggerMessage(22, LogLevel.Error, "A model call failed")]
    public static partial void BatchFailed(this ILogger logger, Exception exception);

    [LoggerMessage(30, LogLevel.Information,
        "Generated: seed {Seed}, {Samples} sample(s), {Views} view(s), batch {BatchSize}; queue {QueueMs:F1} ms, model {ModelMs:F1} ms, render {RenderMs:F1} ms, total {TotalMs:F1} ms")]
    public static partial void Generated(this ILogger logger, ulong seed, int samples, int views, int batchSize,
        double queueMs, double modelMs, double renderMs, double totalMs);
}
