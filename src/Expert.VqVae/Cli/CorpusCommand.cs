using System.CommandLine;
using Expert.VqVae.Composition;
using Expert.VqVae.Corpus;
using Expert.VqVae.Rendering;

namespace Expert.VqVae.Cli;

/// <summary>`vqvae corpus`: writes the built-in corpus as JSON lines (the format a user's own data uses).</summary>
internal static class CorpusCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--output") { Description = "The .jsonl file to write.", DefaultValueFactory = _ => "out/corpus-train.jsonl" };
        var seed = new Option<long>("--seed") { DefaultValueFactory = _ => 2024 };
        var count = new Option<int>("--count") { DefaultValueFactory = _ => 24000 };
        var split = new Option<string>("--split") { Description = "train or test.", DefaultValueFactory = _ => "train" };
        var composed = new Option<bool>("--composed") { Description = "Write the v2 corpus: composed buildings with parts and materials per voxel, and the v1 families made of one named block (Composition/COMPOSITION.md)." };
        var sheet = new Option<string?>("--sheet") { Description = "Also draw the first 6 records (front, side, top, isometric; in their blocks' colours when they have blocks) into this PNG." };
        var command = new Command("corpus", "Write the built-in building corpus (descriptions + bit-packed grids) as JSON lines.") { output, seed, count, split, composed, sheet };
        command.SetAction(r => CliApp.Guard(() =>
        {
            var which = r.GetValue(split) switch
            {
                "train" => CorpusSplit.Train,
                "test" => CorpusSplit.Test,
                var other => throw new ArgumentException($"--split must be train or test, got '{other}'."),
            };
            var records = r.GetValue(composed)
                ? CompositionCorpusGenerator.Generate(new CompositionCorpusOptions { Seed = r.GetValue(seed), Count = r.GetValue(count), Split = which })
                : CorpusGenerator.Generate(new CorpusOptions { Seed = r.GetValue(seed), Count = r.GetValue(count), Split = which });
            int written = CorpusFile.Write(r.GetValue(output)!, records);
            if (r.GetValue(sheet) is { } sheetPath)
            {
                var first = CorpusFile.Read(r.GetValue(output)!).Take(6).ToList();
                var labels = first.Select(x => x.Description.Length > 150 ? x.Description[..149] + "…" : x.Description).ToList();
                byte[] png = first.All(x => x.Blocks is not null)
                    ? ContactSheet.RenderBlocksComparisonPng(first.Select(x => x.Blocks!).ToList(), labels)
                    : ContactSheet.RenderComparisonPng(first.Select(x => x.Grid).ToList(), labels);
                File.WriteAllBytes(sheetPath, png);
                Console.WriteLine($"drew {first.Count} records into {Path.GetFullPath(sheetPath)}");
            }
            Console.WriteLine($"wrote {written} records to {Path.GetFullPath(r.GetValue(output)!)}");
            return 0;
        }));
        return command;
    }
}
