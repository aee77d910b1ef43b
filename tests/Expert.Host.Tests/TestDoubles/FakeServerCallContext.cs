using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace Expert.Host.Tests.TestDoubles;

/// <summary>
/// TEST DOUBLE of a call's context, for driving an interceptor without a transport: the call's token and the HTTP
/// request's abort token are set apart, so a test can put the call in the moment where the request is aborted and the
/// call's token has not followed yet. The HTTP context is handed over the way grpc-dotnet documents for tests
/// (<c>UserState["__HttpContext"]</c>, read by <c>GetHttpContext()</c>).
/// </summary>
internal sealed class FakeServerCallContext : ServerCallContext
{
    private readonly CancellationToken _callToken;
    private readonly Dictionary<object, object> _userState = new();

    public FakeServerCallContext(string method, CancellationToken callToken, CancellationToken requestAborted)
    {
        MethodCore = method;
        _callToken = callToken;
        _userState["__HttpContext"] = new DefaultHttpContext { RequestAborted = requestAborted };
    }

    protected override string MethodCore { get; }
    protected override string HostCore => "localhost";
    protected override string PeerCore => "ipv4:127.0.0.1:1";
    protected override DateTime DeadlineCore => DateTime.MaxValue;
    protected override Metadata RequestHeadersCore { get; } = new();
    protected override CancellationToken CancellationTokenCore => _callToken;
    protected override Metadata ResponseTrailersCore { get; } = new();
    protected override Status StatusCore { get; set; }
    protected override WriteOptions? WriteOptionsCore { get; set; }
    protected override AuthContext AuthContextCore { get; } = new(null, new Dictionary<string, List<AuthProperty>>());
    protected override IDictionary<object, object> UserStateCore => _userState;

    protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) =>
        throw new NotSupportedException("Not used by these tests.");

    protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;
}
