using Expert.Host.Security;
using Expert.Host.Tests.DynamicMap;
using Expert.Host.Tests.Infrastructure;
using Google.Rpc;
using Grpc.Core;
using Wire = Steve2.Expert.V1;

namespace Expert.Host.Tests.Security;

/// <summary>Episodes belong to the principal that opened them: others get NOT_FOUND, an admin reaches all.</summary>
public sealed class OwnershipTests
{
    [Fact]
    public async Task Another_principal_cannot_read_observe_watch_or_delete_an_episode_and_gets_NOT_FOUND_naming_its_own_id()
    {
        await using var host = new SecureHost();
        var alice = host.Maps(SecureHost.AliceKey);
        var bob = host.Maps(SecureHost.BobKey);
        await alice.OpenEpisodeAsync(new Wire.OpenEpisodeRequest { EpisodeId = "ep-1" });
        await alice.ObserveBatchAsync(MapWire.Batch("ep-1", "1", MapWire.Packed("scout", 1, 0, 0, radius: 3)));

        var calls = new Dictionary<string, Func<Task>>
        {
            ["GetMap"] = () => bob.GetMapAsync(new Wire.GetMapRequest { EpisodeId = "ep-1", Region = MapWire.Around(0, 0, 4) }).ResponseAsync,
            ["DescribeMap"] = () => bob.DescribeMapAsync(new Wire.DescribeMapRequest { EpisodeId = "ep-1" }).ResponseAsync,
            ["ObserveBatch"] = () => bob.ObserveBatchAsync(MapWire.Batch("ep-1", "2", MapWire.Packed("spy", 2, 0, 0, radius: 3))).ResponseAsync,
            ["CloseEpisode"] = () => bob.CloseEpisodeAsync(new Wire.CloseEpisodeRequest { EpisodeId = "ep-1", Delete = true }).ResponseAsync,
            ["Observe"] = async () =>
            {
                using var observe = bob.Observe();
                await observe.RequestStream.WriteAsync(MapWire.Batch("ep-1", "3", MapWire.Packed("spy", 3, 0, 0, radius: 3)));
                await observe.RequestStream.CompleteAsync();
                await observe.ResponseAsync;
            },
            ["WatchMap"] = async () =>
            {
                using var watch = bob.WatchMap(new Wire.WatchMapRequest { EpisodeId = "ep-1" });
                await watch.ResponseStream.MoveNext(CancellationToken.None);
            },
        };
        foreach ((string rpc, Func<Task> call) in calls)
        {
            RpcException e = await Rpc.FailsAsync(call);
            Assert.True(e.StatusCode == StatusCode.NotFound, $"{rpc}: {e.Status}");
            if (e.GetRpcStatus()?.GetDetail<ResourceInfo>() is { } resource) Assert.Equal("ep-1", resource.ResourceName);
            Assert.DoesNotContain(EpisodeOwnership.ScopeOf("bob"), e.Status.Detail);
        }

        // Bob's own "ep-1" is another episode; alice's is untouched.
        Wire.EpisodeInfo bobs = await bob.OpenEpisodeAsync(new Wire.OpenEpisodeRequest { EpisodeId = "ep-1" });
        Wire.MapDescription aliceMap = await alice.DescribeMapAsync(new Wire.DescribeMapRequest { EpisodeId = "ep-1" });
        Wire.ListEpisodesResponse aliceList = await alice.ListEpisodesAsync(new Wire.ListEpisodesRequest { IncludeClosed = true });
        Wire.ListEpisodesResponse bobList = await bob.ListEpisodesAsync(new Wire.ListEpisodesRequest { IncludeClosed = true });
        Assert.Equal("ep-1", bobs.EpisodeId);
        Assert.Equal(1, aliceMap.Tick);
        Assert.Equal(["ep-1"], aliceList.Episodes.Select(e => e.EpisodeId));
        Assert.Equal(["ep-1"], bobList.Episodes.Select(e => e.EpisodeId));
        Assert.False(aliceList.Episodes[0].Closed);
    }

