using System.CommandLine;
using Expert.VqVae.MlCore.Runtime;
using Spectre.Console;
using Steve2.Pipeline.Hosting;
using Steve2.Pipeline.Trajectories;

namespace Steve2.Pipeline.Cli;

/// <summary>
/// The `steve2` command line: eval, record, trajectories inspect, world-bench, train-student, student-bench, iteration-bench, play. Exit codes: 0 done;
/// 1 bad input, an unreachable expert host or a corrupt file (one line on standard error, nothing
/// written); 2 the run finished but some episodes failed (they are in the report); 130 cancelled.
/// </summary>
public static class CliApp
{
    public const int Ok = 0;
    public const int BadInput = 1;
    public const int EpisodesFailed = 2;
    public const int Cancelled = 130;

    public static Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? error = null, CancellationToken cancellationToken = default)
    {
        TorchRuntime.PreferPassiveThreads();   // before the in-process expert host can load libtorch
        var root = new RootCommand("steve2: the STEVE-2 pipeline: the voxel world, the five tasks, the teacher, recorded trajectories and the evaluation harness.")
        {
            EvalCommand.Create(),
            RecordCommand.Create(),
            TrajectoriesCommand.Create(),
            WorldBenchCommand.Create(),
            TrainStudentCommand.Create(),
            StudentBenchCommand.Create(),
            StudentValidateCommand.Create(),
            IterationBenchCommand.Create(),
            PlayCommand.Create(),
            ExperimentCommand.Create(),
            DistillCommands.Dagger(),
            DistillCommands.TrainDpo(),
        };
        var configuration = new InvocationConfiguration { Output = output ?? System.Console.Out, Error = error ?? System.Console.Error };
        return root.Parse(args).InvokeAsync(configuration, cancellationToken);
    }

    /// <summary>A console for Spectre output on the invocation's output writer.</summary>
    internal static IAnsiConsole Console(ParseResult parse)
    {
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(parse.InvocationConfiguration.Output) });
        // Redirected to a file or pipe, Spectre assumes 80 columns: wide enough for the tables instead.
        if (!console.Profile.Capabilities.Interactive) console.Profile.Width = 160;
        return console;
    }

    /// <summary>Runs a command body; expected failures print one clear line and exit <see cref="BadInput"/>, a cancel exits <see cref="Cancelled"/>.</summary>
    internal static async Task<int> GuardAsync(ParseResult parse, Func<Task<int>> body)
    {
        TextWriter error = parse.InvocationConfiguration.Error;
        try
        {
            return await body();
        }
        catch (Exception e) when (e is ArgumentException or ExpertHostUnavailableException or TrajectoryFormatException
                                      or DirectoryNotFoundException or InvalidOperationException or IOException or UnauthorizedAccessException
                                      or InvalidDataException)
        {
            await error.WriteLineAsync($"error: {e.Message}");
            return BadInput;
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("cancelled: no report was written and unfinished episodes were not kept.");
            return Cancelled;
        }
    }

    /// <summary>Refuses an output path that is a file.</summary>
    internal static string OutputFolder(string path, string option)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException($"{option} is empty: give a folder.");
        if (File.Exists(path)) throw new ArgumentException($"{option} {path} is a file: give a folder.");
        return path;
    }
}
