namespace Expert.Host.Options;

/// <summary>Which checkpoint the host serves and where it runs. Section <c>Model</c>.</summary>
internal sealed class ModelOptions
{
    public const string Section = "Model";

    /// <summary>The shipped checkpoint, copied next to the host at build and publish.</summary>
    public const string DefaultCheckpointPath = "Checkpoints/default.ckpt";

    /// <summary>
    /// Checkpoint to load: absolute, or relative to the host's own folder (not the working
    /// directory), so the default works from any place the host is started.
    /// </summary>
    public string CheckpointPath { get; set; } = DefaultCheckpointPath;

    /// <summary><c>auto</c> (CUDA when available, else CPU), <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</summary>
    public string Device { get; set; } = "auto";

    /// <summary>The checkpoint path made absolute against the host's folder.</summary>
    public string ResolveCheckpointPath() => Path.GetFullPath(CheckpointPath, AppContext.BaseDirectory);
}
