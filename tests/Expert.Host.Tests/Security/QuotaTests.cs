using Expert.Host.Security;
using Expert.Host.Tests.DynamicMap;
using Expert.Host.Tests.Infrastructure;
using Google.Rpc;
using Grpc.Core;
using Wire = Steve2.Expert.V1;

namespace Expert.Host.Tests.Security;

/// <summary>Per-principal quotas: RESOURCE_EXHAUSTED with ErrorInfo and RetryInfo, and other principals unaffected.</summary>
public sealed class QuotaTests
{
    [Fact]
    public async Task Open_episodes_per_principal_are_capped_a_retry_of_an_open_one_passes_and_others_are_unaffected()
    {
        await using var host = new SecureHost(new Dictionary<string, string?> { ["Security:Quotas:MaxOpenEpisodesPerPrincipal"] = "2" });
        var alice = host.Maps(SecureHost.AliceKey);
        await alice.OpenEpisodeAsync(new Wire.OpenEpisodeRequest { EpisodeId = "1" });
        await alice.OpenEpisodeAsync(new Wire.OpenEpisodeRequest { EpisodeId = "2" });

        RpcException third = await Rpc.FailsAsync(() => alice.OpenEpisodeAsync(new Wire.OpenEpisodeRequest { EpisodeId = "3" }).ResponseAsync);
        await alice.OpenEpisodeAsync(new Wire.OpenEpisodeRequest { EpisodeId = "2" }); // a retry
        await host.Maps(SecureHost.BobKey).OpenEpisodeAsync(new Wire.OpenEpisodeRequest { EpisodeId = "1" });
        await alice.CloseEpisodeAsync(new Wire.CloseEpisodeRequest { EpisodeId = "1" });
        await alice.OpenEpisodeAsync(new Wire.OpenEpisodeRequest { EpisodeId = "3" }); // a closed one frees its place

        AssertQuotaRefusal(third, "MaxOpenEpisodesPerPrincipal");
    }

    [Fact]
    public async Task Calls_in_flight_per_principal_are_capped_while_a_stream_is_open_and_others_are_unaffected()
    {
        await using var host = new SecureHost(new Dictionary<string, string?> { ["Security:Quotas:MaxRequestsInFlightPerPrincipal"] = "1" });
        var alice = host.Maps(SecureHost.AliceKey);
        await alice.OpenEpisodeAsync(new Wire.OpenEpisodeRequest { EpisodeId = "w" });
        using (var watch = alice.WatchMap(new Wire.WatchMapRequest { EpisodeId = "w" }))
        {
            await watch.ResponseHeadersAsync; // in flight until cancelled

            RpcException second = await Rpc.FailsAsync(() => alice.ListEpisodesAsync(new Wire.ListEpisodesRequest()).ResponseAsync);
            await host.Maps(SecureHost.BobKey).ListEpisodesAsync(new Wire.ListEpisodesRequest());

            AssertQuotaRefusal(second, "MaxRequestsInFlightPerPrincipal");
        }
        await Rpc.EventuallyAsync(() =>
        {
            try
            {
                alice.ListEpisodes(new Wire.ListEpisodesRequest());
                return true;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.ResourceExhausted)
            {
                return false;
            }
        }, "the closed watch to free its place");
    }

    private static void AssertQuotaRefusal(RpcException e, string quota)
    {
        Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
        Google.Rpc.Status status = e.GetRpcStatus() ?? throw new Xunit.Sdk.XunitException("No google.rpc.Status.");
        ErrorInfo info = status.GetDetail<ErrorInfo>() ?? throw new Xunit.Sdk.XunitException("No ErrorInfo.");
        RetryInfo retry = status.GetDetail<RetryInfo>() ?? throw new Xunit.Sdk.XunitException("No RetryInfo.");
        Assert.Equal(QuotaStatus.Reason, info.Reason);
        Assert.Equal(quota, info.Metadata["quota"]);
        Assert.True(retry.RetryDelay.ToTimeSpan() > TimeSpan.Zero);
    }
}
