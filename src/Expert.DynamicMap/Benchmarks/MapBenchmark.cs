using System.Diagnostics;
using System.Globalization;
using System.Text;
using Expert.DynamicMap.Episodes;
using Expert.DynamicMap.Geometry;
using Expert.DynamicMap.Layers;
using Expert.DynamicMap.Observations;
using Expert.DynamicMap.Rendering;

namespace Expert.DynamicMap.Benchmarks;

/// <summary>Sizes of a benchmark run (defaults take about half a minute on a 2-core machine).</summary>
public sealed record MapBenchmarkOptions(
    int IngestObservations = 1500,
    int ViewRadius = 24,
    int ObservationsPerBatch = 16,
    int SmallEpisodes = 200,
    int SmallEpisodeObservations = 10,
    int SmallEpisodeViewRadius = 12,
    int Repeats = 15,
    bool WithLog = true,
    string? TempDirectory = null);

/// <summary>The figures of the speed and memory targets, with where and when they were measured.</summary>
public sealed record MapBenchmarkResult(
    double BlockObservationsPerSecond,
    double BlockObservationsPerCpuSecond,
    double BlockObservationsPerSecondWithBatchIds,
    double? BlockObservationsPerSecondWithLog,
    long BlocksPerRun,
    double GetMapMilliseconds,
    double GetMapCpuMilliseconds,
    double GetMapBaseLayersMilliseconds,
    double RenderMapMilliseconds,
    double RenderMapCpuMilliseconds,
    int RenderPngBytes,
    double BytesPerSmallEpisode,
    long SmallEpisodeBlocks,
    int SmallEpisodeChunks,
    string Machine,
    double LoadAverage,
    DateTimeOffset Date)
{
    /// <summary>Projected memory of 1,000 such small episodes, GiB.</summary>
    public double ThousandSmallEpisodesGiB => BytesPerSmallEpisode * 1000 / (1024.0 * 1024 * 1024);

    public string ToText()
    {
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.Append(inv, $"Dynamic map benchmark, {Date:yyyy-MM-dd HH:mm} UTC, {Machine}, load average {LoadAverage:0.0} at start\n");
        text.Append(inv, $"(wall-clock figures; 'cpu' figures divide by this process's CPU time, which a busy shared machine inflates less)\n");
        text.Append(inv, $"ingestion (in process, content-hash replay keys): {BlockObservationsPerSecond:N0} block observations/s, cpu {BlockObservationsPerCpuSecond:N0}/s (target >= 2,000,000; {BlocksPerRun:N0} blocks per run)\n");
        text.Append(inv, $"ingestion (in process, client batch ids):        {BlockObservationsPerSecondWithBatchIds:N0} block observations/s\n");
        if (BlockObservationsPerSecondWithLog is double logged)
            text.Append(inv, $"ingestion (with the append-only log on disk):    {logged:N0} block observations/s\n");
        text.Append(inv, $"GetMap 256x256, all 8 layers, y -64..319:        {GetMapMilliseconds:0.00} ms median, cpu {GetMapCpuMilliseconds:0.00} ms (target <= 10)\n");
        text.Append(inv, $"GetMap 256x256, height+surface+explored+walkable: {GetMapBaseLayersMilliseconds:0.00} ms median\n");
        text.Append(inv, $"RenderMap 512x512 PNG ({RenderPngBytes:N0} bytes):         {RenderMapMilliseconds:0.00} ms median, cpu {RenderMapCpuMilliseconds:0.00} ms (target <= 50)\n");
        text.Append(inv, $"small episode ({SmallEpisodeBlocks:N0} block sightings, {SmallEpisodeChunks} chunks): {BytesPerSmallEpisode / 1024:N0} KiB each; 1,000 of them: {ThousandSmallEpisodesGiB:0.00} GiB (target <= 1)\n");
        return text.ToString();
    }
}

