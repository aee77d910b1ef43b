using System.CommandLine;
using Spectre.Console;
using Steve2.Pipeline.Evaluation;

namespace Steve2.Pipeline.Cli;

/// <summary>
/// <c>steve2 eval merge runs/eval-0 runs/eval-1 ... --output runs/eval</c>: joins the reports of the shards of one
/// evaluation (<c>eval --shard K/N</c>) into the one report the unsharded run writes (Evaluation/EvaluationMerge.cs).
/// </summary>
internal static class EvalMergeCommand
{
    public static Command Create()
    {
        var folders = new Argument<string[]>("folders") { Description = "The --output folders of every shard (K/N for each K from 0 to N-1).", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--output") { Description = "Folder for the merged results.md, results.csv, results.json and plots/.", Required = true };
        var fidFeatures = new Option<string?>("--fid-features") { Description = "Feature checkpoint of the creation FID, as given to the shards' eval (default: the shipped Checkpoints/features.ckpt)." };
        var command = new Command("merge", "Merge the reports of the shards of one evaluation (eval --shard K/N) into one report.") { folders, output, fidFeatures };
        command.SetAction((parse, _) => CliApp.GuardAsync(parse, async () =>
        {
            string outputFolder = CliApp.OutputFolder(parse.GetValue(output)!, "--output");
            List<EvaluationMerge.Part> parts = parse.GetValue(folders)!.Select(EvaluationMerge.Read).ToList();
            EvaluationRun merged = EvaluationMerge.Merge(parts);
            IAnsiConsole console = CliApp.Console(parse);
            merged = merged with { SetMetrics = EvalCommand.CreationFidOf(merged.Episodes, parse.GetValue(fidFeatures), console) };
            return await EvalCommand.WriteReportAsync(parse, outputFolder, merged, $"merged {parts.Count} shards into {Path.GetFullPath(outputFolder)} ({merged.Episodes.Count} episodes");
        }));
        return command;
    }
}
