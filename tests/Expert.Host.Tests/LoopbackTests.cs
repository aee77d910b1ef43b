using Expert.Host.Health;
using Expert.Host.Tests.Infrastructure;
using Expert.Host.Tests.TestDoubles;
using Grpc.Core;
using Steve2.Expert.V1;

namespace Expert.Host.Tests;

/// <summary>The host over a real socket: Kestrel on 127.0.0.1, HTTP/2 without TLS, a Grpc.Net.Client channel.</summary>
public sealed class LoopbackTests
{
    [Fact]
    public async Task Serves_GenerateOccupancy_health_and_deadlines_over_real_loopback_h2c()
    {
        await using ExpertHostFactory host = await ExpertHostFactory.OnLoopback().ReadyAsync();
        string address = host.LoopbackAddress();
        Assert.StartsWith("http://127.0.0.1:", address);
        Assert.DoesNotContain(":5080", address);

        GenerateOccupancyResponse response = await host.CreateExpertClient().GenerateOccupancyAsync(Requests.Generate());
        var probeOutput = new StringWriter();
        int probeExit = await HealthProbe.RunAsync([HealthProbe.Command, address], probeOutput);
        int deadProbeExit = await HealthProbe.RunAsync([HealthProbe.Command, "http://127.0.0.1:1"], new StringWriter());

        Assert.Equal(Requests.Expected(Requests.Generate())[0], Requests.Decode(response.Grid));
        Assert.Equal(4, response.Views.Count);
        Assert.Equal(0, probeExit);
        Assert.Contains("Serving", probeOutput.ToString());
        Assert.Equal(1, deadProbeExit);

        // A deadline over the socket: DEADLINE_EXCEEDED, and the model call sees the cancel. The deadline is long enough
        // for the call to reach the (hanging) model on a loaded machine; at 300 ms it could expire before, and then no
        // model call ever ran to see it.
        RpcException late = await Rpc.FailsAsync(() => host.CreateExpertClient()
            .GenerateOccupancyAsync(Requests.Generate(FakeOccupancyGenerator.HangingDescription), deadline: DateTime.UtcNow.AddSeconds(2)).ResponseAsync);
        Assert.Equal(StatusCode.DeadlineExceeded, late.StatusCode);
        await Rpc.EventuallyAsync(() => host.Generator.CancellationsSeen == 1, "the model call to see the deadline");
    }
}
