using Expert.Host.Grpc;
using Expert.Host.Tests.TestDoubles;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;

namespace Expert.Host.Tests;

/// <summary>
/// A client that walks away mid-stream is CANCELLED whatever the framework's reader throws at that moment. These pin the
/// moment a real cancel only hits now and then (HostileInputTests' fifty cancels of Observe met it once in CI under
/// load): the HTTP request is aborted, the call's token has not followed yet, and grpc-dotnet's reader refuses to read.
/// </summary>
public sealed class ClientGoneTests
{
    private const string Method = "/steve2.expert.v1.DynamicMapExpert/Observe";

    public static TheoryData<string> ReaderFailures => new() { "refused", "cut", "io" };

    [Theory]
    [MemberData(nameof(ReaderFailures))]
    public async Task A_read_that_fails_after_the_request_is_aborted_is_CANCELLED_before_the_call_token_follows(string failure)
    {
        using var aborted = new CancellationTokenSource();
        aborted.Cancel();
        var context = new FakeServerCallContext(Method, callToken: CancellationToken.None, requestAborted: aborted.Token);

        RpcException e = await ReadThrough(context, Failure(failure));

        Assert.Equal(StatusCode.Cancelled, e.StatusCode);
    }

    [Fact]
    public async Task A_reader_that_refuses_while_the_request_is_alive_is_still_a_host_error()
    {
        var context = new FakeServerCallContext(Method, callToken: CancellationToken.None, requestAborted: CancellationToken.None);

        RpcException e = await ReadThrough(context, Failure("refused"));

        Assert.Equal(StatusCode.Internal, e.StatusCode);
    }

    [Fact]
    public async Task A_cancel_the_host_asked_for_while_the_client_is_there_is_the_host_stopping()
    {
        var context = new FakeServerCallContext(Method, callToken: CancellationToken.None, requestAborted: CancellationToken.None);
        using var stopping = new CancellationTokenSource();
        stopping.Cancel();

        RpcException e = await ReadThrough(context, new OperationCanceledException(stopping.Token), stopping.Token);

        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
    }

    private static Exception Failure(string kind) => kind switch
    {
        "refused" => new InvalidOperationException("Can't read messages after the request is complete."),
        "cut" => new RpcException(new Status(StatusCode.Internal, "Incoming message cancelled.")),
        "io" => new IOException("The client reset the request stream."),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>Runs a client-streaming handler that reads once, through the interceptor, with a reader that throws.</summary>
    private static async Task<RpcException> ReadThrough(ServerCallContext context, Exception failure, CancellationToken serviceToken = default)
    {
        var interceptor = new ErrorMappingInterceptor(NullLogger<ErrorMappingInterceptor>.Instance);
        return await Assert.ThrowsAsync<RpcException>(() => interceptor.ClientStreamingServerHandler<string, string>(
            new ThrowingReader(failure), context,
            async (reader, _) => { await reader.MoveNext(serviceToken); return "read"; }));
    }

    private sealed class ThrowingReader(Exception failure) : IAsyncStreamReader<string>
    {
        public string Current => "";

        public Task<bool> MoveNext(CancellationToken cancellationToken) => Task.FromException<bool>(failure);
    }
}
