using System.CommandLine;
using System.Text.Json;
using Expert.VqVae.Corpus;
using Expert.VqVae.Evaluation;
using Expert.VqVae.Inference;

namespace Expert.VqVae.Cli;

/// <summary>`vqvae eval`: the held-out metrics of a checkpoint, as Markdown and JSON.</summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Checkpoint to evaluate.", DefaultValueFactory = _ => DefaultPaths.ShippedCheckpoint };
        var corpus = new Option<string?>("--corpus") { Description = "Evaluate on the test-split records of this JSON-lines file instead of the built-in held-out split." };
        var seed = new Option<long>("--seed") { Description = "Seed of the generated held-out records.", DefaultValueFactory = _ => 99 };
        var count = new Option<int>("--count") { Description = "Held-out records to generate.", DefaultValueFactory = _ => 600 };
        var temperature = new Option<float>("--temperature") { Description = "Sampling temperature (0 = greedy).", DefaultValueFactory = _ => 0f };
        var output = new Option<string>("--output") { Description = "Folder for report.md and report.json.", DefaultValueFactory = _ => "out/eval" };
        var device = new Option<string>("--device") { DefaultValueFactory = _ => "auto" };
        var steps = new Option<int>("--steps") { Description = "Parallel decoding steps (0 = the model's default).", DefaultValueFactory = _ => 0 };
        var guidance = new Option<float?>("--guidance") { Description = "Classifier-free guidance weight (default: the model's)." };
        var guidanceStart = new Option<float?>("--guidance-start") { Description = "Share of the decoding steps run before guidance starts (default: the model's)." };
        var command = new Command("eval", "Held-out reconstruction IoU, text-to-shape IoU and attribute accuracy.")
        {
            model, corpus, seed, count, temperature, output, device, steps, guidance, guidanceStart,
        };
        command.SetAction(r => CliApp.Guard(() =>
        {
            int n = r.GetValue(count);
            if (n < 1) throw new ArgumentException("--count must be at least 1.");
            var sampling = CliApp.Checked(new SamplingOptions
            {
                Temperature = r.GetValue(temperature), DecodeSteps = r.GetValue(steps), Guidance = r.GetValue(guidance), GuidanceStart = r.GetValue(guidanceStart),
            });
            var records = (r.GetValue(corpus) is { } path
                    ? CorpusFile.Read(path).Where(x => x.Split == CorpusSplit.Test)
                    : CorpusGenerator.Generate(new CorpusOptions { Seed = r.GetValue(seed), Count = n, Split = CorpusSplit.Test }))
                .ToList();
            using var loaded = OccupancyModel.Load(r.GetValue(model)!, r.GetValue(device)!);
            Console.WriteLine($"evaluating {loaded.Info.Version} on {records.Count} held-out records");
            var report = HeldOutEvaluator.Evaluate(loaded, records, sampling,
                (done, total) => { if (done % 160 == 0 || done == total) Console.WriteLine($"  {done}/{total}"); });
            string dir = r.GetValue(output)!;
            Directory.CreateDirectory(dir);
            string markdown = HeldOutEvaluator.ToMarkdown(report);
            File.WriteAllText(Path.Combine(dir, "report.md"), markdown);
            File.WriteAllText(Path.Combine(dir, "report.json"), JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
            Console.Write(markdown);
            Console.WriteLine($"wrote {Path.GetFullPath(dir)} in {report.Seconds:F0} s");
            return 0;
        }));
        return command;
    }
}
