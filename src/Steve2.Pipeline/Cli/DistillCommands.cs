using System.CommandLine;
using System.Globalization;
using Expert.VqVae.MlCore.Runtime;
using Expert.VqVae.MlCore.Training;
using Spectre.Console;
using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Evaluation;
using Steve2.Pipeline.Experts;
using Steve2.Pipeline.Hosting;
using Steve2.Pipeline.Student.Distillation;

namespace Steve2.Pipeline.Cli;

/// <summary>
/// The distillation's stages on their own (Student/Distillation/DISTILLATION.md):
/// <c>steve2 dagger --reference CKPT --output DIR [--teacher teacher|teacher-no-expert] [--rounds N --schedule S ...]</c> and
/// <c>steve2 train-dpo --pairs DIR[,DIR...] --reference CKPT --output DIR [--beta B --lambda L --uniform-weights]</c>.
/// Both resume when run again on their output.
/// </summary>
internal static class DistillCommands
{
    private sealed class DpoCli
    {
        public readonly Option<double> Beta = new("--beta") { Description = "DPO's temperature beta.", DefaultValueFactory = _ => new DpoOptions().Beta };
        public readonly Option<double> Lambda = new("--lambda") { Description = "The MLE term's factor lambda.", DefaultValueFactory = _ => new DpoOptions().Lambda };
        public readonly Option<double> Anchor = new("--anchor") { Description = "Factor of the anchor term: the MLE of the teacher's label at every labelled state of the rounds (their labels/), beside the pairs; 0 trains on the pairs alone.", DefaultValueFactory = _ => 0 };
        public readonly Option<string?> AnchorData = new("--anchor-data") { Description = "With --anchor: the recordings the reference was cloned from; their training decisions join the anchor set (DAgger's first data)." };
        public readonly Option<bool> Uniform = new("--uniform-weights") { Description = "Every pair weight 1 (the ablation of the per-sample weights)." };
        public readonly Option<int> Steps = new("--steps") { Description = "DPO optimiser steps (per round).", DefaultValueFactory = _ => new DpoOptions().Steps };
        public readonly Option<int> Batch = new("--batch") { Description = "Pairs a step.", DefaultValueFactory = _ => new DpoOptions().BatchSize };
        public readonly Option<double> Lr = new("--lr") { Description = "Peak learning rate.", DefaultValueFactory = _ => new DpoOptions().LearningRate };
        public readonly Option<double> Holdout = new("--holdout") { Description = "Share of each pair folder's labelled episodes held out of training; the student is measured on them at every checkpoint and the best step that beats the reference significantly on them is kept, else the reference's weights. 0: keep the last step.", DefaultValueFactory = _ => new DpoOptions().HoldoutFraction };
        public readonly Option<int> Seed = new("--seed") { Description = "Seed of the batch order and the DAgger coins.", DefaultValueFactory = _ => 1 };

        public IEnumerable<Option> All => [Beta, Lambda, Anchor, AnchorData, Uniform, Steps, Batch, Lr, Holdout, Seed];

        public DpoOptions Resolve(ParseResult p) => new DpoOptions
        {
            Beta = p.GetValue(Beta), Lambda = p.GetValue(Lambda), Anchor = p.GetValue(Anchor), AnchorData = p.GetValue(AnchorData), UniformWeights = p.GetValue(Uniform), Steps = p.GetValue(Steps),
            BatchSize = p.GetValue(Batch), LearningRate = p.GetValue(Lr), HoldoutFraction = p.GetValue(Holdout), Seed = p.GetValue(Seed),
        }.Validated();
    }

