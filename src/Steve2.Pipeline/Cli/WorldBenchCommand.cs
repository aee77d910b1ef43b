using System.CommandLine;
using System.Diagnostics;
using Steve2.Pipeline.Environment;
using Steve2.Pipeline.World;

namespace Steve2.Pipeline.Cli;

/// <summary>
/// <c>steve2 world-bench [--worlds N] [--steps N] [--pictures DIR]</c>: generation time, steps per second
/// (one thread and all cores) and memory per world of the embedded voxel backend.
/// </summary>
public static class WorldBenchCommand
{
    public static Command Create()
    {
        var worlds = new Option<int>("--worlds") { Description = "Worlds (episodes, one seed each) to generate and step (1..256).", DefaultValueFactory = _ => 8 };
        var steps = new Option<int>("--steps") { Description = "Code actions per episode (1..10000).", DefaultValueFactory = _ => 50 };
        var pictures = new Option<DirectoryInfo?>("--pictures") { Description = "Also write a top-down map and the first view of the first world as PNG into this folder." };
        var command = new Command("world-bench", "Measure the voxel world: generation time, steps per second (one thread and all cores), memory per world.")
        {
            worlds, steps, pictures,
        };
        command.SetAction(parse =>
        {
            int w = parse.GetValue(worlds), s = parse.GetValue(steps);
            if (w is < 1 or > 256) return Fail($"--worlds must be in 1..256, got {w}");
            if (s is < 1 or > 10000) return Fail($"--steps must be in 1..10000, got {s}");
            Run(w, s, parse.GetValue(pictures), Console.Out);
            return 0;
        });
        return command;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        return 2;
    }

    /// <summary>The benchmark's policy: mostly exploration in turning directions, with looks, mining and waits.</summary>
    public static CodeAction BenchPolicy(int episode, int step, int agent, Observation last)
    {
        int k = (episode * 7 + step + agent) % 10;
        if (k < 6) return new Explore((Direction)((episode + step / 3) % 8), 20);
        if (k == 6) return new LookAt((step * 37) % 360 - 180, 20);
        if (k == 7 && last.VisibleBlocks.Count > 0) return new Mine(last.VisibleBlocks[0].Position);
        if (k == 8) return new Collect(Items.OakLog, 2);
        return new Wait();
    }

    private static void Run(int worldCount, int steps, DirectoryInfo? pictures, TextWriter output)
    {
        output.WriteLine($"world-bench: {worldCount} worlds, {steps} steps each, {System.Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        var options = new VoxelEnvironmentOptions();
        var factory = new VoxelEnvironmentFactory(options);

        // Generation (serial, one seed per world).
        WorldGenerator.Generate(12345, options.WorldOptions);
        var genTimes = new List<double>();
        for (int seed = 1; seed <= worldCount; seed++)
        {
            var sw = Stopwatch.StartNew();
            factory.WorldFor(seed);
            genTimes.Add(sw.Elapsed.TotalMilliseconds);
        }
        output.WriteLine($"generation ({options.WorldOptions.SizeX}x{options.WorldOptions.SizeY}x{options.WorldOptions.SizeZ}): mean {genTimes.Average():0} ms, min {genTimes.Min():0} ms, max {genTimes.Max():0} ms per world");

        // Memory of an episode: heap growth while holding episodes of every world.
        long before = GC.GetTotalMemory(true);
        var held = Enumerable.Range(1, worldCount).Select(seed => factory.Create(new EpisodeSpec(seed))).ToList();
        long after = GC.GetTotalMemory(true);
        long storage = factory.WorldFor(1).StorageBytes;
        output.WriteLine($"memory per episode: {(after - before) / (double)worldCount / (1 << 20):0.0} MiB managed heap (block storage {storage / (double)(1 << 20):0.0} MiB: one byte per block)");
        foreach (var e in held) e.Dispose();
        held.Clear();

        if (pictures is not null)
        {
            pictures.Create();
            WorldPictures.SavePng(WorldPictures.TopDown(factory.WorldFor(1)), Path.Combine(pictures.FullName, "topdown-seed1.png"));
            using var env = factory.Create(new EpisodeSpec(1));
            WorldPictures.SavePng(env.Observe(0).Image, Path.Combine(pictures.FullName, "view-seed1.png"), scale: 4);
            output.WriteLine($"pictures written to {pictures.FullName}");
        }

        // Warm up until the JIT has optimised the hot paths (tiered compilation), then time.
        ParallelEpisodeRunner.Run(factory, 2, 100, seed => new EpisodeSpec(seed + 1), BenchPolicy, maxDegreeOfParallelism: 1);
        long totalSteps = (long)worldCount * steps;
        var process = Process.GetCurrentProcess();
        var cpu0 = process.TotalProcessorTime;
        var single = Stopwatch.StartNew();
        ParallelEpisodeRunner.Run(factory, worldCount, steps, seed => new EpisodeSpec(seed + 1), BenchPolicy, maxDegreeOfParallelism: 1);
        single.Stop();
        process.Refresh();
        var cpuPerStep = (process.TotalProcessorTime - cpu0).TotalMilliseconds / totalSteps;
        var all = Stopwatch.StartNew();
        ParallelEpisodeRunner.Run(factory, worldCount, steps, seed => new EpisodeSpec(seed + 1), BenchPolicy);
        all.Stop();
        output.WriteLine($"steps: {totalSteps / single.Elapsed.TotalSeconds:0} steps/s on one thread ({single.Elapsed.TotalMilliseconds / totalSteps:0.00} ms/step wall, {cpuPerStep:0.00} ms/step of CPU, observation included)");
        output.WriteLine($"steps: {totalSteps / all.Elapsed.TotalSeconds:0} steps/s on all {System.Environment.ProcessorCount} cores");
    }
}
