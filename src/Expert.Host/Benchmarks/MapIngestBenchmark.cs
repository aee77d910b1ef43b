using System.Diagnostics;
using System.Globalization;
using Expert.DynamicMap.Benchmarks;
using Expert.DynamicMap.Observations;
using Expert.Host.Grpc;
using Grpc.Net.Client;
using Wire = Steve2.Expert.V1;

namespace Expert.Host.Benchmarks;

/// <summary>Sizes of a map ingestion run.</summary>
internal sealed record MapIngestOptions(int Observations = 1500, int ObservationsPerBatch = 16, int ViewRadius = 24, int WarmUpObservations = 320, bool Keep = false);

/// <summary>One way of sending the same batches, and how fast the host took them.</summary>
internal sealed record MapIngestRun(string Mode, string EpisodeId, int Batches, long Blocks, long BytesSent, double Seconds, long BlocksAcknowledged)
{
    public double BlocksPerSecond => Blocks / Seconds;
}

/// <summary>
/// <c>dotnet Expert.Host.dll map-bench [address] [--observations 1500] [--batch 16] [--radius 24] [--keep] [--host-pid N]</c>:
/// ingestion over real gRPC against a running host. One agent walks a spiral over <see cref="SyntheticWorld"/>
/// terrain (about 1,800 blocks seen per observation at radius 24); the observations are built and packed
/// (<c>packed_blocks</c>, 16 bytes a block) before the clock starts, then sent into a fresh episode twice:
/// as one client-streaming <c>Observe</c> call, and as sequential unary <c>ObserveBatch</c> calls (after a
/// warm-up of both into a third episode). Each run checks that the host acknowledged every block once. The
/// episodes are deleted afterwards unless --keep; with --host-pid the host's peak resident memory is printed.
/// </summary>
internal static class MapIngestBenchmark
{
    public const string Command = "map-bench";
    public const string Usage = "map-bench [address] [--observations N] [--batch N] [--radius N] [--keep] [--host-pid N]";
    public const string InProcessUsage = "map-bench --in-process";
    public const string Summary = "map ingestion benchmark: block observations/s into a fresh episode over gRPC (Observe stream and ObserveBatch); --in-process measures the library alone";
    public const double TargetBlocksPerSecond = 300_000;

    public static async Task<int> RunAsync(string[] args, TextWriter? output = null)
    {
        output ??= Console.Out;
        if (args.Contains("--in-process"))
        {
            // The library alone, no gRPC: ingestion, GetMap 256^2, RenderMap 512^2, bytes per small episode.
            await output.WriteLineAsync(Expert.DynamicMap.Benchmarks.MapBenchmark.Run().ToText());
            return 0;
        }
        string address = "http://127.0.0.1:5080";
        var options = new MapIngestOptions();
        int? hostPid = null;
        for (int i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--host-pid": hostPid = Int(args[++i]); break;
                case "--observations": options = options with { Observations = Int(args[++i]) }; break;
                case "--batch": options = options with { ObservationsPerBatch = Int(args[++i]) }; break;
                case "--radius": options = options with { ViewRadius = Int(args[++i]) }; break;
                case "--keep": options = options with { Keep = true }; break;
                case var unknown when unknown.StartsWith("--", StringComparison.Ordinal):
                    await output.WriteLineAsync($"Unknown option {unknown}. Usage: {Usage}");
                    return 2;
                default: address = args[i]; break;
            }
        }

        using GrpcChannel channel = GrpcChannel.ForAddress(address);
        var client = new Wire.DynamicMapExpert.DynamicMapExpertClient(channel);
        string loadBefore = LoadAverage();
        IReadOnlyList<MapIngestRun> runs = await MeasureAsync(client, options, CancellationToken.None);
        string loadAfter = LoadAverage();
        string rss = hostPid is int pid ? $"; host peak RSS {PeakResidentMegabytes(pid):F0} MB" : "";

