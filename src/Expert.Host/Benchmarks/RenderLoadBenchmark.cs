using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Steve2.Expert.V1;
using VoxelGrid = Expert.VqVae.Voxels.OccupancyGrid;

namespace Expert.Host.Benchmarks;

/// <summary>
/// <c>bench [address] --render-grid 256 [--clients 100] [--duration 30] [--idle 30] [--host-pid N]</c>
/// (issue 12, memory): many clients sending RenderOccupancy with a big grid (a hollow tower filling
/// most of a side^3 grid, the default views) for a fixed time, no deadline; a refused client waits
/// the RetryInfo delay it was given (at most 1 s). Reports answers, RESOURCE_EXHAUSTED, latency, the host's peak
/// RSS and its RSS after --idle seconds.
/// </summary>
internal static class RenderLoadBenchmark
{
    public static async Task<int> RunAsync(OccupancyExpert.OccupancyExpertClient client, string[] args, int? hostPid, TextWriter output)
    {
        int side = 256, clients = 100, idleSeconds = 30;
        double duration = 30;
        for (int i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--render-grid": side = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--clients": clients = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--duration": duration = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--idle": idleSeconds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
            }
        }
        var grid = new VoxelGrid(side);
        grid.FillBox(side / 8, 0, side / 8, side - side / 8 - 1, side - side / 4, side - side / 8 - 1);
        grid.FillBox(side / 8 + 1, 1, side / 8 + 1, side - side / 8 - 2, side - side / 4 - 1, side - side / 8 - 2, false);
        var request = new RenderOccupancyRequest
        {
            Grid = new OccupancyGrid { SizeX = (uint)side, SizeY = (uint)side, SizeZ = (uint)side, Occupancy = ByteString.CopyFrom(grid.Pack()) },
        };
        await client.RenderOccupancyAsync(request); // warm up
        await output.WriteLineAsync($"RenderOccupancy of a {side}^3 grid ({request.Grid.Occupancy.Length / 1048576.0:F1} MB packed), default views, {clients} clients for {duration} s.");

        int ok = 0, refused = 0, other = 0;
        var latencies = new ConcurrentBag<double>();
        DateTime end = DateTime.UtcNow.AddSeconds(duration);
        long started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            while (DateTime.UtcNow < end)
            {
                long t = Stopwatch.GetTimestamp();
                try
                {
                    await client.RenderOccupancyAsync(request);
                    Interlocked.Increment(ref ok);
                    latencies.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.ResourceExhausted)
                {
                    Interlocked.Increment(ref refused);
                    TimeSpan retry = e.GetRpcStatus()?.GetDetail<RetryInfo>()?.RetryDelay?.ToTimeSpan() ?? TimeSpan.FromMilliseconds(200);
                    await Task.Delay(retry > TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : retry);
                }
                catch (RpcException)
                {
                    Interlocked.Increment(ref other);
                }
            }
        }));
        double wall = Stopwatch.GetElapsedTime(started).TotalSeconds;
        double[] sorted = latencies.Order().ToArray();
        double P(double q) => sorted.Length == 0 ? double.NaN : sorted[(int)Math.Clamp(Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"answered {ok} ({ok / wall:F2}/s), RESOURCE_EXHAUSTED {refused}, other {other}; latency p50 / p95 {P(0.5):F0} / {P(0.95):F0} ms"));
        if (hostPid is { } pid)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Host peak RSS {MixedLoadBenchmark.Status(pid, "VmHWM:"):F0} MB, at the end {MixedLoadBenchmark.Status(pid, "VmRSS:"):F0} MB; idling {idleSeconds} s ..."));
            await Task.Delay(TimeSpan.FromSeconds(idleSeconds));
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Host RSS after {idleSeconds} s idle: {MixedLoadBenchmark.Status(pid, "VmRSS:"):F0} MB."));
        }
        return 0;
    }
}
