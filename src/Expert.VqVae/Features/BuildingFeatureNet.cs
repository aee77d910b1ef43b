using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Expert.VqVae.Features;

/// <summary>
/// A small CNN over the stacked multi-view renders of a building, trained to name its family and
/// attributes (<see cref="FeatureLabels"/>); its penultimate layer is the image feature of the creation
/// FID (FEATURES.md).
/// <code>
/// x [B, 3V, S, S] in [0, 1]
///  -> (conv 3x3 stride 2, ReLU) per width in Channels   [B, C_last, S/2^n, S/2^n]
///  -> global average pool                              [B, C_last]
///  -> linear -> feature                                [B, FeatureSize]   (pre-activation: the FID feature)
///  -> ReLU -> one linear head per label                [B, classes_h]
/// </code>
/// </summary>
public sealed class BuildingFeatureNet : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<Conv2d> _convs = new();
    private readonly Linear _feature;
    private readonly ModuleList<Linear> _heads = new();

    public BuildingFeatureNet(FeatureNetConfig config) : base(nameof(BuildingFeatureNet))
    {
        Config = config.Validated();
        int inChannels = config.InputChannels;
        foreach (int width in config.Channels)
        {
            _convs.Add(nn.Conv2d(inChannels, width, kernel_size: 3, stride: 2, padding: 1));
            inChannels = width;
        }
        _feature = nn.Linear(inChannels, config.FeatureSize);
        foreach (int classes in config.HeadClasses) _heads.Add(nn.Linear(config.FeatureSize, classes));
        RegisterComponents();
    }

    public FeatureNetConfig Config { get; }

    /// <summary>The feature of each input: [B, 3V, S, S] -> [B, FeatureSize].</summary>
    public Tensor Features(Tensor x)
    {
        using var scope = NewDisposeScope();
        Tensor h = x;
        foreach (Conv2d conv in _convs) h = functional.relu(conv.forward(h));
        Tensor pooled = h.mean([2L, 3L]);
        return _feature.forward(pooled).MoveToOuterDisposeScope();
    }

    /// <summary>Every head's logits concatenated: [B, 3V, S, S] -> [B, Σ classes].</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        Tensor f = functional.relu(Features(x));
        return torch.cat(_heads.Select(h => h.forward(f)).ToArray(), 1).MoveToOuterDisposeScope();
    }
}
