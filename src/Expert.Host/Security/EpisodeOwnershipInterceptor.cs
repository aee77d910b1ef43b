using Expert.DynamicMap.Episodes;
using Expert.Host.Grpc;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Expert.Host.Options;
using Microsoft.Extensions.Options;
using Wire = Steve2.Expert.V1;

namespace Expert.Host.Security;

/// <summary>
/// Puts <see cref="EpisodeOwnership"/> between DynamicMapExpert and its callers, so the service itself
/// stays unaware of owners: the <c>episode_id</c> of every request (each batch of an Observe stream too) is
/// replaced by the stored id in the caller's scope, the <c>episode_id</c> of answers and WatchMap changes is
/// put back, ListEpisodes shows the caller's episodes only (an admin's: all, by stored id), OpenEpisode
/// counts against the caller's open-episode quota, and a NOT_FOUND names the id the caller sent. The
/// innermost interceptor of the map service: the error mapping outside it turns its errors into statuses.
/// Anonymous calls (no authentication configured) pass unchanged.
/// </summary>
internal sealed class EpisodeOwnershipInterceptor(EpisodeOwnership ownership, IOptions<SecurityOptions> options) : Interceptor
{
    private const string EpisodeIdField = "episode_id";

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Caller? caller = CallerOf(context);
        if (caller is null) return await continuation(request, context);
        try
        {
            switch (request)
            {
                case Wire.ListEpisodesRequest:
                {
                    var all = (Wire.ListEpisodesResponse)(object)await continuation(request, context);
                    var mine = new Wire.ListEpisodesResponse();
                    foreach (Wire.EpisodeInfo info in all.Episodes.Where(e => EpisodeOwnership.Visible(caller, e.EpisodeId)))
                    {
                        info.EpisodeId = EpisodeOwnership.Unscope(caller, info.EpisodeId);
                        mine.Episodes.Add(info);
                    }
                    return (TResponse)(object)mine;
                }
                case Wire.OpenEpisodeRequest open:
                    open.EpisodeId = ownership.ForOpen(caller, open.EpisodeId);
                    return Unscope(caller, await ownership.OpenAsync(caller, open.EpisodeId, () => continuation(request, context)));
                default:
                    Scope(caller, request);
                    return Unscope(caller, await continuation(request, context));
            }
        }
        catch (Exception e) when (e is MapException or ObserveStreamException)
        {
            throw EpisodeOwnership.Unscope(caller, e);
        }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Caller? caller = CallerOf(context);
        if (caller is null) return await continuation(requestStream, context);
        try
        {
            return Unscope(caller, await continuation(new ScopingReader<TRequest>(requestStream, m => Scope(caller, m)), context));
        }
        catch (Exception e) when (e is MapException or ObserveStreamException)
        {
            throw EpisodeOwnership.Unscope(caller, e);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Caller? caller = CallerOf(context);
        if (caller is null)
        {
            await continuation(request, responseStream, context);
            return;
        }
        try
        {
            Scope(caller, request);
            await continuation(request, new UnscopingWriter<TResponse>(responseStream, m => Unscope(caller, m)), context);
        }
        catch (Exception e) when (e is MapException or ObserveStreamException)
        {
            throw EpisodeOwnership.Unscope(caller, e);
        }
    }

    /// <summary>The caller; null only when the host does not authenticate (a nameless principal never reaches an episode).</summary>
    private Caller? CallerOf(ServerCallContext context)
    {
        Caller? caller = Caller.Of(context);
        if (caller is null && options.Value.AuthenticationEnabled)
            throw new RpcException(new global::Grpc.Core.Status(StatusCode.Unauthenticated, "The caller has no principal name."));
        return caller;
    }

    private void Scope<T>(Caller caller, T message)
    {
        if (message is IMessage m && EpisodeId(m) is { } field)
            field.Accessor.SetValue(m, ownership.Resolve(caller, (string)field.Accessor.GetValue(m)));
    }

    private static T Unscope<T>(Caller caller, T message)
    {
        if (message is IMessage m && EpisodeId(m) is { } field)
            field.Accessor.SetValue(m, EpisodeOwnership.Unscope(caller, (string)field.Accessor.GetValue(m)));
        return message;
    }

    private static FieldDescriptor? EpisodeId(IMessage message) =>
        message.Descriptor.FindFieldByName(EpisodeIdField) is { FieldType: FieldType.String, IsRepeated: false } field ? field : null;

    private sealed class ScopingReader<T>(IAsyncStreamReader<T> inner, Action<T> scope) : IAsyncStreamReader<T>
    {
        public T Current { get; private set; } = default!;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            if (!await inner.MoveNext(cancellationToken)) return false;
            Current = inner.Current;
            scope(Current);
            return true;
        }
    }

    private sealed class UnscopingWriter<T>(IServerStreamWriter<T> inner, Func<T, T> unscope) : IServerStreamWriter<T>
    {
        public WriteOptions? WriteOptions
        {
            get => inner.WriteOptions;
            set => inner.WriteOptions = value;
        }

        public Task WriteAsync(T message) => inner.WriteAsync(unscope(message));

        public Task WriteAsync(T message, CancellationToken cancellationToken) => inner.WriteAsync(unscope(message), cancellationToken);
    }
}
