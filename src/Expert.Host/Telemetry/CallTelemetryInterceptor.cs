using System.Diagnostics;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Expert.Host.Telemetry;

/// <summary>Counts, times and logs every call of the expert service, with its final status code.</summary>
internal sealed class CallTelemetryInterceptor(ExpertMetrics metrics, ILogger<CallTelemetryInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        long started = Stopwatch.GetTimestamp();
        StatusCode status = StatusCode.Unknown;
        try
        {
            TResponse response = await continuation(request, context);
            status = StatusCode.OK;
            return response;
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

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        long started = Stopwatch.GetTimestamp();
        StatusCode status = StatusCode.Unknown;
        try
        {
            await continuation(request, responseStream, context);
            status = StatusCode.OK;
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
