using Expert.Host.Options;
using Expert.VqVae.Inference;

namespace Expert.Host.Model;

/// <summary>The production factory: the TorchSharp VQ-VAE and prior from a checkpoint file.</summary>
internal sealed class CheckpointGeneratorFactory : IGeneratorFactory
{
    public IOccupancyGenerator Load(ModelOptions options, CancellationToken cancellationToken) =>
        OccupancyModel.Load(options.ResolveCheckpointPath(), options.Device);
}
