using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Expert.Host.Options;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Options;

namespace Expert.Host.Security;

/// <summary>
/// Calls of one principal running at once (Security:Quotas:MaxRequestsInFlightPerPrincipal), for every
/// service: one more is RESOURCE_EXHAUSTED with RetryInfo before any work starts, so one client cannot take
/// the queues and the model from the others. Streams count while they are open. Anonymous calls (health,
/// reflection, a host without authentication) are not counted.
/// </summary>
internal sealed class PrincipalQuotaInterceptor(IOptions<SecurityOptions> options, ILogger<PrincipalQuotaInterceptor> logger) : Interceptor
{
    // A singleton in DI (SecurityRegistration), so the counts are the host's, not the call's.
    private readonly ConcurrentDictionary<string, StrongBox<int>> _inFlight = new(StringComparer.Ordinal);
    private readonly QuotaOptions _quotas = options.Value.Quotas;

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        using var _ = Enter(context);
        return await continuation(request, context);
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        using var _ = Enter(context);
        return await continuation(requestStream, context);
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        using var _ = Enter(context);
        await continuation(request, responseStream, context);
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        using var _ = Enter(context);
        await continuation(requestStream, responseStream, context);
    }

    private Slot? Enter(ServerCallContext context)
    {
        Caller? caller = Caller.Of(context);
        if (caller is null) return null;
        StrongBox<int> counter = _inFlight.GetOrAdd(caller.Principal, _ => new StrongBox<int>());
        if (Interlocked.Increment(ref counter.Value) > _quotas.MaxRequestsInFlightPerPrincipal)
        {
            Interlocked.Decrement(ref counter.Value);
            string message = $"Principal '{caller.Principal}' already has {_quotas.MaxRequestsInFlightPerPrincipal} calls in flight " +
                             "(Security:Quotas:MaxRequestsInFlightPerPrincipal): retry after the delay in RetryInfo.";
            logger.QuotaRefused(context.Method, caller.Principal, "requests in flight");
            throw QuotaStatus.Exceeded(nameof(QuotaOptions.MaxRequestsInFlightPerPrincipal), _quotas.MaxRequestsInFlightPerPrincipal, _quotas.RetryAfter, message);
        }
        return new Slot(counter);
    }

    private sealed class Slot(StrongBox<int> counter) : IDisposable
    {
        public void Dispose() => Interlocked.Decrement(ref counter.Value);
    }
}
