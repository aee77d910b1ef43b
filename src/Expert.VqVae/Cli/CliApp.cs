using System.CommandLine;
using Expert.VqVae.Inference;

namespace Expert.VqVae.Cli;

/// <summary>The `vqvae` command line: corpus, train, train-features, eval, generate, bench, decoding.</summary>
public static class CliApp
{
    public static int Run(string[] args)
    {
        var root = new RootCommand("STEVE-2 imagination expert: text to 3D occupancy with a VQ-VAE and a text-conditioned prior.")
        {
            CorpusCommand.Create(),
            TrainCommand.Create(),
            TrainFeaturesCommand.Create(),
            EvalCommand.Create(),
            GenerateCommand.Create(),
            BenchCommand.Create(),
            DecodingCommand.Create(),
        };
        return root.Parse(args).Invoke();
    }

    /// <summary>Returns <paramref name="sampling"/>, or throws naming the command-line flag of every knob out of range.</summary>
    internal static SamplingOptions Checked(SamplingOptions sampling)
    {
        var errors = sampling.Validate();
        if (errors.Count > 0) throw new ArgumentException(string.Join("; ", errors.Select(e => $"--{e.Field.Replace('_', '-')} {e.Message}")));
        return sampling;
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
