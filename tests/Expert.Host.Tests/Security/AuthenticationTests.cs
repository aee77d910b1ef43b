using Expert.Host.Tests.Infrastructure;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;
using Wire = Steve2.Expert.V1;

namespace Expert.Host.Tests.Security;

/// <summary>Who gets in: API keys (header or authorization scheme), JWT bearer tokens, roles; health and reflection stay anonymous.</summary>
public sealed class AuthenticationTests
{
    [Fact]
    public async Task Without_a_key_or_with_a_wrong_one_calls_are_UNAUTHENTICATED_and_a_valid_key_gets_through()
    {
        await using var host = new SecureHost();
        await host.Factory.ReadyAsync();

        RpcException none = await Rpc.FailsAsync(() => new Wire.OccupancyExpert.OccupancyExpertClient(host.Channel()).GenerateOccupancyAsync(Requests.Generate()).ResponseAsync);
        RpcException noneMap = await Rpc.FailsAsync(() => new Wire.DynamicMapExpert.DynamicMapExpertClient(host.Channel())
            .OpenEpisodeAsync(new Wire.OpenEpisodeRequest { EpisodeId = "e" }).ResponseAsync);
        RpcException wrong = await Rpc.FailsAsync(() => host.Occupancy("not-a-key").GenerateOccupancyAsync(Requests.Generate()).ResponseAsync);
        RpcException wrongScheme = await Rpc.FailsAsync(() => new Wire.DynamicMapExpert.DynamicMapExpertClient(host.Channel(("authorization", "ApiKey not-a-key")))
            .ListEpisodesAsync(new Wire.ListEpisodesRequest()).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, none.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, noneMap.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, wrong.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, wrongScheme.StatusCode);
        Assert.Equal(0, host.Factory.Generator.Calls);

        Wire.GenerateOccupancyResponse ok = await host.Occupancy(SecureHost.AliceKey).GenerateOccupancyAsync(Requests.Generate());
        Assert.Equal(Requests.Expected(Requests.Generate())[0], Requests.Decode(ok.Grid));
        Wire.EpisodeInfo opened = await new Wire.DynamicMapExpert.DynamicMapExpertClient(host.Channel(("authorization", "ApiKey " + SecureHost.BobKey)))
            .OpenEpisodeAsync(new Wire.OpenEpisodeRequest { EpisodeId = "by-header" });
        Assert.Equal("by-header", opened.EpisodeId);
    }

    [Fact]
    public async Task A_principal_without_the_role_is_PERMISSION_DENIED_and_admin_holds_every_role()
    {
        await using var host = new SecureHost();
        await host.Factory.ReadyAsync();

        RpcException bobGenerates = await Rpc.FailsAsync(() => host.Occupancy(SecureHost.BobKey).GetModelInfoAsync(new Wire.GetModelInfoRequest()).ResponseAsync);
        RpcException readerMaps = await Rpc.FailsAsync(() => host.Maps(SecureHost.ReaderKey).ListEpisodesAsync(new Wire.ListEpisodesRequest()).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, bobGenerates.StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, readerMaps.StatusCode);
        await host.Occupancy(SecureHost.ReaderKey).GetModelInfoAsync(new Wire.GetModelInfoRequest());
        await host.Occupancy(SecureHost.RootKey).GetModelInfoAsync(new Wire.GetModelInfoRequest());
        await host.Maps(SecureHost.RootKey).ListEpisodesAsync(new Wire.ListEpisodesRequest());
    }

    [Fact]
    public async Task Health_and_reflection_answer_anonymous_callers()
    {
        await using var host = new SecureHost();
        await host.Factory.ReadyAsync();

        HealthCheckResponse health = await new global::Grpc.Health.V1.Health.HealthClient(host.Channel()).CheckAsync(new HealthCheckRequest());
        var reflection = new ServerReflection.ServerReflectionClient(host.Channel());
        using AsyncDuplexStreamingCall<ServerReflectionRequest, ServerReflectionResponse> call = reflection.ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        Assert.True(await call.ResponseStream.MoveNext());
        string[] services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToArray();
        await call.RequestStream.CompleteAsync();

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        Assert.Contains("steve2.expert.v1.DynamicMapExpert", services);
    }

    [Fact]
    public async Task A_JWT_signed_with_the_configured_key_is_accepted_with_its_roles_and_a_bad_one_is_UNAUTHENTICATED()
    {
        await using var host = new SecureHost();
        await host.Factory.ReadyAsync();
        Wire.DynamicMapExpert.DynamicMapExpertClient Bearer(string token) => new(host.Channel(("authorization", "Bearer " + token)));

        Wire.EpisodeInfo opened = await Bearer(SecureHost.Token("carol", ["maps"])).OpenEpisodeAsync(new Wire.OpenEpisodeRequest { EpisodeId = "jwt-1" });
        RpcException noRole = await Rpc.FailsAsync(() => new Wire.OccupancyExpert.OccupancyExpertClient(host.Channel(("authorization", "Bearer " + SecureHost.Token("carol", ["maps"]))))
            .GetModelInfoAsync(new Wire.GetModelInfoRequest()).ResponseAsync);
        RpcException otherAudience = await Rpc.FailsAsync(() => Bearer(SecureHost.Token("carol", ["maps"], audience: "someone-else"))
            .ListEpisodesAsync(new Wire.ListEpisodesRequest()).ResponseAsync);
        RpcException otherKey = await Rpc.FailsAsync(() => Bearer(SecureHost.Token("carol", ["maps"], signingKey: new byte[32]))
            .ListEpisodesAsync(new Wire.ListEpisodesRequest()).ResponseAsync);
        RpcException nameless = await Rpc.FailsAsync(() => Bearer(SecureHost.Token("", ["maps", "admin"]))
            .ListEpisodesAsync(new Wire.ListEpisodesRequest()).ResponseAsync);
        Wire.ListEpisodesResponse carolSees = await Bearer(SecureHost.Token("carol", ["maps"])).ListEpisodesAsync(new Wire.ListEpisodesRequest());
        Wire.ListEpisodesResponse bobSees = await host.Maps(SecureHost.BobKey).ListEpisodesAsync(new Wire.ListEpisodesRequest());

        Assert.Equal("jwt-1", opened.EpisodeId);
        Assert.Equal(StatusCode.PermissionDenied, noRole.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, otherAudience.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, otherKey.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, nameless.StatusCode);
        Assert.Equal(["jwt-1"], carolSees.Episodes.Select(e => e.EpisodeId));
        Assert.Empty(bobSees.Episodes);
    }
}
