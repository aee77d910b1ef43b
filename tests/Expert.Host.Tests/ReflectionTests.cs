using Expert.Host.Tests.Infrastructure;
using Grpc.Core;
using Grpc.Reflection.V1Alpha;

namespace Expert.Host.Tests;

/// <summary>Server reflection lists the services, so grpcurl and Postman work without the proto files.</summary>
public sealed class ReflectionTests
{
    [Fact]
    public async Task Reflection_lists_the_expert_and_health_services_and_describes_the_contract()
    {
        await using var host = await new ExpertHostFactory().ReadyAsync();
        var reflection = new ServerReflection.ServerReflectionClient(host.CreateChannel());
        using AsyncDuplexStreamingCall<ServerReflectionRequest, ServerReflectionResponse> call = reflection.ServerReflectionInfo();

        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        Assert.True(await call.ResponseStream.MoveNext());
        string[] services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToArray();

        await call.RequestStream.WriteAsync(new ServerReflectionRequest { FileContainingSymbol = "steve2.expert.v1.OccupancyExpert" });
        Assert.True(await call.ResponseStream.MoveNext());
        var file = Google.Protobuf.Reflection.FileDescriptorProto.Parser.ParseFrom(
            call.ResponseStream.Current.FileDescriptorResponse.FileDescriptorProto[0]);
        await call.RequestStream.CompleteAsync();

        Assert.Contains("steve2.expert.v1.OccupancyExpert", services);
        Assert.Contains("grpc.health.v1.Health", services);
        Assert.Equal("steve2.expert.v1", file.Package);
        Assert.Equal(
            ["GenerateOccupancy", "GenerateOccupancyStream", "RenderOccupancy", "GetBuildOrder", "GetModelInfo"],
            file.Service.Single(s => s.Name == "OccupancyExpert").Method.Select(m => m.Name));
    }
}
