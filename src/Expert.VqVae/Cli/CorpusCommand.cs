using System.CommandLine;
using Expert.VqVae.Corpus;

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
        var command = new Command("corpus", "Write the built-in building corpus (descriptions + bit-packed grids) as JSON lines.") { output, seed, count, split };
        command.SetAction(r => CliApp.Guard(() =>
        {
            var which = r.GetValue(split) switch
            {
                "train" => CorpusSplit.Train,
                "test" => CorpusSplit.Test,
                var other => throw new ArgumentException($"--split must be train or test, got '{other}'."),
            };
            int written = CorpusFile.Write(r.GetValue(output)!, CorpusGenerator.Generate(new CorpusOptions { Seed = r.GetValue(seed), Count = r.GetValue(count), Split = which }));
            Console.WriteLine($"wrote {written} records to {Path.GetFullPath(r.GetValue(output)!)}");
            return 0;
        }));
        return command;
    }
}
