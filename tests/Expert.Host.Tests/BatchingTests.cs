using Expert.Host.Batching;
using Expert.Host.Tests.Infrastructure;
using Expert.Host.Tests.TestDoubles;
using Grpc.Core;
using Steve2.Expert.V1;

namespace Expert.Host.Tests;

/// <summary>The dynamic batcher: concurrent calls share model calls without changing anyone's result.</summary>
public sealed class BatchingTests
{
    private static GenerateOccupancyRequest Numbered(int i)
    {
        GenerateOccupancyRequest r = Requests.Generate($"building number {i}", seed: (ulong)(100 + i));
        r.Samples = (uint)(1 + i % 3);
        r.SkipRender = true;
        return r;
    }

    [Fact]
    public async Task Calls_waiting_behind_a_busy_model_go_in_one_batch_and_each_gets_its_own_result()
    {
        var settings = new Dictionary<string, string?> { ["Batching:MaxBatch"] = "8", ["Batching:BatchWindowMs"] = "0" };
        await using var host = await new ExpertHostFactory(new FakeOccupancyGenerator(gated: true), settings).ReadyAsync();
        OccupancyExpert.OccupancyExpertClient client = host.CreateExpertClient();
        GenerationBatcher batcher = host.Get<GenerationBatcher>();

        Task<GenerateOccupancyResponse> opener = client.GenerateOccupancyAsync(Numbered(0)).ResponseAsync;
        await Rpc.EventuallyAsync(() => host.Generator.Inside == 1, "the opener to hold the model");
        Task<GenerateOccupancyResponse>[] waiting = Enumerable.Range(1, 6).Select(i => client.GenerateOccupancyAsync(Numbered(i)).ResponseAsync).ToArray();
        await Rpc.EventuallyAsync(() => batcher.Waiting == 6, "six calls to wait");
        host.Generator.Release(2);
        GenerateOccupancyResponse[] responses = await Task.WhenAll([opener, .. waiting]);

        Assert.Equal(2, host.Generator.Calls);
        Assert.Equal([1, 6], host.Generator.BatchSizes);
        Assert.Equal([1u, 6u, 6u, 6u, 6u, 6u, 6u], responses.Select(r => r.BatchSize));
        for (int i = 0; i < responses.Length; i++)
        {
            IReadOnlyList<Expert.VqVae.Voxels.OccupancyGrid> expected = Requests.Expected(Numbered(i));
            Assert.Equal(expected[0], Requests.Decode(responses[i].Grid));
            Assert.Equal(expected.Count > 1 ? expected.Count : 0, responses[i].Samples.Count);
            for (int s = 0; s < responses[i].Samples.Count; s++)
                Assert.Equal(expected[s], Requests.Decode(responses[i].Samples[s].Grid));
        }
    }

    [Fact]
    public async Task Concurrent_calls_get_fewer_model_calls_and_the_same_results_as_unbatched()
    {
        const int Clients = 12;
        var batched = new Dictionary<string, string?> { ["Batching:MaxBatch"] = "8", ["Batching:BatchWindowMs"] = "20" };
        var unbatched = new Dictionary<string, string?> { ["Batching:MaxBatch"] = "1" };
        await using var many = await new ExpertHostFactory(new FakeOccupancyGenerator(delay: TimeSpan.FromMilliseconds(30)), batched).ReadyAsync();
        await using var one = await new ExpertHostFactory(settings: unbatched).ReadyAsync();

        OccupancyExpert.OccupancyExpertClient batchedClient = many.CreateExpertClient();
        GenerateOccupancyResponse[] together = await Task.WhenAll(
            Enumerable.Range(0, Clients).Select(i => batchedClient.GenerateOccupancyAsync(Numbered(i)).ResponseAsync));
        OccupancyExpert.OccupancyExpertClient aloneClient = one.CreateExpertClient();
        var alone = new List<GenerateOccupancyResponse>();
        for (int i = 0; i < Clients; i++) alone.Add(await aloneClient.GenerateOccupancyAsync(Numbered(i)));

        Assert.True(many.Generator.Calls < Clients, $"{Clients} concurrent calls made {many.Generator.Calls} model calls");
        Assert.Contains(together, r => r.BatchSize > 1);
        Assert.All(one.Generator.BatchSizes, size => Assert.Equal(1, size));
        for (int i = 0; i < Clients; i++)
        {
            Assert.Equal(alone[i].Grid, together[i].Grid);
            Assert.Equal(alone[i].Samples, together[i].Samples);
        }
    }

    [Fact]
    public async Task A_request_that_fails_the_model_fails_alone_and_its_batch_mates_succeed()
    {
        var settings = new Dictionary<string, string?> { ["Batching:MaxBatch"] = "8", ["Batching:BatchWindowMs"] = "0" };
        await using var host = await new ExpertHostFactory(new FakeOccupancyGenerator(gated: true), settings).ReadyAsync();
        OccupancyExpert.OccupancyExpertClient client = host.CreateExpertClient();
        GenerationBatcher batcher = host.Get<GenerationBatcher>();

        Task<GenerateOccupancyResponse> opener = client.GenerateOccupancyAsync(Numbered(0)).ResponseAsync;
        await Rpc.EventuallyAsync(() => host.Generator.Inside == 1, "the opener to hold the model");
        Task<GenerateOccupancyResponse> good1 = client.GenerateOccupancyAsync(Numbered(1)).ResponseAsync;
        Task<GenerateOccupancyResponse> bad = client.GenerateOccupancyAsync(Requests.Generate(FakeOccupancyGenerator.FailingDescription)).ResponseAsync;
        Task<GenerateOccupancyResponse> good2 = client.GenerateOccupancyAsync(Numbered(2)).ResponseAsync;
        await Rpc.EventuallyAsync(() => batcher.Waiting == 3, "three calls to wait");
        host.Generator.Release(100);

        await opener;
        RpcException e = await Rpc.FailsAsync(() => bad);
        Assert.Equal(StatusCode.Internal, e.StatusCode);
        Assert.DoesNotContain("test double", e.Status.Detail); // no internals leak to the caller
        Assert.Equal(Requests.Expected(Numbered(1))[0], Requests.Decode((await good1).Grid));
        Assert.Equal(Requests.Expected(Numbered(2))[0], Requests.Decode((await good2).Grid));
        Assert.Equal([1, 3, 1, 1, 1], host.Generator.BatchSizes);
        Assert.Contains(host.Logs.Entries, l => l.EventId.Id == 21 && Equals(l.Fields["BatchSize"], 3));
    }
}
