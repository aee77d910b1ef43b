using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Steve2.Pipeline.Student.Data;
using Steve2.Pipeline.Student.Inference;
using Steve2.Pipeline.Student.Training;
using TorchSharp;

namespace Steve2.Pipeline.Cli;

/// <summary>
/// <c>steve2 student-bench --student PATH --dataset FILE [--calls N] [--batch B] [--device auto]</c>: the student's
/// inference cost on held-out prompts of a dataset cache (a train-student run's dataset.bin): per model call (one
/// answer, greedy, KV cache) p50/p95 latency at batch 1, the per-call cost in batches of B, and the peak RSS.
/// </summary>
internal static class StudentBenchCommand
{
    public static Command Create()
    {
        var model = new StudentModelCliOptions();
        var dataset = new Option<string>("--dataset") { Description = "A dataset cache (dataset.bin of a train-student run).", Required = true };
        var calls = new Option<int>("--calls") { Description = "Model calls to time.", DefaultValueFactory = _ => 50 };
        var batch = new Option<int>("--batch") { Description = "Batch size of the batched measurement.", DefaultValueFactory = _ => 16 };
        var free = new Option<bool>("--no-grammar") { Description = "Decode freely, not within each role's answer grammar as the student agent does (AnswerGrammar)." };
        var command = new Command("student-bench", "Time the student's model calls (batch 1 and batched, KV cache, within the answer grammar) and its peak memory.")
        {
            dataset, calls, batch, free,
        };
        foreach (var option in model.All) command.Options.Add(option);
        command.SetAction((parse, cancellationToken) => CliApp.GuardAsync(parse, async () =>
        {
            var (header, student, tokenizer, dev) = model.Load(parse);
            var sequences = new StudentSequences(tokenizer, student.Config);
            var generator = new StudentGenerator(student, sequences, dev);
            var data = StudentDataset.Read(parse.GetValue(dataset)!);
            var pool = data.Validation.Concat(data.Training).Take(Math.Max(parse.GetValue(calls), parse.GetValue(batch)) * 4).ToList();
            var prompts = pool.Select(e => (Prompt: sequences.Prompt(e.RoleId, e.Instruction, e.State, e.Memory), Image: data.Images[e.ImageIndex])).ToList();
            var roles = pool.Select(e => parse.GetValue(free) ? null : e.Role).ToList();
            // The agent's path: greedy, each answer within its role's grammar (or free with --no-grammar).
            int[][] Generate(int start, int count) => generator.GenerateAnswers(
                Enumerable.Range(start, count).Select(i => prompts[i % prompts.Count]).ToList(), null,
                Enumerable.Range(0, count).Select(_ => new Random(0)).ToArray(), roles: Enumerable.Range(start, count).Select(i => roles[i % roles.Count]).ToArray())
                .Select(a => a.Ids).ToArray();
            TextWriter text = parse.InvocationConfiguration.Output;
            Generate(0, 1);   // warm-up
            generator.Timings = new GenerationTimings();
            var single = new List<double>();
            long tokens = 0;
            for (int i = 0; i < parse.GetValue(calls); i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var clock = Stopwatch.StartNew();
                tokens += Generate(i, 1)[0].Length + 1;
                single.Add(clock.Elapsed.TotalMilliseconds);
            }
            var split = generator.Timings.Calls;
            generator.Timings = null;
            double prefillP50 = Median(split.Select(c => c.PrefillMs)), stepP50 = Median(split.Where(c => c.Steps > 0).Select(c => c.DecodeMs / c.Steps));
            int b = parse.GetValue(batch);
            var batched = new List<double>();
            for (int i = 0; i < Math.Max(1, parse.GetValue(calls) / b); i++)
            {
                var clock = Stopwatch.StartNew();
                Generate(i * b, b);
                batched.Add(clock.Elapsed.TotalMilliseconds / b);
            }
            single.Sort();
            batched.Sort();
            double peakMb = Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0;
            string vram = dev.type == DeviceType.CUDA ? " (VRAM: see nvidia-smi)" : "";
            await text.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"student {header.Config.Preset} ({student.ParameterCount:N0} parameters) on {dev.type}, {torch.get_num_threads()} threads, {(parse.GetValue(free) ? "free" : "within the grammar")}: " +
                $"batch 1: p50 {single[single.Count / 2]:F1} ms, p95 {single[(int)(single.Count * 0.95)]:F1} ms a call ({tokens / (double)single.Count:F1} tokens a call; " +
                $"prefill p50 {prefillP50:F1} ms for {prompts.Take(single.Count).Average(p => p.Prompt.Length):F0} prompt tokens, then p50 {stepP50:F2} ms a decoding step); " +
                $"batch {b}: p50 {batched[batched.Count / 2]:F1} ms a call; peak RSS {peakMb:F0} MB{vram}"));
            return CliApp.Ok;
        }));
        return command;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[sorted.Length / 2];
    }
}
