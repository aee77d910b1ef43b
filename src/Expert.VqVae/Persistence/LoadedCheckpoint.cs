using Expert.VqVae.Model;

namespace Expert.VqVae.Persistence;

/// <summary>
/// A loaded imagination-model checkpoint's header and modules (on the CPU, in training mode as
/// built). <see cref="OptimizerOffset"/> is where the optimiser state begins in the file, or -1
/// when it has none (see <see cref="ModelCheckpoint.LoadOptimizerState"/>).
/// </summary>
public sealed record LoadedCheckpoint(CheckpointHeader Header, VqVae3d VqVae, TextConditionedPrior? Prior, string Path, long OptimizerOffset)
{
    /// <summary>The material painter, when the header has one (<see cref="CheckpointHeader.Painter"/>).</summary>
    public MaterialPainter? Painter { get; init; }

    /// <summary>Disposes every module the checkpoint holds.</summary>
    public void DisposeModules()
    {
        VqVae.Dispose();
        Prior?.Dispose();
        Painter?.Dispose();
    }
}