    [Fact]
    public async Task The_owner_watches_and_streams_by_its_own_id_and_the_host_assigns_ids_in_its_scope()
    {
        await using var host = new SecureHost();
        var alice = host.Maps(SecureHost.AliceKey);
        Wire.EpisodeInfo assigned = await alice.OpenEpisodeAsync(new Wire.OpenEpisodeRequest());
        using var watch = alice.WatchMap(new Wire.WatchMapRequest { EpisodeId = assigned.EpisodeId });
        await watch.ResponseHeadersAsync;
        using (var observe = alice.Observe())
        {
            await observe.RequestStream.WriteAsync(MapWire.Batch(assigned.EpisodeId, "1", MapWire.Packed("scout", 5, 0, 0, radius: 3)));
            await observe.RequestStream.CompleteAsync();
            Assert.Equal(1, (await observe.ResponseAsync).BatchesApplied);
        }
        Assert.True(await watch.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Matches("^[0-9a-f]{32}$", assigned.EpisodeId);
        Assert.Equal(assigned.EpisodeId, watch.ResponseStream.Current.EpisodeId);
        Assert.Contains(host.Factory.Get<Expert.Host.Maps.MapEpisodes>().Registry.List(), e => e.Id == EpisodeOwnership.ScopeOf("alice") + assigned.EpisodeId);
    }

    [Fact]
    public async Task Admin_lists_every_episode_by_stored_id_and_deletes_any_of_them()
    {
        await using var host = new SecureHost();
        var alice = host.Maps(SecureHost.AliceKey);
        var root = host.Maps(SecureHost.RootKey);
        await alice.OpenEpisodeAsync(new Wire.OpenEpisodeRequest { EpisodeId = "a-1" });
        await host.Maps(SecureHost.BobKey).OpenEpisodeAsync(new Wire.OpenEpisodeRequest { EpisodeId = "b-1" });
        await root.OpenEpisodeAsync(new Wire.OpenEpisodeRequest { EpisodeId = "mine" });

        string[] all = (await root.ListEpisodesAsync(new Wire.ListEpisodesRequest())).Episodes.Select(e => e.EpisodeId).ToArray();
        string alices = EpisodeOwnership.ScopeOf("alice") + "a-1";
        Wire.MapDescription read = await root.DescribeMapAsync(new Wire.DescribeMapRequest { EpisodeId = alices });
        await root.CloseEpisodeAsync(new Wire.CloseEpisodeRequest { EpisodeId = alices, Delete = true });
        RpcException gone = await Rpc.FailsAsync(() => alice.DescribeMapAsync(new Wire.DescribeMapRequest { EpisodeId = "a-1" }).ResponseAsync);

        Assert.Equal(3, all.Length);
        Assert.Contains(alices, all);
        Assert.Contains(EpisodeOwnership.ScopeOf("bob") + "b-1", all);
        Assert.Contains("mine", all); // the admin's own, as it knows it
        Assert.NotNull(read.Text);
        Assert.Equal(StatusCode.NotFound, gone.StatusCode);
        Assert.Empty((await alice.ListEpisodesAsync(new Wire.ListEpisodesRequest())).Episodes);
    }

    [Fact]
    public async Task An_authenticated_client_id_longer_than_the_scope_leaves_is_INVALID_ARGUMENT_on_episode_id()
    {
        await using var host = new SecureHost();
        RpcException e = await Rpc.FailsAsync(() => host.Maps(SecureHost.AliceKey)
            .OpenEpisodeAsync(new Wire.OpenEpisodeRequest { EpisodeId = new string('x', EpisodeOwnership.MaxClientIdLength + 1) }).ResponseAsync);
        await host.Maps(SecureHost.AliceKey).OpenEpisodeAsync(new Wire.OpenEpisodeRequest { EpisodeId = new string('x', EpisodeOwnership.MaxClientIdLength) });

        Assert.Equal(["episode_id"], Rpc.ViolatedFields(e));
    }

    [Fact]
    public void Owner_scopes_differ_by_principal_and_fit_the_library_id_pattern()
    {
        string[] scopes = Enumerable.Range(0, 1000).Select(i => EpisodeOwnership.ScopeOf($"principal-{i}")).ToArray();
        Assert.Equal(scopes.Length, scopes.Distinct().Count());
        Assert.All(scopes, s => Assert.Matches("^[A-Za-z0-9]{9}\\.$", s));
        Assert.Equal(EpisodeOwnership.ScopeOf("alice"), EpisodeOwnership.ScopeOf("alice"));
    }
}
