namespace Expert.VqVae.Cli;

/// <summary>Where the shipped checkpoint sits: copied beside the binaries at build time.</summary>
public static class DefaultPaths
{
    /// <summary>The path of the checkpoint in the source tree (the file that is committed).</summary>
    public const string SourceCheckpoint = "src/Expert.VqVae/Checkpoints/default.ckpt";

    /// <summary>The shipped checkpoint beside the running binaries.</summary>
    public static string ShippedCheckpoint => Path.Combine(AppContext.BaseDirectory, "Checkpoints", "default.ckpt");

    /// <summary>The shipped materials checkpoint (imagination v2: occupancy and a block per voxel) in the source tree.</summary>
    public const string SourceMaterialsCheckpoint = "src/Expert.VqVae/Checkpoints/materials.ckpt";

    /// <summary>
    /// The shipped materials checkpoint beside the running binaries (Training/TRAINING.md, "The shipped
    /// materials checkpoint"); the host serves it with <c>Model:CheckpointPath=Checkpoints/materials.ckpt</c>.
    /// </summary>
    public static string ShippedMaterialsCheckpoint => Path.Combine(AppContext.BaseDirectory, "Checkpoints", "materials.ckpt");
}
