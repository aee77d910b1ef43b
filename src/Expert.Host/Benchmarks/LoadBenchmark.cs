using System.Diagnostics;
using System.Globalization;
using Grpc.Net.Client;
using Steve2.Expert.V1;

namespace Expert.Host.Benchmarks;

/// <summary>Latency percentiles and throughput of one load level.</summary>
internal sealed record LoadLevel(int Clients, int Requests, double P50Ms, double P95Ms, double MaxMs, double RequestsPerSecond, double MeanBatchSize);

/// <summary>
/// <c>dotnet Expert.Host.dll bench [address] [--clients 1,8] [--requests 96] [--host-pid N]</c>:
/// a load benchmark over real gRPC against a running host. For each client count it sends
/// GenerateOccupancy calls with the default four views (each client waits for its answer before
/// the next call) and prints p50 / p95 latency, throughput, the mean batch size the host reports,
/// and, with --host-pid, the host's peak resident memory (VmHWM). 96 requests by default: with 8
/// clients the first and last rounds run part-full batches, which at 40 requests (5 a client) was
/// a large share of the run and the throughput figure (1.95-2.19x against 2.8x at 96, same build).
/// </summary>
internal static class LoadBenchmark
{
    public const string Command = "bench";
    public const string Usage = "bench [address] [--clients 1,8] [--requests 96] [--host-pid N] | bench [address] --mixed [--clients 8] [--light-clients 8] [--duration 30] [--heavy-deadline 5] [--light-deadline 2] [--idle 30] [--host-pid N] | bench [address] --render-grid 256 [--clients 100] [--duration 30] [--idle 30] [--host-pid N]";
    public const string Summary = "load benchmark: GenerateOccupancy p50 / p95 latency and throughput per client count over gRPC, the mean batch size, and with --host-pid the host's peak RSS";

    public static async Task<int> RunAsync(string[] args, TextWriter? output = null)
    {
        output ??= Console.Out;
        string address = "http://127.0.0.1:5080";
        int[] clientCounts = [1, 8];
        int requests = 96;
        int? hostPid = null;
        bool mixed = args.Contains("--mixed") || args.Contains("--render-grid");
        for (int i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--mixed": break;
                case "--render-grid" or "--light-clients" or "--duration" or "--heavy-deadline" or "--light-deadline" or "--idle": i++; break;
                case "--clients" when mixed: i++; break;
                case "--clients": clientCounts = args[++i].Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray(); break;
                case "--requests": requests = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--host-pid": hostPid = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                default: address = args[i]; break;
            }
        }

        using GrpcChannel channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { MaxReceiveMessageSize = 64 * 1024 * 1024 });
        var client = new OccupancyExpert.OccupancyExpertClient(channel);
        GetModelInfoResponse info = await client.GetModelInfoAsync(new GetModelInfoRequest());
        if (!info.Ready)
        {
            await output.WriteLineAsync($"{address}: the model is not ready ({info.StatusMessage}).");
            return 1;
        }
        await output.WriteLineAsync(
            $"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.MachineName}, {Environment.ProcessorCount} cores; model {info.ModelVersion} on {info.Device}; " +
            $"GenerateOccupancy with {info.DefaultViews.Count} views of {info.DefaultRenderSize} px, max batch {info.MaxBatch}");
        await MeasureAsync(client, clients: 1, requests: 3, CancellationToken.None); // warm up
        if (args.Contains("--render-grid")) return await RenderLoadBenchmark.RunAsync(client, args, hostPid, output);
        if (mixed) return await MixedLoadBenchmark.RunAsync(client, args, hostPid, output);

        await output.WriteLineAsync("| clients | requests | p50 ms | p95 ms | max ms | req/s | x one client | mean batch |" + (hostPid is null ? "" : " host peak RSS MB |"));
        await output.WriteLineAsync("|---:|---:|---:|---:|---:|---:|---:|---:|" + (hostPid is null ? "" : "---:|"));
        double? single = null;
        foreach (int clients in clientCounts)
        {
            LoadLevel level = await MeasureAsync(client, clients, Math.Max(requests, clients), CancellationToken.None);
            single ??= level.RequestsPerSecond;
            string rss = hostPid is { } pid ? $" {PeakResidentMegabytes(pid):F0} |" : "";
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"| {level.Clients} | {level.Requests} | {level.P50Ms:F1} | {level.P95Ms:F1} | {level.MaxMs:F1} | {level.RequestsPerSecond:F2} | {level.RequestsPerSecond / single.Value:F2} | {level.MeanBatchSize:F2} |{rss}"));
        }
        return 0;
    }

    /// <summary>Sends <paramref name="requests"/> calls from <paramref name="clients"/> concurrent callers.</summary>
    /// <param name="render">False measures the model and the batcher alone (skip_render).</param>
    public static async Task<LoadLevel> MeasureAsync(
        OccupancyExpert.OccupancyExpertClient client, int clients, int requests, CancellationToken cancellationToken, bool render = true)
    {
        var latencies = new double[requests];
        var batchSizes = new uint[requests];
        int next = -1;
        long started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            for (int i = Interlocked.Increment(ref next); i < requests; i = Interlocked.Increment(ref next))
            {
                var request = new GenerateOccupancyRequest
                {
                    Description = Descriptions[i % Descriptions.Length],
                    Seed = (ulong)i,
                    SkipRender = !render,
                };
                long t = Stopwatch.GetTimestamp();
                GenerateOccupancyResponse response = await client.GenerateOccupancyAsync(request, cancellationToken: cancellationToken);
                latencies[i] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
                batchSizes[i] = response.BatchSize;
            }
        }));
        double wall = Stopwatch.GetElapsedTime(started).TotalSeconds;
        Array.Sort(latencies);
        return new LoadLevel(clients, requests, Percentile(latencies, 0.50), Percentile(latencies, 0.95), latencies[^1],
            requests / wall, batchSizes.Average(b => (double)b));
    }

    private static readonly string[] Descriptions =
    [
        "a tall stone tower with a flat roof",
        "a small wooden house with a pitched roof",
        "a symmetric five-storey pagoda with overhanging eaves",
        "a low wide pyramid",
        "a wall with a gate in the middle",
        "an arched bridge",
        "a lighthouse",
        "a well",
    ];

    private static double Percentile(double[] sorted, double q) => sorted[(int)Math.Clamp(Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static double PeakResidentMegabytes(int pid)
    {
        foreach (string line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
        }
        return double.NaN;
    }
}
