using Expert.Host.Benchmarks;
using Expert.Host.Tests.Infrastructure;
using Expert.Host.Tests.TestDoubles;

namespace Expert.Host.Tests;

/// <summary>The load benchmark measures what it claims, and batching pays off under concurrent load.</summary>
public sealed class LoadBenchmarkTests
{
    [Fact]
    public async Task Eight_clients_get_at_least_twice_the_throughput_of_one_through_batching()
    {
        // A model call costs 60 ms whatever its batch size, as a batched forward pass roughly does.
        await using var host = await new ExpertHostFactory(new FakeOccupancyGenerator(delay: TimeSpan.FromMilliseconds(60))).ReadyAsync();
        var client = host.CreateExpertClient();

        LoadLevel one = await LoadBenchmark.MeasureAsync(client, clients: 1, requests: 8, CancellationToken.None, render: false);
        LoadLevel eight = await LoadBenchmark.MeasureAsync(client, clients: 8, requests: 32, CancellationToken.None, render: false);

        Assert.Equal(1.0, one.MeanBatchSize);
        Assert.True(one.P50Ms >= 60, $"p50 {one.P50Ms} ms must include the 60 ms model call");
        Assert.True(one.P50Ms <= one.P95Ms && one.P95Ms <= one.MaxMs);
        Assert.True(eight.MeanBatchSize > 1.5, $"mean batch {eight.MeanBatchSize}");
        // Throughput itself is a benchmark figure (src/Expert.Host/README.md), not asserted here: these
        // machines are shared and noisy. Batching is what makes it scale, and that is deterministic enough.
        Assert.True(host.Generator.Calls < 8 + 32, $"{host.Generator.Calls} model calls for 40 requests");
    }
}
