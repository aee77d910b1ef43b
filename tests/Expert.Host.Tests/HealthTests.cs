using Expert.Host.Tests.Infrastructure;
using Expert.Host.Tests.TestDoubles;
using Grpc.Core;
using Grpc.Health.V1;
using Steve2.Expert.V1;
using HealthClient = Grpc.Health.V1.Health.HealthClient;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Expert.Host.Tests;

/// <summary>grpc.health.v1 is NOT_SERVING until the model is loaded, then SERVING.</summary>
public sealed class HealthTests
{
    private static readonly string[] ServiceNames = ["", "steve2.expert.v1.OccupancyExpert"];

    [Fact]
    public async Task Not_serving_while_the_model_loads_then_serving()
    {
        var generator = new FakeOccupancyGenerator();
        await using var host = new ExpertHostFactory(generator, loader: new FakeGeneratorFactory(generator).HoldLoading());
        var health = new HealthClient(host.CreateChannel());

        foreach (string service in ServiceNames)
            Assert.Equal(ServingStatus.NotServing, (await health.CheckAsync(new HealthCheckRequest { Service = service })).Status);

        host.Loader.FinishLoading();
        await host.ReadyAsync();

        foreach (string service in ServiceNames)
            Assert.Equal(ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest { Service = service })).Status);
    }

    [Fact]
    public async Task Watch_reports_serving_soon_after_the_load()
    {
        var generator = new FakeOccupancyGenerator();
        await using var host = new ExpertHostFactory(generator, loader: new FakeGeneratorFactory(generator).HoldLoading());
        var health = new HealthClient(host.CreateChannel());
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using AsyncServerStreamingCall<HealthCheckResponse> watch =
            health.Watch(new HealthCheckRequest { Service = "steve2.expert.v1.OccupancyExpert" }, cancellationToken: cts.Token);

        Assert.True(await watch.ResponseStream.MoveNext());
        Assert.NotEqual(ServingStatus.Serving, watch.ResponseStream.Current.Status);
        host.Loader.FinishLoading();
        while (await watch.ResponseStream.MoveNext())
        {
            if (watch.ResponseStream.Current.Status == ServingStatus.Serving) return;
        }
        Assert.Fail("The watch ended without SERVING.");
    }

    [Fact]
    public async Task A_failed_load_stays_not_serving_and_calls_say_why()
    {
        var generator = new FakeOccupancyGenerator();
        var loader = new FakeGeneratorFactory(generator) { FailWith = new InvalidDataException("checkpoint truncated") };
        await using var host = new ExpertHostFactory(generator, loader: loader);
        var health = new HealthClient(host.CreateChannel());
        await Assert.ThrowsAsync<InvalidDataException>(() => host.Get<Expert.Host.Model.ModelHolder>().WhenLoaded);

        Assert.Equal(ServingStatus.NotServing, (await health.CheckAsync(new HealthCheckRequest())).Status);
        RpcException e = await Rpc.FailsAsync(() => host.CreateExpertClient().GenerateOccupancyAsync(Requests.Generate()).ResponseAsync);
        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
        Assert.Contains("checkpoint truncated", e.Status.Detail);
        Assert.Contains(host.Logs.Entries, l => l.Level == Microsoft.Extensions.Logging.LogLevel.Critical && l.Message.Contains("failed to load"));
    }
}
