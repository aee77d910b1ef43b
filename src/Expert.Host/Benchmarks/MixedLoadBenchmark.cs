using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Google.Rpc;
using Grpc.Core;
using Steve2.Expert.V1;

namespace Expert.Host.Benchmarks;

/// <summary>What one class of requests got in the mixed scenario.</summary>
internal sealed record MixedClassResult(
    string Name, int Sent, int Succeeded, int Refused, int DeadlineExceeded, int OtherErrors,
    double RefusalP50Ms, double RefusalP95Ms, double LatencyP50Ms, double LatencyP95Ms, double SucceededPerSecond);

/// <summary>
/// <c>bench [address] --mixed [--clients 8] [--light-clients 8] [--duration 30] [--heavy-deadline 5]
/// [--light-deadline 2] [--idle 30] [--host-pid N]</c> (issue 12): heavy requests (8 samples, 6 views
/// at 1024 px, build order) and light ones (the defaults: 1 sample, 4 views at 256 px) from
/// concurrent clients, each with its deadline, for a fixed time. A refused client waits the
/// RetryInfo delay it was given (at most 1 s) before its next call, as a polite client would. First
/// the host's capacity for heavy requests is measured (2 clients, no deadline, 8 requests, retrying
/// after RetryInfo when refused); then per
/// class: successes, RESOURCE_EXHAUSTED and how fast they came (p50 / p95 time to refusal),
/// DEADLINE_EXCEEDED, latency of the successes, successes a second against the capacity; with
/// --host-pid the host's peak RSS (VmHWM) and its RSS after --idle seconds without calls.
/// </summary>
internal static class MixedLoadBenchmark
{
    private static readonly string[] HeavyViews = ["front", "side", "top", "isometric", "back", "isometric-back"];

    public static async Task<int> RunAsync(OccupancyExpert.OccupancyExpertClient client, string[] args, int? hostPid, TextWriter output)
    {
        int heavyClients = 8, lightClients = -1, idleSeconds = 30;
        double duration = 30, heavyDeadline = 5, lightDeadline = 2;
        for (int i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--clients": heavyClients = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--light-clients": lightClients = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--duration": duration = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--heavy-deadline": heavyDeadline = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--light-deadline": lightDeadline = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--idle": idleSeconds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
            }
        }
        if (lightClients < 0) lightClients = heavyClients;

