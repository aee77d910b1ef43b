using System.Text.Json;
using Expert.VqVae.MlCore.Checkpoints;
using TorchSharp;

namespace Expert.VqVae.Features;

/// <summary>
/// The header of a feature checkpoint: the resolved config, the step, the best validation family accuracy,
/// the last metrics and the options of the run that wrote it.
/// </summary>
public sealed record FeatureCheckpointHeader(
    int FormatVersion,
    FeatureNetConfig Config,
    int Step,
    double BestMetric,
    IReadOnlyDictionary<string, double> Metrics,
    JsonElement? TrainingOptions,
    bool HasOptimizerState,
    DateTimeOffset SavedAt);

/// <summary>
/// Feature checkpoints in the repository's one layout (MlCore/README.md): magic "S2FTCKPT", the JSON
/// header, the <see cref="BuildingFeatureNet"/>'s state, then the Adam state in checkpoint-latest only.
/// Written atomically.
/// </summary>
public static class FeatureCheckpoint
{
    public const int FormatVersion = 1;

    public static CheckpointFormat<FeatureCheckpointHeader> Format { get; } = new("S2FTCKPT", "STEVE-2 feature checkpoint",
        validate: h => h.FormatVersion == FormatVersion ? null : $"has format {h.FormatVersion}; this build reads format {FormatVersion}.");

    public static void Save(string path, FeatureCheckpointHeader header, BuildingFeatureNet net, torch.optim.Optimizer? optimizer = null) =>
        Format.Save(path, header with { HasOptimizerState = optimizer is not null, Config = net.Config }, [net], optimizer);

    /// <summary>Loads the net on the CPU; with <paramref name="resumeWith"/>, also the optimiser state when the file has one.</summary>
    public static (FeatureCheckpointHeader Header, BuildingFeatureNet Net) Load(string path, Func<BuildingFeatureNet, torch.optim.Optimizer>? resumeWith = null)
    {
        using var reader = Format.OpenRead(path);
        var net = new BuildingFeatureNet(reader.Header.Config);
        reader.LoadModule(net);
        if (resumeWith is not null && reader.HasMore) reader.LoadOptimizerState(resumeWith(net));
        return (reader.Header, net);
    }
}
