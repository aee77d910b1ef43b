using System.CommandLine;
using System.Globalization;
using Expert.VqVae.MlCore.Runtime;
using Expert.VqVae.MlCore.Training;
using Spectre.Console;
using Steve2.Pipeline.Student.Training;

namespace Steve2.Pipeline.Cli;

/// <summary>
/// <c>steve2 train-student --data DIR --output runs/student-bc [--preset small] [--device auto] [--decoder PATH [--freeze-decoder false]]</c>: behaviour cloning
/// of the student on recorded teacher trajectories (Student/STUDENT.md). Run it again on the same output to resume.
/// </summary>
internal static class TrainStudentCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Recorded teacher trajectories (steve2 record; training seeds only).", Required = true };
        var output = new Option<string>("--output") { Description = "Run folder: dataset cache, checkpoints, metrics.jsonl, curves-bc.png (resumes when it holds a run).", DefaultValueFactory = _ => "runs/student-bc" };
        var preset = new Option<string>("--preset") { Description = "Model size: tiny, small (the CPU default) or base (for a GPU).", DefaultValueFactory = _ => "small" };
        var device = new Option<string>("--device") { Description = "auto (CUDA when present), cpu, cuda or cuda:N.", DefaultValueFactory = _ => "auto" };
        var steps = new Option<int>("--steps") { Description = "Optimiser steps.", DefaultValueFactory = _ => 2000 };
        var batch = new Option<int>("--batch") { Description = "Examples a step.", DefaultValueFactory = _ => 16 };
        var lr = new Option<double>("--lr") { Description = "Peak learning rate (warmup, then cosine decay).", DefaultValueFactory = _ => 1e-3 };
        var seed = new Option<int>("--seed") { Description = "Seed of the initial weights and the batch order.", DefaultValueFactory = _ => 1 };
        var validateEvery = new Option<int>("--validate-every") { Description = "Validate on held-out seeds every N steps.", DefaultValueFactory = _ => 250 };
        var validationLimit = new Option<int>("--validation-limit") { Description = "Held-out examples generated per validation.", DefaultValueFactory = _ => 300 };
        var balanceRoles = new Option<bool>("--balance-roles") { Description = "Draw each example's role uniformly first (the manager is ~2% of the decisions)." };
        var balanceTasks = new Option<bool>("--balance-tasks") { Description = "Draw each example's task uniformly first (object search is ~12% of the decisions); with --balance-roles, a task's role." };
        var init = new Option<string?>("--init") { Description = "Start a new run from this student checkpoint's weights (same preset and data): fine-tuning." };
        var memoryTokens = new Option<int?>("--memory-tokens") { Description = "The memory segment's token budget (default: the preset's, or the --init checkpoint's; a fine-tune may widen it)." };
        var threads = new Option<int?>("--threads") { Description = "CPU threads for libtorch (default: one per core)." };
        var decoder = new Option<string?>("--decoder") { Description = "A pretrained decoder's folder (Llama/Qwen2 layout: config.json, model.safetensors, vocab.json, merges.txt); the ViT and projector are trained around it (Student/STUDENT.md)." };
        var freezeDecoder = new Option<bool>("--freeze-decoder") { Description = "With --decoder: keep the decoder's weights fixed (true, the default) or train them too (false).", DefaultValueFactory = _ => true };
        var command = new Command("train-student", "Train the student by behaviour cloning on recorded teacher trajectories (resumable).")
        {
            data, output, preset, device, steps, batch, lr, seed, validateEvery, validationLimit, threads, decoder, freezeDecoder, balanceRoles, balanceTasks, init, memoryTokens,
        };
        command.SetAction((parse, cancellationToken) => CliApp.GuardAsync(parse, async () =>
        {
            string outputDir = CliApp.OutputFolder(parse.GetValue(output)!, "--output");
            var options = new StudentTrainOptions
            {
                Preset = parse.GetValue(preset)!,
                Steps = parse.GetValue(steps),
                BatchSize = parse.GetValue(batch),
                LearningRate = parse.GetValue(lr),
                Seed = parse.GetValue(seed),
                ValidateEvery = parse.GetValue(validateEvery),
                ValidationLimit = parse.GetValue(validationLimit),
                DecoderPath = parse.GetValue(decoder),
                FreezeDecoder = parse.GetValue(freezeDecoder),
                BalanceRoles = parse.GetValue(balanceRoles),
                BalanceTasks = parse.GetValue(balanceTasks),
                InitFrom = parse.GetValue(init),
                MemoryTokens = parse.GetValue(memoryTokens),
            }.Validated();
            TorchRuntime.Initialize(parse.GetValue(threads));
            var torchDevice = TorchRuntime.ResolveDevice(parse.GetValue(device)!);
            IAnsiConsole console = CliApp.Console(parse);
            TextWriter text = parse.InvocationConfiguration.Output;
            StudentTrainResult result;
            if (console.Profile.Capabilities.Interactive)
            {
                result = await console.Progress().AutoClear(false).StartAsync(ctx =>
                {
                    var bar = new BarProgress(ctx, console);
                    return Task.Run(() => new StudentTrainer(options, bar).Train(parse.GetValue(data)!, outputDir, torchDevice, cancellationToken), cancellationToken);
                });
            }
            else
            {
                result = await Task.Run(() => new StudentTrainer(options, new LineProgress(text, 50)).Train(parse.GetValue(data)!, outputDir, torchDevice, cancellationToken), cancellationToken);
            }
            foreach (var (k, v) in result.Validation.Where(kv => kv.Key.StartsWith("val/", StringComparison.Ordinal)).OrderBy(kv => kv.Key, StringComparer.Ordinal))
                await text.WriteLineAsync($"{k} = {v.ToString("0.000", CultureInfo.InvariantCulture)}");
            return CliApp.Ok;
        }));
        return command;
    }

    /// <summary>A Spectre progress bar over the steps, with the loss and the last validation's exact match in its label.</summary>
    private sealed class BarProgress(ProgressContext context, IAnsiConsole console) : ITrainingProgress
    {
        private ProgressTask? _bar;
        private double _exact = double.NaN;

        public void Step(string stage, int step, int totalSteps, IReadOnlyDictionary<string, double> values)
        {
            _bar ??= context.AddTask(stage, maxValue: totalSteps);
            if (values.TryGetValue("val/exact/all", out double e)) _exact = e;
            _bar.Value = step;
            _bar.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{stage} loss {values["loss"]:0.000} val exact {_exact:P0}"));
        }

        public void Message(string text) => console.MarkupLine(Markup.Escape(text));
    }
}
