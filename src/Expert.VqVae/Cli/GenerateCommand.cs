using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Expert.VqVae.BuildOrder;
using Expert.VqVae.Corpus;
using Expert.VqVae.Inference;
using Expert.VqVae.Rendering;

namespace Expert.VqVae.Cli;

/// <summary>`vqvae generate "description"`: grids, renders, contact sheet and build order on disk.</summary>
internal static class GenerateCommand
{
    public static Command Create()
    {
        var description = new Argument<string>("description") { Description = "What to imagine, e.g. \"a tall stone tower with a pyramid roof\"." };
        var model = new Option<string>("--model") { Description = "Checkpoint to load.", DefaultValueFactory = _ => DefaultPaths.ShippedCheckpoint };
        var seed = new Option<ulong>("--seed") { Description = "Same seed, same grid.", DefaultValueFactory = _ => 0UL };
        var temperature = new Option<float>("--temperature") { Description = "0 = greedy.", DefaultValueFactory = _ => 1.0f };
        var topK = new Option<int>("--top-k") { Description = "0 = no cut.", DefaultValueFactory = _ => 0 };
        var samples = new Option<int>("--samples") { Description = "Grids to sample (seed, seed+1, ...).", DefaultValueFactory = _ => 1 };
        var steps = new Option<int>("--steps") { Description = "Parallel decoding steps (0 = model default).", DefaultValueFactory = _ => 0 };
        var guidance = new Option<float?>("--guidance") { Description = "Classifier-free guidance weight (default: the model's; 0 = off)." };
        var mirrorTied = new Option<bool?>("--mirror-tied") { Description = "Decode mirror-tied where the text states symmetry: true or false (default: the model's)." };
        var halfFirst = new Option<bool?>("--mirror-half-first") { Description = "A mirror-tied decode settles the left half first: true or false (default: the model's)." };
        var guidanceStart = new Option<float?>("--guidance-start") { Description = "Share of the decoding steps run before guidance starts (default: the model's)." };
        var output = new Option<string>("--output") { Description = "Folder for grids, PNGs and the build order.", DefaultValueFactory = _ => "out/generate" };
        var device = new Option<string>("--device") { Description = "auto, cpu or cuda.", DefaultValueFactory = _ => "auto" };
        var command = new Command("generate", "Imagine a building from a description and write its grid, renders and build order.")
        {
            description, model, seed, temperature, topK, samples, steps, guidance, guidanceStart, mirrorTied, halfFirst, output, device,
        };
        command.SetAction(r => CliApp.Guard(() =>
        {
            var sampling = CliApp.Checked(new SamplingOptions
            {
                Seed = r.GetValue(seed),
                Temperature = r.GetValue(temperature),
                TopK = r.GetValue(topK),
                Samples = r.GetValue(samples),
                DecodeSteps = r.GetValue(steps),
                Guidance = r.GetValue(guidance),
                GuidanceStart = r.GetValue(guidanceStart), MirrorTied = r.GetValue(mirrorTied), MirrorHalfFirst = r.GetValue(halfFirst),
            });
            string text = r.GetValue(description) ?? "";
            if (string.IsNullOrWhiteSpace(text)) throw new ArgumentException("The description is empty.");
            return Run(text, r.GetValue(model)!, sampling, r.GetValue(output)!, r.GetValue(device)!);
        }));
        return command;
    }

    private static int Run(string description, string modelPath, SamplingOptions sampling, string outputDir, string device)
    {
        using var model = OccupancyModel.Load(modelPath, device);
        Console.WriteLine($"model {model.Info.Version} on {model.Info.Device}, {model.Info.Parameters:N0} parameters, empty-space code {model.EmptyCode}");
        var clock = Stopwatch.StartNew();
        var result = model.Generate([new GenerationRequest(description, sampling)])[0];
        double generateMs = clock.Elapsed.TotalMilliseconds;
        Directory.CreateDirectory(outputDir);
        var records = new List<CorpusRecord>();
        for (int i = 0; i < result.Grids.Count; i++)
        {
            var grid = result.Grids[i];
            var blocks = result.Blocks?[i]; // only from a model with a material painter or channel
            clock.Restart();
            var views = blocks is null
                ? OccupancyRenderer.RenderPngs(grid)
                : OccupancyRenderer.DefaultViews.Select(v => new RenderedView(v, OccupancyRenderer.RenderBlocksPng(blocks, v))).ToList();
            double renderMs = clock.Elapsed.TotalMilliseconds;
            foreach (var v in views) File.WriteAllBytes(Path.Combine(outputDir, $"sample-{i}-{v.View.ToName()}.png"), v.Png);
            File.WriteAllBytes(Path.Combine(outputDir, $"sample-{i}-sheet.png"), blocks is null
                ? ContactSheet.RenderPng(grid, title: description)
                : ContactSheet.RenderBlocksComparisonPng([blocks], title: description));
            var plan = BuildOrderPlanner.Plan(grid);
            File.WriteAllText(Path.Combine(outputDir, $"sample-{i}-build-order.json"), JsonSerializer.Serialize(plan.Steps.Select(s => new { s.X, s.Y, s.Z, kind = s.Kind.ToString(), s.Layer })));
            var measured = AttributeMeasurer.Measure(grid);
            records.Add(new CorpusRecord { Id = $"sample-{i}", Description = description, Grid = grid, Blocks = blocks });
            Console.WriteLine($"sample {i} (seed {sampling.Seed + (ulong)i}): {grid.Count()} voxels, {measured}, {plan.Steps.Count} build steps; render {renderMs:F0} ms");
        }
        CorpusFile.Write(Path.Combine(outputDir, "samples.jsonl"), records);
        Console.WriteLine($"generated {result.Grids.Count} sample(s) in {generateMs:F0} ms; wrote {Path.GetFullPath(outputDir)}");
        return 0;
    }
}
