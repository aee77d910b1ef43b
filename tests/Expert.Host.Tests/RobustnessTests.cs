using Expert.Host.Tests.Infrastructure;
using Grpc.Core;
using Steve2.Expert.V1;

namespace Expert.Host.Tests;

/// <summary>No input crashes the host: undecodable and oversized messages are refused, and it keeps serving.</summary>
public sealed class RobustnessTests
{
    private static readonly Marshaller<byte[]> Raw = Marshallers.Create(b => b, b => b);

    private static readonly Method<byte[], byte[]> RawRender = new(
        MethodType.Unary, "steve2.expert.v1.OccupancyExpert", "RenderOccupancy", Raw, Raw);

    [Fact]
    public async Task Garbage_and_oversized_messages_are_refused_and_the_host_keeps_serving()
    {
        await using var host = await new ExpertHostFactory().ReadyAsync();
        CallInvoker invoker = host.CreateChannel().CreateCallInvoker();

        RpcException garbage = await Rpc.FailsAsync(() =>
            invoker.AsyncUnaryCall(RawRender, null, new CallOptions(), [0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x22]).ResponseAsync);
        RpcException huge = await Rpc.FailsAsync(() =>
            invoker.AsyncUnaryCall(RawRender, null, new CallOptions(), new byte[9 * 1024 * 1024]).ResponseAsync);
        GenerateOccupancyResponse ok = await host.CreateExpertClient().GenerateOccupancyAsync(Requests.Generate());

        Assert.NotEqual(StatusCode.OK, garbage.StatusCode);
        Assert.Equal(StatusCode.ResourceExhausted, huge.StatusCode);
        Assert.Equal(32u, ok.Grid.SizeX);
    }
}
