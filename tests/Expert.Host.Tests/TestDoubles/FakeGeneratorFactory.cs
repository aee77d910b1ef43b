using Expert.Host.Model;
using Expert.Host.Options;
using Expert.VqVae.Inference;

namespace Expert.Host.Tests.TestDoubles;

/// <summary>TEST DOUBLE of the model loader: hands out a given generator, optionally only after a gate opens, or fails.</summary>
internal sealed class FakeGeneratorFactory(IOccupancyGenerator generator) : IGeneratorFactory
{
    private readonly ManualResetEventSlim _loadGate = new(initialState: true);

    public Exception? FailWith { get; init; }

    /// <summary>Makes the next load wait until <see cref="FinishLoading"/>.</summary>
    public FakeGeneratorFactory HoldLoading()
    {
        _loadGate.Reset();
        return this;
    }

    public void FinishLoading() => _loadGate.Set();

    public IOccupancyGenerator Load(ModelOptions options, CancellationToken cancellationToken)
    {
        _loadGate.Wait(cancellationToken);
        if (FailWith is not null) throw FailWith;
        return generator;
    }
}
