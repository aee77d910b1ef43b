using Expert.Host.Options;
using Expert.VqVae.Inference;

namespace Expert.Host.Model;

/// <summary>
/// Loads the model the host serves. <see cref="ModelHolder"/> calls it once, in the background,
/// when the host starts; tests swap it for a factory of a test double.
/// </summary>
internal interface IGeneratorFactory
{
    /// <summary>Loads the generator described by <paramref name="options"/>; may take seconds.</summary>
    IOccupancyGenerator Load(ModelOptions options, CancellationToken cancellationToken);
}
