namespace Expert.VqVae.Cli;

/// <summary>Where the shipped checkpoint sits: copied beside the binaries at build time.</summary>
public static class DefaultPaths
{
    /// <summary>The path of the checkpoint in the source tree (the file that is committed).</summary>
    public const string SourceCheckpoint = "src/Expert.VqVae/Checkpoints/default.ckpt";

    /// <summary>The shipped checkpoint beside the running binaries.</summary>
    public static string ShippedCheckpoint => Path.Combine(AppContext.BaseDirectory, "Checkpoints", "default.ckpt");
}
