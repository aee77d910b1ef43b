using Expert.Host.Tests.Infrastructure;
using Expert.Host.Tests.TestDoubles;
using Grpc.Core;
using Grpc.Health.V1;
using HealthClient = Grpc.Health.V1.Health.HealthClient;
using Grpc.Reflection.V1Alpha;
using Wire = Steve2.Expert.V1;

namespace Expert.Host.Tests.DynamicMap;

/// <summary>The map service beside OccupancyExpert: listed by reflection, independent of the model, health unchanged.</summary>
public sealed class MapHostingTests : IDisposable
{
    private readonly MapFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Reflection_lists_the_map_service_with_its_rpcs()
    {
        await using var host = MapHost.Start(_folder.Path);
        var reflection = new ServerReflection.ServerReflectionClient(host.Factory.CreateChannel());
        using var call = reflection.ServerReflectionInfo();

        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        Assert.True(await call.ResponseStream.MoveNext());
        string[] services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToArray();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { FileContainingSymbol = "steve2.expert.v1.DynamicMapExpert" });
        Assert.True(await call.ResponseStream.MoveNext());
        var file = Google.Protobuf.Reflection.FileDescriptorProto.Parser.ParseFrom(call.ResponseStream.Current.FileDescriptorResponse.FileDescriptorProto[0]);
        await call.RequestStream.CompleteAsync();

        Assert.Contains("steve2.expert.v1.DynamicMapExpert", services);
        Assert.Contains("steve2.expert.v1.OccupancyExpert", services);
        Assert.Equal(
            ["OpenEpisode", "CloseEpisode", "ListEpisodes", "Observe", "ObserveBatch", "GetMap", "GetFrontiers", "MarkFrontierUnreachable",
             "LocateTargets", "NameLandmark", "ListAgents", "RenderMap", "DescribeMap", "WatchMap"],
            file.Service.Single(s => s.Name == "DynamicMapExpert").Method.Select(m => m.Name));
    }

    [Fact]
    public async Task Maps_are_served_while_the_model_is_still_loading_and_health_is_unchanged()
    {
        var loader = new FakeGeneratorFactory(new FakeOccupancyGenerator()).HoldLoading();
        await using var factory = new ExpertHostFactory(loader: loader, settings: new Dictionary<string, string?> { ["Map:DataDirectory"] = _folder.Path });
        var maps = new Wire.DynamicMapExpert.DynamicMapExpertClient(factory.CreateChannel());
        var health = new HealthClient(factory.CreateChannel());

        await maps.OpenEpisodeAsync(new Wire.OpenEpisodeRequest { EpisodeId = "early" });
        Wire.BatchResult result = await maps.ObserveBatchAsync(MapWire.Batch("early", "1", MapWire.Packed("scout", 1, 0, 0, radius: 4)));
        HealthCheckResponse whileLoading = await health.CheckAsync(new HealthCheckRequest { Service = "steve2.expert.v1.OccupancyExpert" });
        RpcException unknownService = await Rpc.FailsAsync(() => health.CheckAsync(new HealthCheckRequest { Service = "steve2.expert.v1.DynamicMapExpert" }).ResponseAsync);
        loader.FinishLoading();

        Assert.True(result.Applied);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, whileLoading.Status);
        Assert.Equal(StatusCode.NotFound, unknownService.StatusCode); // health names only "" and OccupancyExpert, as before
    }
}