    public static Command TrainDpo()
    {
        var pairs = new Option<string>("--pairs") { Description = "Pair folders (pairs.jsonl + pairs.images.bin), separated by commas: aggregated in that order.", Required = true };
        var reference = new Option<string>("--reference") { Description = "The reference checkpoint (the BC student): theta starts from it.", Required = true };
        var output = new Option<string>("--output") { Description = "Run folder (resumes when it holds a run).", DefaultValueFactory = _ => "runs/student-dpo" };
        var device = new Option<string>("--device") { Description = "auto (CUDA when present), cpu, cuda or cuda:N.", DefaultValueFactory = _ => "auto" };
        var dpo = new DpoCli();
        var command = new Command("train-dpo", "Train the student with DPO + MLE and per-sample weights on preference pairs, from a reference (resumable).") { pairs, reference, output, device };
        foreach (var o in dpo.All) command.Options.Add(o);
        command.SetAction((parse, ct) => CliApp.GuardAsync(parse, async () =>
        {
            string dir = CliApp.OutputFolder(parse.GetValue(output)!, "--output");
            RequireCheckpoint(parse.GetValue(reference)!);
            TorchRuntime.Initialize();
            TextWriter text = parse.InvocationConfiguration.Output;
            var result = await Task.Run(() => new DpoTrainer(dpo.Resolve(parse), new LineProgress(text, 25)).Train(
                parse.GetValue(pairs)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), parse.GetValue(reference)!, dir,
                TorchRuntime.ResolveDevice(parse.GetValue(device)!), ct), ct);
            await text.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{result.Pairs} pairs, weights min {result.Weights.Min:0.###} median {result.Weights.Median:0.###} max {result.Weights.Max:0.###}; " +
                $"{(result.Selection is { } k ? $"kept step {k.SelectedStep} of {result.Steps} (held-out agreement {k.Selected.Agreement:0.###} on {k.States} states); " : "")}wrote {result.ModelPath}"));
            return CliApp.Ok;
        }));
        return command;
    }

    public static Command Dagger()
    {
        var reference = new Option<string>("--reference") { Description = "The BC reference checkpoint (round 0's student).", Required = true };
        var output = new Option<string>("--output") { Description = "Run folder with round-NNN/ (resumes when it holds a run).", DefaultValueFactory = _ => "runs/dagger" };
        var teacher = new Option<string>("--teacher") { Description = "The labelling teacher: teacher (with experts) or teacher-no-expert.", DefaultValueFactory = _ => AgentCatalog.Teacher };
        var rounds = new Option<int>("--rounds") { Description = "DAgger rounds after round 0.", DefaultValueFactory = _ => 2 };
        var schedule = new Option<string>("--schedule") { Description = "beta's schedule: linear, exponential[:p] or constant[:beta].", DefaultValueFactory = _ => "exponential:0.5" };
        var tasks = new Option<string>("--tasks") { Description = "all, or tasks separated by commas.", DefaultValueFactory = _ => "all" };
        var seedsPerRound = new Option<int>("--seeds-per-round") { Description = "Training seeds a task a round.", DefaultValueFactory = _ => 2 };
        var firstSeed = new Option<int>("--first-seed") { Description = "Round 1's first training seed.", DefaultValueFactory = _ => 1_100_000 };
        var maxIterations = new Option<int?>("--max-iterations") { Description = "Cap each rollout's iteration budget." };
        var parallel = new Option<int>("--parallel") { Description = "Episodes at once.", DefaultValueFactory = _ => System.Environment.ProcessorCount };
        var keepDiffering = new Option<bool>("--keep-differing") { Description = "Also pair feasible answers that differ from the label (default: only those the critic judges worse)." };
        var keepIdle = new Option<bool>("--keep-idle") { Description = "Also pair do-nothing decisions (a conductor told idle, an actor told wait; default: none)." };
        var device = new Option<string>("--device") { Description = "auto (CUDA when present), cpu, cuda or cuda:N.", DefaultValueFactory = _ => "auto" };
        var experts = new Option<string?>("--experts") { Description = "Address of a running expert host; without it the host is started in process." };
        Option<string?> expertsKey = ExpertsKeyOption.Create();
        var dpo = new DpoCli();
        var command = new Command("dagger", "DAgger rounds: the student plays, the teacher labels every state, DPO + MLE on the aggregated pairs (resumable).")
        {
            reference, output, teacher, rounds, schedule, tasks, seedsPerRound, firstSeed, maxIterations, parallel, keepDiffering, keepIdle, device, experts, expertsKey,
        };
        foreach (var o in dpo.All) command.Options.Add(o);
        command.SetAction((parse, ct) => CliApp.GuardAsync(parse, async () =>
        {
            string dir = CliApp.OutputFolder(parse.GetValue(output)!, "--output");
            string labelling = parse.GetValue(teacher)!;
            if (labelling is not (AgentCatalog.Teacher or AgentCatalog.TeacherNoExpert)) throw new ArgumentException($"--teacher {labelling}: the labelling teacher is teacher or teacher-no-expert.");
            var options = new DaggerRunOptions
            {
                Rounds = parse.GetValue(rounds), Schedule = parse.GetValue(schedule)!, Tasks = TaskSelection.Parse(parse.GetValue(tasks)!).Select(t => t.Name).ToArray(),
                SeedsPerRound = parse.GetValue(seedsPerRound), FirstSeed = parse.GetValue(firstSeed), MaxIterations = parse.GetValue(maxIterations),
                Parallel = parse.GetValue(parallel), Pairs = new PairOptions(parse.GetValue(keepDiffering), parse.GetValue(keepIdle)), Device = parse.GetValue(device)!,
                Dpo = dpo.Resolve(parse), Seed = parse.GetValue(dpo.Seed),
            }.Validated();
            RequireCheckpoint(parse.GetValue(reference)!);
            TorchRuntime.Initialize();
            IAnsiConsole console = CliApp.Console(parse);
            TextWriter text = parse.InvocationConfiguration.Output;
            await using ExpertConnection? connection = await HarnessSession.OpenExpertsAsync([labelling], parse.GetValue(experts), ExpertsKeyOption.Resolve(parse, expertsKey), console, ct);
            var summaries = await new DaggerRun(options, new VoxelEnvironmentFactory(), new LineProgress(text, 25)).RunAsync(dir, parse.GetValue(reference)!,
                connection?.CreateClients(), ct);
            foreach (var s in summaries)
                await text.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"round {s.Round}: beta {s.Beta:0.###}, {s.Labels} labels, first answers equal to the label {s.StudentAgreed:P0}, {s.Pairs} pairs ({s.AggregatedPairs} aggregated); {s.Checkpoint}"));
            return CliApp.Ok;
        }));
        return command;
    }

    private static void RequireCheckpoint(string path)
    {
        if (!File.Exists(path)) throw new ArgumentException($"--reference: no checkpoint at {path} (train one with steve2 train-student).");
    }
}
