using System.Text.Json;
using System.Text.Json.Serialization;
using Expert.VqVae.MlCore.Checkpoints;
using Expert.VqVae.Model;
using TorchSharp;

namespace Expert.VqVae.Persistence;

/// <summary>
/// Reads and writes the imagination model's checkpoints: a thin layer on the shared container
/// (<see cref="CheckpointFormat{THeader}"/>, MlCore/Checkpoints) that fixes the kind. Layout (little endian):
/// <code>
/// "S2VQCKPT"            8 bytes magic
/// int32                 header length N
/// N bytes               UTF-8 JSON CheckpointHeader (camelCase, nulls left out)
/// vqvae state           TorchSharp Module.save format
/// prior state           present when header.Prior != null
/// painter state         present when header.Painter != null (only after a prior)
/// optimiser state       present when header.HasOptimizerState
/// </code>
/// A checkpoint is written to a temporary file in the same folder, flushed to disk and renamed
/// over the target, so a crash never leaves a half-written checkpoint under the real name.
/// Every checkpoint ever written in this layout (the shipped Checkpoints/default.ckpt included)
/// loads bit for bit: the layout, the magic and the JSON options must not change.
/// </summary>
public static class ModelCheckpoint
{
    /// <summary>The header's JSON options (also used for the training options the header carries).</summary>
    internal static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = false,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The imagination model's checkpoint kind.</summary>
    public static CheckpointFormat<CheckpointHeader> Format { get; } = new(
        "S2VQCKPT", "STEVE-2 VQ-VAE checkpoint", Json,
        header => header.Format == CheckpointHeader.CurrentFormat
            ? null
            : $"has format {header.Format}; this build reads format {CheckpointHeader.CurrentFormat}.");

    /// <summary>
    /// Writes a checkpoint atomically. The header must describe exactly the modules given: its <c>Prior</c> with a prior,
    /// its <c>Painter</c> (with the painter's tokenizer) with a painter, which comes only after a prior.
    /// </summary>
    public static void Save(string path, CheckpointHeader header, VqVae3d vqvae, TextConditionedPrior? prior,
        torch.optim.Optimizer? optimizer = null, MaterialPainter? painter = null)
    {
        if ((header.Prior is null) != (prior is null))
            throw new ArgumentException("header.Prior and prior must both be set or both be null.");
        if ((header.Painter is null) != (painter is null))
            throw new ArgumentException("header.Painter and painter must both be set or both be null: a header never says \"painter\" without its weights.");
        if (painter is not null)
        {
            if (prior is null) throw new ArgumentException("A painter is written after a prior; this checkpoint has none.");
            if (painter.Config != header.Painter) throw new ArgumentException("header.Painter must be the painter's config.");
            if (header.PainterTokenizerBpeIds is not { Length: > 0 }) throw new ArgumentException("A painter needs its tokenizer (header.PainterTokenizerBpeIds).");
        }
        if (header.HasOptimizerState != (optimizer is not null))
            throw new ArgumentException("header.HasOptimizerState must match whether an optimizer is given.");
        var modules = new List<torch.nn.Module> { vqvae };
        if (prior is not null) modules.Add(prior);
        if (painter is not null) modules.Add(painter);
        Format.Save(path, header, modules, optimizer);
    }

    /// <summary>Reads only the header (cheap; no weights are built).</summary>
    public static CheckpointHeader ReadHeader(string path) => Format.ReadHeader(path);

    /// <summary>Loads the weights into freshly built modules on the CPU.</summary>
    public static LoadedCheckpoint Load(string path)
    {
        using var reader = Format.OpenRead(path);
        var header = reader.Header;
        var vqvae = new VqVae3d(header.VqVae);
        TextConditionedPrior? prior = null;
        MaterialPainter? painter = null;
        try
        {
            reader.LoadModule(vqvae);
            if (header.Prior is not null)
            {
                prior = new TextConditionedPrior(header.Prior);
                reader.LoadModule(prior);
            }
            if (header.Painter is not null)
            {
                painter = new MaterialPainter(header.Painter);
                reader.LoadModule(painter);
            }
        }
        catch
        {
            vqvae.Dispose();
            prior?.Dispose();
            painter?.Dispose();
            throw;
        }
        long optimizerOffset = header.HasOptimizerState ? reader.Position : -1;
        return new LoadedCheckpoint(header, vqvae, prior, path, optimizerOffset) { Painter = painter };
    }

    /// <summary>Restores the optimiser state saved after the weights (for resuming training).</summary>
    public static void LoadOptimizerState(LoadedCheckpoint checkpoint, torch.optim.Optimizer optimizer)
    {
        if (checkpoint.OptimizerOffset < 0) return;
        CheckpointFormat<CheckpointHeader>.LoadOptimizerState(checkpoint.Path, checkpoint.OptimizerOffset, optimizer);
    }
}
