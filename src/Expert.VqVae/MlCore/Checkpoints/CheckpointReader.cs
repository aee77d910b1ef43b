using static TorchSharp.torch;

namespace Expert.VqVae.MlCore.Checkpoints;

/// <summary>
/// An open checkpoint (<see cref="CheckpointFormat{THeader}.OpenRead"/>): its header is read, the
/// module states follow in the order they were saved. Build each module from the header's config
/// and pass it to <see cref="LoadModule"/>, in the saved order; then, to resume training,
/// <see cref="LoadOptimizerState"/> (or keep <see cref="Position"/> for
/// <see cref="CheckpointFormat{THeader}.LoadOptimizerState"/> later). Not thread-safe; dispose it.
/// </summary>
public sealed class CheckpointReader<THeader> : IDisposable where THeader : class
{
    private readonly BinaryReader _reader;

    internal CheckpointReader(string path, BinaryReader reader, THeader header)
    {
        Path = path;
        _reader = reader;
        Header = header;
    }

    /// <summary>The file's path, as given.</summary>
    public string Path { get; }

    /// <summary>The header (validated by the format).</summary>
    public THeader Header { get; }

    /// <summary>How many module states have been loaded.</summary>
    public int ModulesLoaded { get; private set; }

    /// <summary>The offset of what comes next: after the last module, the optimiser state's offset.</summary>
    public long Position => _reader.BaseStream.Position;

    /// <summary>True when bytes follow what has been read: after the last module, an optimiser state.</summary>
    public bool HasMore => _reader.BaseStream.Position < _reader.BaseStream.Length;

    /// <summary>
    /// Loads the next module state into <paramref name="module"/> (built on the CPU from the header's
    /// config). Strict by default: every parameter and buffer must be present with its shape.
    /// </summary>
    /// <exception cref="InvalidDataException">The state does not fit the module (a config that does not
    /// match the weights, modules in another order) or the file ends early.</exception>
    public void LoadModule(nn.Module module, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(module);
        try
        {
            module.load(_reader, strict: strict);
        }
        catch (Exception e) when (e is not InvalidDataException)
        {
            throw new InvalidDataException(
                $"Checkpoint '{Path}' has weights that do not match its config (module {ModulesLoaded + 1}, {module.GetType().Name}): {e.Message}", e);
        }
        ModulesLoaded++;
    }

    /// <summary>Restores the optimiser state that follows the last module (call after every <see cref="LoadModule"/>).</summary>
    /// <exception cref="InvalidOperationException">Nothing follows the modules: the checkpoint was saved without an optimiser.</exception>
    public void LoadOptimizerState(optim.Optimizer optimizer)
    {
        if (!HasMore) throw new InvalidOperationException($"Checkpoint '{Path}' holds no optimizer state after its {ModulesLoaded} modules.");
        CheckpointFormat<THeader>.LoadOptimizerState(Path, Position, optimizer);
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => _reader.Dispose();
}
