using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Expert.VqVae.Inference;
using Expert.VqVae.Rendering;

namespace Expert.VqVae.Cli;

/// <summary>
/// `vqvae bench`: latency of one generation with 4 rendered views (p50, p95), throughput of
/// batched against one-at-a-time generation, and the peak resident memory of the process.
/// </summary>
internal static class BenchCommand
{
    private static readonly string[] Prompts =
    [
        "a symmetric five-storey wooden pagoda with overhanging eaves",
        "a tall stone tower with a pyramid roof",
        "a small hut with a flat roof",
        "a wide stone bridge",
        "a lighthouse",
        "a large castle keep",
        "a low wall with a gate",
        "a temple with columns",
    ];

    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Checkpoint to load.", DefaultValueFactory = _ => DefaultPaths.ShippedCheckpoint };
        var iterations = new Option<int>("--iterations") { Description = "Timed single generations.", DefaultValueFactory = _ => 40 };
        var device = new Option<string>("--device") { DefaultValueFactory = _ => "auto" };
        var output = new Option<string?>("--output") { Description = "Append the results as a Markdown row to this file." };
        var steps = new Option<int>("--steps") { Description = "Parallel decoding steps (0 = the model's default).", DefaultValueFactory = _ => 0 };
        var guidance = new Option<float?>("--guidance") { Description = "Classifier-free guidance weight (default: the model's)." };
        var mirrorTied = new Option<bool?>("--mirror-tied") { Description = "Decode mirror-tied where the text states symmetry: true or false (default: the model's)." };
        var halfFirst = new Option<bool?>("--mirror-half-first") { Description = "A mirror-tied decode settles the left half first: true or false (default: the model's)." };
        var guidanceStart = new Option<float?>("--guidance-start") { Description = "Share of the decoding steps run before guidance starts (default: the model's)." };
        var command = new Command("bench", "Measure generation latency, batched throughput and peak memory.") { model, iterations, device, output, steps, guidance, guidanceStart, mirrorTied, halfFirst };
        command.SetAction(r => CliApp.Guard(() =>
        {
            var sampling = CliApp.Checked(new SamplingOptions
            {
                Temperature = 1.0f, DecodeSteps = r.GetValue(steps), Guidance = r.GetValue(guidance), GuidanceStart = r.GetValue(guidanceStart), MirrorTied = r.GetValue(mirrorTied), MirrorHalfFirst = r.GetValue(halfFirst),
            });
            return Run(r.GetValue(model)!, r.GetValue(iterations), r.GetValue(device)!, r.GetValue(output), sampling);
        }));
        return command;
    }

    private static int Run(string modelPath, int iterations, string device, string? output, SamplingOptions sampling)
    {
        if (iterations < 5) throw new ArgumentException("--iterations must be at least 5.");
        using var model = OccupancyModel.Load(modelPath, device);
        GenerateAndRender(model, Prompts[0], sampling); // warm-up

        var latencies = new List<double>();
        var renderTimes = new List<double>();
        for (int i = 0; i < iterations; i++)
        {
            var clock = Stopwatch.StartNew();
            double renderMs = GenerateAndRender(model, Prompts[i % Prompts.Length], sampling with { Seed = (ulong)i });
            latencies.Add(clock.Elapsed.TotalMilliseconds);
            renderTimes.Add(renderMs);
        }
        latencies.Sort();
        renderTimes.Sort();
        double p50 = Percentile(latencies, 0.50), p95 = Percentile(latencies, 0.95);

        const int batch = 8;
        int rounds = Math.Max(2, iterations / batch);
        var requests = Prompts.Select((p, i) => new GenerationRequest(p, sampling with { Seed = (ulong)i })).ToList();
        // Rounds alternate (8 one at a time, then one batch of the same 8), so that a busy moment on a
        // shared machine slows both sides of the ratio rather than one.
        TimeSpan oneTime = TimeSpan.Zero, batchedTime = TimeSpan.Zero;
        for (int r = 0; r < rounds; r++)
        {
            long started = Stopwatch.GetTimestamp();
            foreach (var request in requests) model.Generate([request]);
            oneTime += Stopwatch.GetElapsedTime(started);
            started = Stopwatch.GetTimestamp();
            model.Generate(requests);
            batchedTime += Stopwatch.GetElapsedTime(started);
        }
        double singlePerSecond = rounds * batch / oneTime.TotalSeconds;
        double batchedPerSecond = rounds * batch / batchedTime.TotalSeconds;

        long peakKb = PeakResidentKilobytes();
        string machine = $"{Environment.ProcessorCount} cores, {model.Info.Device}";
        var decoding = model.DecodingOf(sampling);
        Console.WriteLine($"model {model.Info.Version} ({model.Info.Parameters:N0} parameters) on {machine}; {decoding}");
        Console.WriteLine($"generate + 4 views: p50 {p50:F1} ms, p95 {p95:F1} ms over {iterations} runs (of which rendering p50 {Percentile(renderTimes, 0.50):F1} ms)");
        Console.WriteLine($"throughput: one at a time {singlePerSecond:F1}/s, batch {batch} {batchedPerSecond:F1}/s ({batchedPerSecond / singlePerSecond:F2}x)");
        Console.WriteLine($"peak resident memory: {peakKb / 1024.0:F0} MiB");
        if (output is not null)
        {
            bool header = !File.Exists(output);
            using var writer = File.AppendText(output);
            if (header)
            {
                writer.WriteLine("| date (UTC) | machine | model | decoding | p50 ms | p95 ms | one-at-a-time /s | batch 8 /s | ratio | peak RSS MiB |");
                writer.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
            }
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {DateTime.UtcNow:yyyy-MM-dd HH:mm} | {machine} | {model.Info.Version} | {decoding} | {p50:F1} | {p95:F1} | {singlePerSecond:F1} | {batchedPerSecond:F1} | {batchedPerSecond / singlePerSecond:F2}x | {peakKb / 1024.0:F0} |"));
        }
        return 0;
    }

    /// <returns>The milliseconds spent rendering.</returns>
    private static double GenerateAndRender(OccupancyModel model, string prompt, SamplingOptions sampling)
    {
        var result = model.Generate([new GenerationRequest(prompt, sampling)])[0];
        long started = Stopwatch.GetTimestamp();
        // A model with a material channel is rendered in its blocks' colours, as the host renders it.
        if (result.Blocks?[0] is { } blocks)
            foreach (var view in RenderViews.Default) OccupancyRenderer.RenderBlocksPng(blocks, view);
        else OccupancyRenderer.RenderPngs(result.Grids[0], RenderViews.Default);
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    private static double Percentile(List<double> sorted, double q)
    {
        double rank = q * (sorted.Count - 1);
        int lo = (int)Math.Floor(rank), hi = (int)Math.Ceiling(rank);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
    }

    /// <summary>VmHWM of /proc/self/status: the peak resident set, native memory included.</summary>
    internal static long PeakResidentKilobytes()
    {
        if (!File.Exists("/proc/self/status")) return Environment.WorkingSet / 1024;
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        return 0;
    }
}
