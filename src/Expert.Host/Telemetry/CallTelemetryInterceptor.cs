using System.Diagnostics;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Expert.Host.Telemetry;

/// <summary>Counts, times and logs every call (unary, server-, client- and duplex-streaming) of both services, with its final status code.</summary>
internal sealed class CallTelemetryInterceptor(ExpertMetrics metrics, ILogger<CallTelemetryInterceptor> logger) : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation) =>
        Observe(context, () => continuation(request, context));

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation) =>
        Observe(context, async () => { await continuation(request, responseStream, context); return true; });

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation) =>
        Observe(context, () => continuation(requestStream, context));

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation) =>
        Observe(context, async () => { await continuation(requestStream, responseStream, context); return true; });

    /// <summary>Runs one call of any kind and records it with the status it ended with.</summary>
    private async Task<T> Observe<T>(ServerCallContext context, Func<Task<T>> call)
    {
        long started = Stopwatch.GetTimestamp();
        StatusCode status = StatusCode.Unknown;
        try
        {
            T result = await call();
            status = StatusCode.OK;
            return result;
        }
        catch (RpcException e)
        {
            status = e.StatusCode;
            throw;
        }
        finally
        {
            Record(context.Method, status, started);
        }
    }

    /// <summary>"/steve2.expert.v1.OccupancyExpert/GenerateOccupancy" -> "GenerateOccupancy".</summary>
    public static string RpcName(string method) => method[(method.LastIndexOf('/') + 1)..];

    private void Record(string method, StatusCode status, long started)
    {
        string rpc = RpcName(method);
        double ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        string code = status.ToString();
        metrics.CallCompleted(rpc, code, ms);
        logger.CallCompleted(rpc, code, ms);
    }
}
