using System.CommandLine;
using System.Text.Json;
using Expert.VqVae.Composition;
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
        var mirrorTied = new Option<bool?>("--mirror-tied") { Description = "Decode mirror-tied where the text states symmetry: true or false (default: the model's)." };
        var halfFirst = new Option<bool?>("--mirror-half-first") { Description = "A mirror-tied decode settles the left half first: true or false (default: the model's)." };
        var guidanceStart = new Option<float?>("--guidance-start") { Description = "Share of the decoding steps run before guidance starts (default: the model's)." };
        var composed = new Option<bool>("--composed") { Description = "Evaluate on the v2 corpus's held-out combinations (composed buildings with materials): attributes, named parts, materials, text-to-shape IoU (Composition/COMPOSITION.md)." };
        var command = new Command("eval", "Held-out reconstruction IoU, text-to-shape IoU and attribute accuracy.")
        {
            model, corpus, seed, count, temperature, output, device, steps, guidance, guidanceStart, mirrorTied, halfFirst, composed,
        };
        command.SetAction(r => CliApp.Guard(() =>
        {
            int n = r.GetValue(count);
            if (n < 1) throw new ArgumentException("--count must be at least 1.");
            var sampling = CliApp.Checked(new SamplingOptions
            {
                Temperature = r.GetValue(temperature), DecodeSteps = r.GetValue(steps), Guidance = r.GetValue(guidance), GuidanceStart = r.GetValue(guidanceStart), MirrorTied = r.GetValue(mirrorTied), MirrorHalfFirst = r.GetValue(halfFirst),
            });
            bool v2 = r.GetValue(composed);
            var records = (r.GetValue(corpus) is { } path
                    ? CorpusFile.Read(path).Where(x => x.Split == CorpusSplit.Test)
                    : v2 ? CompositionCorpusGenerator.Generate(new CompositionCorpusOptions { Seed = r.GetValue(seed), Count = n, Split = CorpusSplit.Test })
                    : CorpusGenerator.Generate(new CorpusOptions { Seed = r.GetValue(seed), Count = n, Split = CorpusSplit.Test }))
                .ToList();
            using var loaded = OccupancyModel.Load(r.GetValue(model)!, r.GetValue(device)!);
            if (v2)
            {
                Console.WriteLine($"evaluating {loaded.Info.Version} on {records.Count} held-out v2 records");
                var v2Report = CompositionEvaluator.Evaluate(loaded, records, sampling,
                    (done, total) => { if (done % 160 == 0 || done == total) Console.WriteLine($"  {done}/{total}"); });
                string v2Dir = r.GetValue(output)!;
                Directory.CreateDirectory(v2Dir);
                string v2Markdown = CompositionEvaluator.ToMarkdown(v2Report);
                File.WriteAllText(Path.Combine(v2Dir, "composition.md"), v2Markdown);
                File.WriteAllText(Path.Combine(v2Dir, "composition.json"), JsonSerializer.Serialize(v2Report, new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
                Console.Write(v2Markdown);
                Console.WriteLine($"wrote {Path.GetFullPath(v2Dir)} in {v2Report.Seconds:F0} s");
                return 0;
            }
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
