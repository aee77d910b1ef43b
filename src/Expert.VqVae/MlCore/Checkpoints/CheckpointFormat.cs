using System.Text;
using System.Text.Json;
using Expert.DynamicMap.Shared;
using TorchSharp;
using static TorchSharp.torch;

namespace Expert.VqVae.MlCore.Checkpoints;

/// <summary>
/// A kind of checkpoint file: its magic, its header type and how the header is written as JSON.
/// Every model of the repository stores its checkpoints in this one layout (little endian):
/// <code>
/// magic              8 ASCII bytes, one per kind ("S2VQCKPT": the imagination model)
/// int32              header length N (1 .. MaxHeaderBytes)
/// N bytes            UTF-8 JSON of THeader (the resolved config, steps, metrics: whatever the kind keeps)
/// module 1 state     TorchSharp Module.save format (parameters and buffers, in state_dict order)
/// ...                one state per module, in the order they were given to Save
/// optimiser state    optional, TorchSharp OptimizerHelper.save_state_dict format, to the end of the file
/// </code>
/// The file holds no module names or count: the header says which modules follow (the reader
/// builds them from the header's configs, in the same order, and loads them strictly, so a
/// mismatch fails loudly). Files are written with <see cref="AtomicFile"/>: a crash or a throwing
/// module never leaves a half checkpoint under the real name. Immutable; share one instance per kind.
/// </summary>
/// <typeparam name="THeader">The kind's header record (JSON-serialisable).</typeparam>
public sealed class CheckpointFormat<THeader> where THeader : class
{
    /// <summary>The largest header accepted on reading (a corrupt length fails fast instead of allocating).</summary>
    public const int MaxHeaderBytes = 16 << 20;

    private readonly byte[] _magic;
    private readonly Func<THeader, string?>? _validate;

    /// <param name="magic">Exactly 8 ASCII characters that open every file of this kind.</param>
    /// <param name="kind">What a file of this kind is called in errors, e.g. "STEVE-2 VQ-VAE checkpoint".</param>
    /// <param name="json">How the header is written and read (default: <see cref="JsonSerializerOptions.Default"/>).
    /// Keep it fixed for a kind: the header bytes of its files depend on it.</param>
    /// <param name="validate">Checks a header just read (its format version, say); returns a problem
    /// ("has format 2; this build reads format 1") or null. The problem is thrown as an
    /// <see cref="InvalidDataException"/> after the file's path.</param>
    public CheckpointFormat(string magic, string kind, JsonSerializerOptions? json = null, Func<THeader, string?>? validate = null)
    {
        ArgumentNullException.ThrowIfNull(magic);
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        if (magic.Length != 8 || magic.Any(c => c is < ' ' or > '~'))
            throw new ArgumentException($"A checkpoint magic is 8 printable ASCII characters, not '{magic}'.", nameof(magic));
        _magic = Encoding.ASCII.GetBytes(magic);
        Magic = magic;
        Kind = kind;
        Json = json ?? JsonSerializerOptions.Default;
        _validate = validate;
    }

    /// <summary>The 8 characters that open every file of this kind.</summary>
    public string Magic { get; }

    /// <summary>What a file of this kind is called in errors.</summary>
    public string Kind { get; }

    /// <summary>The header's JSON options.</summary>
    public JsonSerializerOptions Json { get; }

    /// <summary>
    /// Writes a checkpoint atomically: the header, each module's state in the order given (each
    /// where it is: CPU or GPU tensors are written the same), then the optimiser's state if one is given.
    /// </summary>
    /// <exception cref="ArgumentException">The optimiser cannot save its state.</exception>
    public void Save(string path, THeader header, IReadOnlyList<nn.Module> modules, optim.Optimizer? optimizer = null)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(modules);
        if (optimizer is not null and not TorchSharp.Modules.OptimizerHelper)
            throw new ArgumentException($"This optimizer ({optimizer.GetType().Name}) cannot save its state.", nameof(optimizer));
        AtomicFile.Write(path, stream =>
        {
            using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            writer.Write(_magic);
            byte[] json = JsonSerializer.SerializeToUtf8Bytes(header, Json);
            writer.Write(json.Length);
            writer.Write(json);
            foreach (var module in modules) module.save(writer);
            if (optimizer is TorchSharp.Modules.OptimizerHelper helper) helper.save_state_dict(writer);
            writer.Flush();
        });
    }

    /// <summary>Reads only the header (cheap: no weights are read).</summary>
    /// <exception cref="InvalidDataException">Not a file of this kind, a corrupt header, or one <c>validate</c> refuses.</exception>
    public THeader ReadHeader(string path)
    {
        using var reader = OpenRead(path);
        return reader.Header;
    }

    /// <summary>
    /// Opens a checkpoint and reads its header; then build the modules the header describes and
    /// pass them, in the order they were saved, to <see cref="CheckpointReader{THeader}.LoadModule"/>.
    /// </summary>
    /// <exception cref="InvalidDataException">Not a file of this kind, a corrupt header, or one <c>validate</c> refuses.</exception>
    public CheckpointReader<THeader> OpenRead(string path)
    {
        var stream = File.OpenRead(path);
        try
        {
            var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: false);
            return new CheckpointReader<THeader>(path, reader, ReadHeader(reader, path));
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Restores an optimiser's state saved at <paramref name="offset"/> of the file (the
    /// <see cref="CheckpointReader{THeader}.Position"/> after its last module): for resuming training
    /// after the reader is gone. The optimiser must be built over the same parameters, in the same order.
    /// </summary>
    public static void LoadOptimizerState(string path, long offset, optim.Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        if (optimizer is not TorchSharp.Modules.OptimizerHelper helper)
            throw new ArgumentException($"This optimizer ({optimizer.GetType().Name}) cannot load state.", nameof(optimizer));
        using var stream = File.OpenRead(path);
        stream.Position = offset;
        using var reader = new BinaryReader(stream);
        helper.load_state_dict(reader);
    }

    private THeader ReadHeader(BinaryReader reader, string path)
    {
        byte[] magic = reader.ReadBytes(_magic.Length);
        if (!magic.AsSpan().SequenceEqual(_magic))
            throw new InvalidDataException($"'{path}' is not a {Kind} (bad magic).");
        if (reader.BaseStream.Length - reader.BaseStream.Position < sizeof(int))
            throw new InvalidDataException($"'{path}' is truncated inside its header.");
        int length = reader.ReadInt32();
        if (length <= 0 || length > MaxHeaderBytes)
            throw new InvalidDataException($"'{path}' has a corrupt header length ({length}).");
        byte[] json = reader.ReadBytes(length);
        if (json.Length != length) throw new InvalidDataException($"'{path}' is truncated inside its header.");
        THeader header;
        try
        {
            header = JsonSerializer.Deserialize<THeader>(json, Json)
                ?? throw new InvalidDataException($"'{path}' has an empty header.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{path}' has a header that is not a valid {Kind} header: {e.Message}", e);
        }
        if (_validate?.Invoke(header) is { } problem) throw new InvalidDataException($"'{path}' {problem}");
        return header;
    }
}
