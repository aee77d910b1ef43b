using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Steve2.Pipeline.Student.Model;

/// <summary>
/// The ViT: the RGB image ([B, 3, S, S], values 0..1) is cut into PatchSize^2 patches by a strided
/// convolution, each patch gets a learned position, pre-norm blocks attend over all patches, a final norm.
/// Output: [B, Tokens, Width].
/// </summary>
public sealed class VisionEncoder : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d patch;
    private readonly Parameter position;
    private readonly ModuleList<PreNormBlock> blocks;
    private readonly LayerNorm norm;

    public VisionEncoder(VisionConfig config) : base(nameof(VisionEncoder))
    {
        Config = config;
        patch = nn.Conv2d(3, config.Width, config.PatchSize, stride: config.PatchSize);
        position = nn.Parameter(randn(1, config.Tokens, config.Width) * 0.02);
        blocks = nn.ModuleList(Enumerable.Range(0, config.Depth).Select(i => new PreNormBlock($"block{i}", config.Width, config.Heads)).ToArray());
        norm = nn.LayerNorm(config.Width);
        RegisterComponents();
    }

    public VisionConfig Config { get; }

    public override Tensor forward(Tensor images)
    {
        using var scope = NewDisposeScope();
        var x = patch.forward(images.sub(0.5).mul(2.0)).flatten(2).transpose(1, 2) + position;
        foreach (var block in blocks) x = block.Forward(x, null);
        return norm.forward(x).MoveToOuterDisposeScope();
    }
}
