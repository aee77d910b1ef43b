using Expert.VqVae.Model;

namespace Expert.VqVae.Persistence;

/// <summary>
/// Decoding defaults are chosen on held-out records after training (TRAINING.md), not learned: this writes a finished
/// checkpoint's weights unchanged, bit for bit, under new defaults in its prior config (<see cref="PriorConfig.DecodeSteps"/>,
/// <see cref="PriorConfig.Guidance"/>, <see cref="PriorConfig.GuidanceStart"/>, <see cref="PriorConfig.MirrorTied"/>, <see cref="PriorConfig.MirrorHalfFirst"/>).
/// The result is a new model version, <c>SOURCE-dHASH</c>, with <see cref="CheckpointHeader.DecodingFrom"/> naming the
/// source (the root version when the source was itself re-defaulted). Written atomically; the source is never touched.
/// </summary>
public static class DecodingDefaults
{
    public static CheckpointHeader Write(string sourcePath, string outputPath, Func<PriorConfig, PriorConfig> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (Path.GetFullPath(sourcePath) == Path.GetFullPath(outputPath))
            throw new ArgumentException("Write the re-defaulted checkpoint to another file: the source stays as it was.");
        var loaded = ModelCheckpoint.Load(sourcePath);
        try
        {
            var header = loaded.Header;
            if (header.Stage != "done" || loaded.Prior is null)
                throw new InvalidDataException($"'{sourcePath}' is a stage '{header.Stage}' checkpoint; decoding defaults are set on a finished model (stage 'done').");
            var prior = change(header.Prior!);
            prior.Validate();
            if (header.Prior!.WithDecodingOf(prior) != prior)
                throw new ArgumentException("Only the decoding defaults may change; the prior's shape is its weights'.");
            if (prior == header.Prior)
                throw new ArgumentException("These are already the checkpoint's decoding defaults.");
            // The weights' own version: the source's, unless it is itself a re-defaulted one of DecodingFrom.
            string root = header.DecodingFrom is { } from && header.ModelVersion.StartsWith(from + "-d", StringComparison.Ordinal)
                ? from : header.ModelVersion;
            var key = System.Text.Encoding.UTF8.GetBytes(FormattableString.Invariant(
                $"{root}|{prior.DecodeSteps}|{prior.Guidance}|{prior.GuidanceStart}|{prior.MirrorTied}|{prior.MirrorHalfFirst}"));
            string hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(key)).ToLowerInvariant()[..4];
            var written = header with
            {
                Prior = prior,
                ModelVersion = $"{root}-d{hash}",
                DecodingFrom = root,
                SavedAt = DateTimeOffset.UtcNow,
            };
            string? folder = Path.GetDirectoryName(Path.GetFullPath(outputPath));
            if (folder is not null) Directory.CreateDirectory(folder);
            ModelCheckpoint.Save(outputPath, written, loaded.VqVae, loaded.Prior, painter: loaded.Painter);
            return written;
        }
        finally
        {
            loaded.DisposeModules();
        }
    }
}