        // Warm up both kinds, then the capacity for heavy requests: 2 clients, no deadline.
        await client.GenerateOccupancyAsync(Heavy(0));
        await client.GenerateOccupancyAsync(Light(0));
        long capStart = Stopwatch.GetTimestamp();
        int capNext = -1;
        await Task.WhenAll(Enumerable.Range(0, 2).Select(async _ =>
        {
            for (int i = Interlocked.Increment(ref capNext); i < 8; i = Interlocked.Increment(ref capNext))
            {
                while (true)
                {
                    try
                    {
                        await client.GenerateOccupancyAsync(Heavy(i));
                        break;
                    }
                    catch (RpcException e) when (e.StatusCode == StatusCode.ResourceExhausted)
                    {
                        await Task.Delay(e.GetRpcStatus()?.GetDetail<RetryInfo>()?.RetryDelay?.ToTimeSpan() ?? TimeSpan.FromMilliseconds(200));
                    }
                }
            }
        }));
        double capacity = 8 / Stopwatch.GetElapsedTime(capStart).TotalSeconds;
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Heavy capacity (2 clients, no deadline, 8 requests): {capacity:F2} requests/s. Mixed run: {heavyClients} heavy clients " +
            $"(8 samples, 6 views at 1024 px, build order, deadline {heavyDeadline} s) and {lightClients} light clients (defaults, deadline {lightDeadline} s) for {duration} s."));

        var heavy = new Tally();
        var light = new Tally();
        DateTime end = DateTime.UtcNow.AddSeconds(duration);
        long started = Stopwatch.GetTimestamp();
        var tasks = Enumerable.Range(0, heavyClients).Select(c => ClientLoopAsync(client, heavy, Heavy, heavyDeadline, end, c))
            .Concat(Enumerable.Range(0, lightClients).Select(c => ClientLoopAsync(client, light, Light, lightDeadline, end, 1000 + c)));
        await Task.WhenAll(tasks);
        double wall = Stopwatch.GetElapsedTime(started).TotalSeconds;

        await output.WriteLineAsync("| class | sent | ok | RESOURCE_EXHAUSTED | refusal p50 / p95 ms | DEADLINE_EXCEEDED | other | latency p50 / p95 ms | ok/s | ok/s vs heavy capacity |");
        await output.WriteLineAsync("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (MixedClassResult r in new[] { heavy.Result("heavy", wall), light.Result("light", wall) })
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Name} | {r.Sent} | {r.Succeeded} | {r.Refused} | {r.RefusalP50Ms:F1} / {r.RefusalP95Ms:F1} | {r.DeadlineExceeded} | {r.OtherErrors} | " +
                $"{r.LatencyP50Ms:F0} / {r.LatencyP95Ms:F0} | {r.SucceededPerSecond:F2} | {(r.Name == "heavy" ? (r.SucceededPerSecond / capacity).ToString("F2", CultureInfo.InvariantCulture) : "")} |"));
        }
        if (hostPid is { } pid)
        {
            double peak = Status(pid, "VmHWM:");
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Host peak RSS {peak:F0} MB, RSS at the end of the run {Status(pid, "VmRSS:"):F0} MB; idling {idleSeconds} s ..."));
            await Task.Delay(TimeSpan.FromSeconds(idleSeconds));
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Host RSS after {idleSeconds} s idle: {Status(pid, "VmRSS:"):F0} MB."));
        }
        return 0;
    }

    private static async Task ClientLoopAsync(
        OccupancyExpert.OccupancyExpertClient client, Tally tally, Func<int, GenerateOccupancyRequest> make, double deadlineSeconds, DateTime end, int seed)
    {
        for (int i = 0; DateTime.UtcNow < end; i++)
        {
            long t = Stopwatch.GetTimestamp();
            Interlocked.Increment(ref tally.Sent);
            try
            {
                await client.GenerateOccupancyAsync(make(seed * 1000 + i), deadline: DateTime.UtcNow.AddSeconds(deadlineSeconds));
                tally.Latencies.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.ResourceExhausted)
            {
                tally.Refusals.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                TimeSpan retry = e.GetRpcStatus()?.GetDetail<RetryInfo>()?.RetryDelay?.ToTimeSpan() ?? TimeSpan.FromMilliseconds(200);
                await Task.Delay(retry > TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : retry);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.DeadlineExceeded)
            {
                Interlocked.Increment(ref tally.DeadlineExceeded);
            }
            catch (RpcException)
            {
                Interlocked.Increment(ref tally.Other);
            }
        }
    }

    private static GenerateOccupancyRequest Heavy(int seed)
    {
        var r = new GenerateOccupancyRequest
        {
            Description = "a symmetric five-storey pagoda with overhanging eaves",
            Seed = (ulong)seed,
            Samples = 8,
            RenderSize = 1024,
            IncludeBuildOrder = true,
        };
        r.Views.AddRange(HeavyViews);
        return r;
    }

    private static GenerateOccupancyRequest Light(int seed) => new() { Description = "a small wooden house with a pitched roof", Seed = (ulong)seed };

    internal static double Status(int pid, string key)
    {
        foreach (string line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(key, StringComparison.Ordinal))
                return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
        }
        return double.NaN;
    }

    private sealed class Tally
    {
        public int Sent;
        public int DeadlineExceeded;
        public int Other;
        public ConcurrentBag<double> Latencies { get; } = [];
        public ConcurrentBag<double> Refusals { get; } = [];

        public MixedClassResult Result(string name, double wall)
        {
            double[] lat = Latencies.Order().ToArray();
            double[] refused = Refusals.Order().ToArray();
            return new MixedClassResult(name, Sent, lat.Length, refused.Length, DeadlineExceeded, Other,
                P(refused, 0.5), P(refused, 0.95), P(lat, 0.5), P(lat, 0.95), lat.Length / wall);
        }

        private static double P(double[] sorted, double q) =>
            sorted.Length == 0 ? double.NaN : sorted[(int)Math.Clamp(Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}
