using Expert.DynamicMap.Episodes;
using Expert.Host.Batching;
using Expert.Host.Maps;
using Expert.Host.Telemetry;
using Google.Protobuf;
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
/// the caller). A client that went away while its request stream was read or a response written (reset stream,
/// aborted connection: IOException or OperationCanceledException from the stream, whether or not the call's
/// token is set yet; whatever the framework's reader or writer throws once the HTTP request is aborted) is
/// CANCELLED, logged at debug: the reader and writer are wrapped so that only their failures count as the client's.
/// Every status leaves through <see cref="ClientStatus"/> (bounded trailers).
/// </summary>
internal sealed class ErrorMappingInterceptor(ILogger<ErrorMappingInterceptor> logger) : Interceptor
{

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
            await continuation(request, new ClientStreamWriter<TResponse>(responseStream, context), context);
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
            return await continuation(new ClientStreamReader<TRequest>(requestStream, context), context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Map(e, context);
        }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(new ClientStreamReader<TRequest>(requestStream, context), new ClientStreamWriter<TResponse>(responseStream, context), context);
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
                return ClientStatus.ResourceExhausted(full.Message, full.Reason,
                    [new("queue", full.Queue), new("limit", full.Limit.ToString(System.Globalization.CultureInfo.InvariantCulture))], full.RetryAfter);
            case MapException or ObserveStreamException:
                return MapStatus.ToRpcException(e, logger, rpc);
            case MapStorageUnavailableException unavailable:
                return ClientStatus.Plain(StatusCode.Unavailable, unavailable.Message);
            case ObjectDisposedException disposed when disposed.ObjectName == typeof(EpisodeRegistry).FullName:
                return ClientStatus.Plain(StatusCode.Unavailable, "The host is stopping.");
            case ClientGoneException gone:
                logger.CallAbandoned(rpc, gone.InnerException?.Message ?? gone.Message);
                return Cancelled(context);
            case InvalidProtocolBufferException undecodable:
                // Normally answered by RequestDecoding before a handler runs; kept for readers that parse on their own.
                logger.RequestUndecodable(rpc, undecodable.Message);
                return ClientStatus.Plain(StatusCode.InvalidArgument, RequestDecoding.Describe(undecodable));
            case IOException when RequestAborted(context):
                logger.CallAbandoned(rpc, e.Message);
                return Cancelled(context);
            case IOException full when IsDiskFull(full):
                // The host's own storage, not the client's stream (that is ClientGoneException): nothing was acknowledged.
                logger.CallFailed(e, rpc);
                return ClientStatus.Plain(StatusCode.ResourceExhausted, "The expert host's disk is full; the request was not applied. Retry when there is room.");
            case ModelNotReadyException notReady:
                return ClientStatus.Plain(StatusCode.Unavailable, notReady.Message);
            case OperationCanceledException when RequestAborted(context):
                return Cancelled(context);
            case OperationCanceledException:
                return ClientStatus.Plain(StatusCode.Unavailable, "The host is stopping.");
            default:
                logger.CallFailed(e, rpc);
                return ClientStatus.Plain(StatusCode.Internal, "Internal error in the expert host; its logs have the details.");
        }
    }

    /// <summary>Whether an I/O error is the disk being full (ENOSPC on Linux and macOS; ERROR_DISK_FULL / ERROR_HANDLE_DISK_FULL on Windows).</summary>
    internal static bool IsDiskFull(IOException e) => e.HResult is 28 or 112 or 39 or unchecked((int)0x80070070) or unchecked((int)0x80070027);

    private static readonly TimeSpan DeadlineTolerance = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// CANCELLED, or DEADLINE_EXCEEDED when the deadline is reached: the server's deadline timer may fire a moment before
    /// the clock passes the deadline, so a deadline within <see cref="DeadlineTolerance"/> counts as reached.
    /// </summary>
    private static RpcException Cancelled(ServerCallContext context) =>
        context.Deadline <= DateTime.UtcNow + DeadlineTolerance
            ? ClientStatus.Plain(StatusCode.DeadlineExceeded, "The call's deadline passed; the work was stopped.")
            : ClientStatus.Plain(StatusCode.Cancelled, "The call was cancelled; the work was stopped.");

    /// <summary>The client went away while its request stream was read or a response was written.</summary>
    private sealed class ClientGoneException(Exception inner) : Exception("The client went away.", inner);

    /// <summary>
    /// Whether a failure of the call's own stream means the client went away: an I/O error, an abort that is not a
    /// cancel the service asked for through its own token (e.g. the host stopping) while the call is still alive, or
    /// any other failure once the request is aborted. The last covers the framework's reader, which refuses to read
    /// after the abort ("Can't read messages after the request is complete", InvalidOperationException) or reports a
    /// read cut short as INTERNAL: the HTTP request's abort token is set first, and the call's token and a service's
    /// token linked to it follow a moment later, so a read can fail in between.
    /// </summary>
    private static bool ClientWentAway(Exception e, CancellationToken serviceToken, ServerCallContext context) =>
        e is IOException
        || RequestAborted(context)
        || (e is OperationCanceledException && !serviceToken.IsCancellationRequested);

    /// <summary>The call's token or, set before it, the HTTP request's abort token.</summary>
    private static bool RequestAborted(ServerCallContext context) =>
        context.CancellationToken.IsCancellationRequested || context.GetHttpContext().RequestAborted.IsCancellationRequested;

    private sealed class ClientStreamReader<T>(IAsyncStreamReader<T> inner, ServerCallContext context) : IAsyncStreamReader<T>
    {
        public T Current => inner.Current;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            try
            {
                return await inner.MoveNext(cancellationToken);
            }
            catch (Exception e) when (ClientWentAway(e, cancellationToken, context))
            {
                throw new ClientGoneException(e);
            }
        }
    }

    private sealed class ClientStreamWriter<T>(IServerStreamWriter<T> inner, ServerCallContext context) : IServerStreamWriter<T>
    {
        public WriteOptions? WriteOptions
        {
            get => inner.WriteOptions;
            set => inner.WriteOptions = value;
        }

        public Task WriteAsync(T message) => WriteAsync(message, CancellationToken.None);

        public async Task WriteAsync(T message, CancellationToken cancellationToken)
        {
            try
            {
                await inner.WriteAsync(message, cancellationToken);
            }
            catch (Exception e) when (ClientWentAway(e, cancellationToken, context))
            {
                throw new ClientGoneException(e);
            }
        }
    }
}
