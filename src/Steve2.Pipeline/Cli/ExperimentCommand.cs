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
/// <c>steve2 experiment --output runs/paper [--profile quick|full] [--device auto] [--parallel N] [--reference CKPT [--reference-data DIR]]</c>: the whole distillation experiment and
/// its report (Student/Distillation/DISTILLATION.md). Run it again on the same output to resume.
/// </summary>
internal static class ExperimentCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--output") { Description = "Run folder: data, bc, dagger, eval, report.md (resumes when it holds a run).", DefaultValueFactory = _ => "runs/paper" };
        var profile = new Option<string>("--profile") { Description = "quick (this 2-core CPU, minutes), full (the README's table) or tiny (a smoke run).", DefaultValueFactory = _ => "quick" };
        var device = new Option<string>("--device") { Description = "The student's device: auto (CUDA when present), cpu, cuda or cuda:N.", DefaultValueFactory = _ => "auto" };
        var experts = new Option<string?>("--experts") { Description = "Address of a running expert host (http://host:port); without it the host is started in process." };
        Option<string?> expertsKey = ExpertsKeyOption.Create();
        var threads = new Option<int?>("--threads") { Description = "CPU threads for libtorch (default: one per core)." };
        var reference = new Option<string?>("--reference") { Description = "A student checkpoint (steve2 train-student on teacher-no-expert's recordings) to distil from, instead of the record and BC stages." };
        var parallel = new Option<int?>("--parallel") { Description = "Episodes at once in the rollouts and evaluations (default: the profile's); the student's calls of concurrent episodes share batches." };
        var referenceData = new Option<string?>("--reference-data") { Description = "With --reference: the recordings it was cloned from; they join the DPO anchor set (DAgger's aggregate)." };
        var command = new Command("experiment", "Record, behaviour cloning, DAgger with DPO + MLE, evaluation of every agent, and the ablation and efficiency tables (resumable).")
        {
            output, profile, device, experts, expertsKey, threads, reference, referenceData, parallel,
        };
        command.SetAction((parse, cancellationToken) => CliApp.GuardAsync(parse, async () =>
        {
            string root = CliApp.OutputFolder(parse.GetValue(output)!, "--output");
            var chosen = ExperimentProfile.Get(parse.GetValue(profile)!);
            if (parse.GetValue(parallel) is int n)
            {
                if (n < 1) throw new ArgumentException("--parallel must be at least 1.");
                chosen = chosen with { Parallel = n };
            }
            TorchRuntime.Initialize(parse.GetValue(threads));
            IAnsiConsole console = CliApp.Console(parse);
            TextWriter text = parse.InvocationConfiguration.Output;
            await using ExpertConnection? connection = await HarnessSession.OpenExpertsAsync([AgentCatalog.Teacher], parse.GetValue(experts), ExpertsKeyOption.Resolve(parse, expertsKey), console, cancellationToken);
            var experiment = new Experiment(chosen, new VoxelEnvironmentFactory(), parse.GetValue(device)!, new LineProgress(text, 25), new EpisodeLines(text), parse.GetValue(reference), parse.GetValue(referenceData));
            var report = await experiment.RunAsync(root, connection!.CreateClients(), cancellationToken);
            await text.WriteLineAsync(File.ReadAllText(Path.Combine(root, Experiment.ReportName)));
            await text.WriteLineAsync($"wrote {Path.GetFullPath(Path.Combine(root, Experiment.ReportName))} (profile {report.Profile})");
            return CliApp.Ok;
        }));
        return command;
    }

    /// <summary>A line every tenth of the episodes of a stage.</summary>
    private sealed class EpisodeLines(TextWriter text) : IEvaluationProgress
    {
        private int _planned, _done;

        public void Planned(IReadOnlyList<EpisodeJob> jobs)
        {
            Interlocked.Exchange(ref _planned, jobs.Count);
            Interlocked.Exchange(ref _done, 0);
        }

        public void Finished(EpisodeJob job, EpisodeOutcome outcome)
        {
            int done = Interlocked.Increment(ref _done), planned = Volatile.Read(ref _planned);
            if (done == planned || done % Math.Max(1, planned / 10) == 0)
                lock (text) text.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  episodes {done}/{planned} ({job.Agent}){(outcome.Failed ? $": {job.Task} {job.Seed} failed: {outcome.Error}" : "")}"));
        }
    }
}