/// <summary>
/// Measures the targets in process: ingestion speed, GetMap and RenderMap latency, and the
/// memory of small episodes, on <see cref="SyntheticWorld"/> terrain. Observations are generated
/// before the clock starts; each ingestion run uses a fresh episode.
/// </summary>
public static class MapBenchmark
{
    public static MapBenchmarkResult Run(MapBenchmarkOptions? options = null)
    {
        options ??= new MapBenchmarkOptions();
        var world = new SyntheticWorld(seed: 7);
        var mapOptions = new MapOptions { MaxChunksPerEpisode = 1 << 20, MaxLoadedChunks = 1 << 21 };

        // Observations: one agent walking a spiral, 4 blocks a step.
        var observations = world.Walk("bench", 0, 0, options.IngestObservations, stride: 4, radius: options.ViewRadius).ToArray();
        long blocks = observations.Sum(o => (long)o.Blocks.Length);
        var batches = Chunked(observations, options.ObservationsPerBatch, withIds: false);
        var batchesWithIds = Chunked(observations, options.ObservationsPerBatch, withIds: true);

        double load = LoadAverage();
        // Warm up the JIT (tiered compilation) on the whole run once.
        using (var warm = Episode.CreateInMemory("warm", mapOptions))
            foreach (var batch in batches) warm.Apply(batch);

        var (rate, cpuRate) = Ingest(Episode.CreateInMemory("bench", mapOptions), batches, blocks, out var episode);
        var (rateWithIds, _) = Ingest(Episode.CreateInMemory("bench-ids", mapOptions), batchesWithIds, blocks, out var episodeWithIds);
        episodeWithIds.Dispose();

        double? rateWithLog = null;
        if (options.WithLog)
        {
            string root = Path.Combine(options.TempDirectory ?? Path.GetTempPath(), "map-bench-" + Guid.NewGuid().ToString("N"));
            try
            {
                using var registry = new EpisodeRegistry(mapOptions with { DataDirectory = root, SnapshotEveryRecords = 1 << 20 }, evictOnTimer: false);
                registry.Open("logged");
                var clock = Stopwatch.StartNew();
                foreach (var batch in batches) registry.Observe("logged", batch);
                rateWithLog = blocks / clock.Elapsed.TotalSeconds;
            }
            finally
            {
                if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
            }
        }

        // GetMap and RenderMap over a 256 x 256 region in the middle of what was seen.
        var region = new MapRegion(-128, -128, 256, 256, -64, 319);
        var layerRequest = new LayerRequest(region);
        for (int i = 0; i < 3; i++) episode.GetMap(layerRequest);
        var (getMap, getMapCpu) = Median(options.Repeats, () => episode.GetMap(layerRequest));
        var baseRequest = new LayerRequest(region, [MapLayer.Height, MapLayer.SurfaceBlock, MapLayer.Explored, MapLayer.Walkable]);
        for (int i = 0; i < 3; i++) episode.GetMap(baseRequest);
        var (getMapBase, _) = Median(options.Repeats, () => episode.GetMap(baseRequest));
        var renderRequest = new RenderRequest(region, 512, 512);
        byte[] png = episode.RenderPng(renderRequest);
        for (int i = 0; i < 2; i++) episode.RenderPng(renderRequest);
        var (render, renderCpu) = Median(options.Repeats, () => episode.RenderPng(renderRequest));
        episode.Dispose();

        // Memory of small episodes: a short look around each.
        var (bytesPerEpisode, smallBlocks, smallChunks) = SmallEpisodes(world, mapOptions, options);

        string machine = $"{Environment.ProcessorCount} logical cores, {RuntimeInfo()}";
        return new MapBenchmarkResult(rate, cpuRate, rateWithIds, rateWithLog, blocks, getMap, getMapCpu, getMapBase, render, renderCpu, png.Length,
            bytesPerEpisode, smallBlocks, smallChunks, machine, load, DateTimeOffset.UtcNow);
    }

    private static (double Wall, double Cpu) Ingest(Episode fresh, IReadOnlyList<ObservationBatch> batches, long blocks, out Episode episode)
    {
        episode = fresh;
        GC.Collect();
        var cpu = CpuTime();
        var clock = Stopwatch.StartNew();
        foreach (var batch in batches) episode.Apply(batch);
        return (blocks / clock.Elapsed.TotalSeconds, blocks / (CpuTime() - cpu).TotalSeconds);
    }

    private static TimeSpan CpuTime() => System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;

    private static double LoadAverage()
    {
        try
        {
            string text = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg") : "";
            return text.Length > 0 ? double.Parse(text.Split(' ')[0], CultureInfo.InvariantCulture) : double.NaN;
        }
        catch (IOException)
        {
            return double.NaN;
        }
    }

    private static List<ObservationBatch> Chunked(Observation[] observations, int size, bool withIds)
    {
        var batches = new List<ObservationBatch>();
        for (int i = 0; i < observations.Length; i += size)
            batches.Add(new ObservationBatch(observations[i..Math.Min(observations.Length, i + size)], withIds ? $"b{i}" : null));
        return batches;
    }

    private static (double Wall, double Cpu) Median(int repeats, Action action)
    {
        var times = new double[Math.Max(1, repeats)];
        var cpus = new double[times.Length];
        for (int i = 0; i < times.Length; i++)
        {
            var cpu = CpuTime();
            var clock = Stopwatch.StartNew();
            action();
            times[i] = clock.Elapsed.TotalMilliseconds;
            cpus[i] = (CpuTime() - cpu).TotalMilliseconds;
        }
        Array.Sort(times);
        Array.Sort(cpus);
        return (times[times.Length / 2], cpus[cpus.Length / 2]);
    }

    private static (double BytesPerEpisode, long Blocks, int Chunks) SmallEpisodes(SyntheticWorld world, MapOptions mapOptions, MapBenchmarkOptions options)
    {
        var prepared = new List<ObservationBatch>(options.SmallEpisodes);
        for (int e = 0; e < options.SmallEpisodes; e++)
        {
            var walk = world.Walk("agent", e * 97, e * 61, options.SmallEpisodeObservations, stride: 2, radius: options.SmallEpisodeViewRadius).ToArray();
            prepared.Add(new ObservationBatch(walk));
        }
        var episodes = new List<Episode>(options.SmallEpisodes);
        long before = MeasuredHeap();
        foreach (var batch in prepared)
        {
            var episode = Episode.CreateInMemory($"small{episodes.Count}", mapOptions);
            episode.Apply(batch);
            episodes.Add(episode);
        }
        long after = MeasuredHeap();
        var stats = episodes[0].Stats;
        double perEpisode = (after - before) / (double)episodes.Count;
        GC.KeepAlive(episodes);
        GC.KeepAlive(prepared);
        return (perEpisode, stats.BlockObservations, stats.Chunks);
    }

    private static long MeasuredHeap()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static string RuntimeInfo() =>
        $"{System.Runtime.InteropServices.RuntimeInformation.OSDescription.Trim()}, .NET {Environment.Version}";
}
