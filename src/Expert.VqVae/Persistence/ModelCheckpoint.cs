using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Expert.DynamicMap.Shared;
using Expert.VqVae.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Expert.VqVae.Persistence;

/// <summary>What a checkpoint says about itself: the resolved config beside the weights.</summary>
public sealed record CheckpointHeader
{
    public const int CurrentFormat = 1;

    public int Format { get; init; } = CurrentFormat;
    /// <summary>A short name for logs and gRPC responses, e.g. "vqvae-prior-20261126-a1b2c3".</summary>
    public required string ModelVersion { get; init; }
    public required VqVaeConfig VqVae { get; init; }
    /// <summary>Null while only the autoencoder has been trained.</summary>
    public PriorConfig? Prior { get; init; }
    /// <summary>The tokenizer's compact vocabulary (see Text/DescriptionTokenizer.cs).</summary>
    public int[] TokenizerBpeIds { get; init; } = [];
    /// <summary>"vqvae" (pre-training the autoencoder), "prior" (text fine-tuning), "decoder" (decoder fine-tuning) or "done".</summary>
    public required string Stage { get; init; }
    public int VqVaeStep { get; init; }
    public int PriorStep { get; init; }
    /// <summary>Steps of the decoder fine-tuning stage (Training/DecoderTrainer.cs); 0 and not written when it never ran.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int DecoderStep { get; init; }
    /// <summary>The model version whose frozen encoder, codebook and prior a fine-tuned decoder was trained under.</summary>
    public string? DecoderFrom { get; init; }
    /// <summary>
    /// The one code the prior was trained to use for all-empty blocks (see
    /// Training/ImaginationTrainer.CanonicalizeEmptyBlocks); null before the prior stage.
    /// </summary>
    public long? EmptyCode { get; init; }
    /// <summary>Best validation metric so far (stage dependent; see TRAINING.md).</summary>
    public double BestMetric { get; init; }
    public Dictionary<string, double> Metrics { get; init; } = new();
    /// <summary>The training options that produced the checkpoint, as JSON.</summary>
    public JsonElement? TrainingOptions { get; init; }
    /// <summary>True when the optimiser state of the current stage follows the weights (resume).</summary>
    public bool HasOptimizerState { get; init; }
    public DateTimeOffset SavedAt { get; init; } = DateTimeOffset.UtcNow;
}

/// <summary>
/// Reads and writes checkpoint files. Layout (little endian):
/// <code>
/// "S2VQCKPT"            8 bytes magic
/// int32                 header length N
/// N bytes               UTF-8 JSON CheckpointHeader
/// vqvae state           TorchSharp Module.save format
/// prior state           present when header.Prior != null
/// optimiser state       present when header.HasOptimizerState
/// </code>
/// A checkpoint is written to a temporary file in the same folder, flushed to disk and renamed
/// over the target, so a crash never leaves a half-written checkpoint under the real name.
/// </summary>
public static class ModelCheckpoint
{
    private static readonly byte[] Magic = "S2VQCKPT"u8.ToArray();

    internal static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = false,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static void Save(string path, CheckpointHeader header, VqVae3d vqvae, TextConditionedPrior? prior,
        torch.optim.Optimizer? optimizer = null)
    {
        if ((header.Prior is null) != (prior is null))
            throw new ArgumentException("header.Prior and prior must both be set or both be null.");
        if (header.HasOptimizerState != (optimizer is not null))
            throw new ArgumentException("header.HasOptimizerState must match whether an optimizer is given.");
        AtomicFile.Write(path, stream =>
        {
            using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            writer.Write(Magic);
            byte[] json = JsonSerializer.SerializeToUtf8Bytes(header, Json);
            writer.Write(json.Length);
            writer.Write(json);
            vqvae.save(writer);
            prior?.save(writer);
            if (optimizer is TorchSharp.Modules.OptimizerHelper helper) helper.save_state_dict(writer);
            else if (optimizer is not null) throw new ArgumentException("This optimizer cannot save its state.");
            writer.Flush();
        });
    }

    /// <summary>Reads only the header (cheap; no weights are built).</summary>
    public static CheckpointHeader ReadHeader(string path)
    {
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream);
        return ReadHeader(reader, path);
    }

    /// <summary>Loads the weights into freshly built modules on the CPU.</summary>
    public static LoadedCheckpoint Load(string path)
    {
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream);
        var header = ReadHeader(reader, path);
        var vqvae = new VqVae3d(header.VqVae);
        TextConditionedPrior? prior = null;
        try
        {
            vqvae.load(reader, strict: true);
            if (header.Prior is not null)
            {
                prior = new TextConditionedPrior(header.Prior);
                prior.load(reader, strict: true);
            }
        }
        catch (Exception e) when (e is not InvalidDataException)
        {
            vqvae.Dispose();
            prior?.Dispose();
            throw new InvalidDataException($"Checkpoint '{path}' has weights that do not match its config: {e.Message}", e);
        }
        long optimizerOffset = header.HasOptimizerState ? stream.Position : -1;
        return new LoadedCheckpoint(header, vqvae, prior, path, optimizerOffset);
    }

    /// <summary>Restores the optimiser state saved after the weights (for resuming training).</summary>
    public static void LoadOptimizerState(LoadedCheckpoint checkpoint, torch.optim.Optimizer optimizer)
    {
        if (checkpoint.OptimizerOffset < 0) return;
        using var stream = File.OpenRead(checkpoint.Path);
        stream.Position = checkpoint.OptimizerOffset;
        using var reader = new BinaryReader(stream);
        if (optimizer is not TorchSharp.Modules.OptimizerHelper helper) throw new ArgumentException("This optimizer cannot load state.");
        helper.load_state_dict(reader);
    }

    private static CheckpointHeader ReadHeader(BinaryReader reader, string path)
    {
        byte[] magic = reader.ReadBytes(Magic.Length);
        if (!magic.AsSpan().SequenceEqual(Magic))
            throw new InvalidDataException($"'{path}' is not a STEVE-2 VQ-VAE checkpoint (bad magic).");
        int length = reader.ReadInt32();
        if (length <= 0 || length > 16 << 20)
            throw new InvalidDataException($"'{path}' has a corrupt header length ({length}).");
        byte[] json = reader.ReadBytes(length);
        if (json.Length != length) throw new InvalidDataException($"'{path}' is truncated inside its header.");
        var header = JsonSerializer.Deserialize<CheckpointHeader>(json, Json)
            ?? throw new InvalidDataException($"'{path}' has an empty header.");
        if (header.Format != CheckpointHeader.CurrentFormat)
            throw new InvalidDataException($"'{path}' has format {header.Format}; this build reads format {CheckpointHeader.CurrentFormat}.");
        return header;
    }
}

/// <summary>A loaded checkpoint's header and modules (on the CPU, in eval mode off).</summary>
public sealed record LoadedCheckpoint(CheckpointHeader Header, VqVae3d VqVae, TextConditionedPrior? Prior, string Path, long OptimizerOffset);
