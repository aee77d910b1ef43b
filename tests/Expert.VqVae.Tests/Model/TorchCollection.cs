namespace Expert.VqVae.Tests.Model;

/// <summary>
/// Tests that train or run libtorch modules share one collection, so xunit runs them one at a
/// time: they set the global seed, and concurrent optimiser steps from parallel classes have
/// failed inside libtorch (a Scalar conversion check in Adam.step).
/// </summary>
[CollectionDefinition(Name)]
public sealed class TorchCollection
{
    public const string Name = "libtorch";
}