        await output.WriteLineAsync(
            $"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.MachineName}, {Environment.ProcessorCount} cores, .NET {Environment.Version}; " +
            $"host {address}; load average before {loadBefore}, after {loadAfter}{rss}");
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{options.Observations} observations, {options.ObservationsPerBatch} per batch, view radius {options.ViewRadius}, packed blocks"));
        await output.WriteLineAsync("| mode | batches | blocks | MB sent | seconds | block observations/s | target |");
        await output.WriteLineAsync("|---|---:|---:|---:|---:|---:|---:|");
        bool ok = true;
        foreach (MapIngestRun run in runs)
        {
            bool counted = run.BlocksAcknowledged == run.Blocks;
            ok &= counted;
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"| {run.Mode} | {run.Batches} | {run.Blocks:N0} | {run.BytesSent / 1e6:F1} | {run.Seconds:F2} | {run.BlocksPerSecond:N0} | " +
                $"{(run.BlocksPerSecond >= TargetBlocksPerSecond ? ">= 300,000: met" : "< 300,000: missed")}{(counted ? "" : $" (host acknowledged {run.BlocksAcknowledged:N0} blocks!)")} |"));
        }
        return ok ? 0 : 1;
    }

    /// <summary>Builds the batches, warms up, then times a streamed and a unary run, each into a fresh episode.</summary>
    public static async Task<IReadOnlyList<MapIngestRun>> MeasureAsync(
        Wire.DynamicMapExpert.DynamicMapExpertClient client, MapIngestOptions options, CancellationToken cancellationToken)
    {
        var world = new SyntheticWorld(seed: 7);
        var observations = world.Walk("bench", 0, 0, options.Observations, stride: 4, radius: options.ViewRadius).ToArray();
        var warmUp = world.Walk("bench", 4000, 4000, options.WarmUpObservations, stride: 4, radius: options.ViewRadius).ToArray();
        string run = Guid.NewGuid().ToString("N")[..8];

        var warmBatches = Batches(warmUp, options.ObservationsPerBatch, "warm");
        int half = warmBatches.Count / 2;
        await SendAsync(client, $"map-bench-{run}-warm", warmBatches[..half], stream: true, keep: true, cancellationToken);
        await SendAsync(client, $"map-bench-{run}-warm", warmBatches[half..], stream: false, options.Keep, cancellationToken);
        var runs = new List<MapIngestRun>
        {
            await SendAsync(client, $"map-bench-{run}-stream", Batches(observations, options.ObservationsPerBatch, "s"), stream: true, options.Keep, cancellationToken),
            await SendAsync(client, $"map-bench-{run}-unary", Batches(observations, options.ObservationsPerBatch, "u"), stream: false, options.Keep, cancellationToken),
        };
        return runs;
    }

    private static async Task<MapIngestRun> SendAsync(Wire.DynamicMapExpert.DynamicMapExpertClient client, string episodeId,
        List<Wire.ObservationBatch> batches, bool stream, bool keep, CancellationToken cancellationToken)
    {
        foreach (var batch in batches) batch.EpisodeId = episodeId;
        long blocks = batches.Sum(b => b.Observations.Sum(o => (long)o.PackedBlocks.Cells.Length / MapMapping.PackedBlockBytes));
        long bytes = batches.Sum(b => (long)b.CalculateSize());
        await client.OpenEpisodeAsync(new Wire.OpenEpisodeRequest { EpisodeId = episodeId }, cancellationToken: cancellationToken);
        try
        {
            long acknowledged = 0;
            long started = Stopwatch.GetTimestamp();
            if (stream)
            {
                using var call = client.Observe(cancellationToken: cancellationToken);
                foreach (var batch in batches) await call.RequestStream.WriteAsync(batch, cancellationToken);
                await call.RequestStream.CompleteAsync();
                acknowledged = (await call.ResponseAsync).BlockObservations;
            }
            else
            {
                foreach (var batch in batches)
                {
                    Wire.BatchResult result = await client.ObserveBatchAsync(batch, cancellationToken: cancellationToken);
                    if (result.Applied) acknowledged += result.Blocks;
                }
            }
            double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            return new MapIngestRun(stream ? "Observe (client stream)" : "ObserveBatch (unary, sequential)", episodeId, batches.Count, blocks, bytes, seconds, acknowledged);
        }
        finally
        {
            if (!keep)
                await client.CloseEpisodeAsync(new Wire.CloseEpisodeRequest { EpisodeId = episodeId, Delete = true }, cancellationToken: CancellationToken.None);
        }
    }

    private static List<Wire.ObservationBatch> Batches(Observation[] observations, int perBatch, string prefix)
    {
        var batches = new List<Wire.ObservationBatch>();
        for (int i = 0; i < observations.Length; i += perBatch)
        {
            var batch = new Wire.ObservationBatch { BatchId = $"{prefix}{i}" };
            for (int k = i; k < Math.Min(observations.Length, i + perBatch); k++) batch.Observations.Add(MapMapping.ToWire(observations[k]));
            batches.Add(batch);
        }
        return batches;
    }

    private static double PeakResidentMegabytes(int pid)
    {
        try
        {
            foreach (string line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
            }
        }
        catch (IOException)
        {
            // no such process (or not on Linux)
        }
        return double.NaN;
    }

    private static int Int(string text) => int.Parse(text, CultureInfo.InvariantCulture);

    private static string LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
        }
        catch (IOException)
        {
            return "n/a";
        }
    }
}
