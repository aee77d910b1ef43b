using System.CommandLine;

namespace Expert.VqVae.Cli;

/// <summary>The `vqvae` command line: corpus, train, eval, generate, bench.</summary>
public static class CliApp
{
    public static int Run(string[] args)
    {
        var root = new RootCommand("STEVE-2 imagination expert: text to 3D occupancy with a VQ-VAE and a text-conditioned prior.")
        {
            CorpusCommand.Create(),
            TrainCommand.Create(),
            EvalCommand.Create(),
            GenerateCommand.Create(),
            BenchCommand.Create(),
        };
        return root.Parse(args).Invoke();
    }

    /// <summary>Runs a command body; expected failures print one clear line and exit 1.</summary>
    internal static int Guard(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException or FileNotFoundException or InvalidOperationException or OperationCanceledException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }
}
