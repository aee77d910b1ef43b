using Expert.DynamicMap.Episodes;
using Expert.Host.Batching;
using Expert.Host.Maps;
using Expert.Host.Telemetry;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Expert.Host.Grpc;

/// <summary>
/// Gives every failure its meaning as a status code, in one place: a full queue is
/// RESOURCE_EXHAUSTED (with google.rpc.ErrorInfo and RetryInfo), a model still loading is
/// UNAVAILABLE, a cancelled call CANCELLED or DEADLINE_EXCEEDED, the map library's errors the codes
/// their kinds name (<see cref="MapStatus"/>), anything else INTERNAL (logged, with no internals sent to
/// the caller).
/// </summary>
internal sealed class ErrorMappingInterceptor(ILogger<ErrorMappingInterceptor> logger) : Interceptor
{
    private const string Domain = "steve2.expert.v1";

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Map(e, context);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Map(e, context);
        }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(requestStream, context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Map(e, context);
        }
    }

    private RpcException Map(Exception e, ServerCallContext context)
    {
        string rpc = CallTelemetryInterceptor.RpcName(context.Method);
        switch (e)
        {
            case QueueFullException full:
                logger.CallRefused(rpc, full.Message);
                return new Google.Rpc.Status
                {
                    Code = (int)Code.ResourceExhausted,
                    Message = full.Message,
                    Details =
                    {
                        Any.Pack(new ErrorInfo
                        {
                            Reason = full.Reason,
                            Domain = Domain,
                            Metadata = { ["queue"] = full.Queue, ["limit"] = full.Limit.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                        }),
                        Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(full.RetryAfter) }),
                    },
                }.ToRpcException();
            case MapException or ObserveStreamException:
                return MapStatus.ToRpcException(e, logger, rpc);
            case MapStorageUnavailableException unavailable:
                return new RpcException(new global::Grpc.Core.Status(StatusCode.Unavailable, unavailable.Message));
            case ObjectDisposedException disposed when disposed.ObjectName == typeof(EpisodeRegistry).FullName:
                return new RpcException(new global::Grpc.Core.Status(StatusCode.Unavailable, "The host is stopping."));
            case IOException when context.CancellationToken.IsCancellationRequested:
                return new RpcException(new global::Grpc.Core.Status(StatusCode.Cancelled, "The call was cancelled; the work was stopped."));
            case ModelNotReadyException notReady:
                return new RpcException(new global::Grpc.Core.Status(StatusCode.Unavailable, notReady.Message));
            case OperationCanceledException when context.CancellationToken.IsCancellationRequested:
                return context.Deadline <= DateTime.UtcNow
                    ? new RpcException(new global::Grpc.Core.Status(StatusCode.DeadlineExceeded, "The call's deadline passed; the work was stopped."))
                    : new RpcException(new global::Grpc.Core.Status(StatusCode.Cancelled, "The call was cancelled; the work was stopped."));
            case OperationCanceledException:
                return new RpcException(new global::Grpc.Core.Status(StatusCode.Unavailable, "The host is stopping."));
            default:
                logger.CallFailed(e, rpc);
                return new RpcException(new global::Grpc.Core.Status(StatusCode.Internal, "Internal error in the expert host; its logs have the details."));
        }
    }
}
