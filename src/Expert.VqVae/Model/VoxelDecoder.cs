using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Expert.VqVae.Model;

/// <summary>
/// [B, CodeDim, g, g, g] quantised latents to [B, C, G, G, G] logits: occupancy in channel 0, then
/// with a material channel (<see cref="VqVaeConfig.Materials"/>) one logit per block class. Its shape comes
/// from <see cref="VqVaeConfig.DecoderWidth"/>, <see cref="VqVaeConfig.DecoderDepth"/> and
/// <see cref="VqVaeConfig.DecoderUpResBlocks"/>; with their defaults the layers and their names are
/// exactly those of the original decoder, so older checkpoints load unchanged.
/// </summary>
public sealed class VoxelDecoder : nn.Module<Tensor, Tensor>
{
    private readonly Sequential _net;

    public VoxelDecoder(string name, VqVaeConfig config) : base(name)
    {
        int width = config.DecoderWidth;
        var layers = new List<(string, nn.Module<Tensor, Tensor>)> { ("from_code", nn.Conv3d(config.CodeDim, width, kernel_size: 3, padding: 1)) };
        for (int i = 0; i < config.DecoderDepth; i++) layers.Add(($"res{i}", new ResBlock3d($"res{i}", width)));
        layers.Add(("relu", nn.ReLU()));
        int inChannels = width;
        for (int i = 0; i < config.Downsamplings; i++)
        {
            bool last = i == config.Downsamplings - 1;
            int outChannels = last ? config.VoxelChannels : width / 2;
            layers.Add(($"up{i}", nn.ConvTranspose3d(inChannels, outChannels, kernel_size: 4, stride: 2, padding: 1)));
            if (!last)
            {
                layers.Add(($"relu_up{i}", nn.ReLU()));
                // The residual blocks pre-activate (relu first), so they sit after the relu and a
                // relu follows them, as in the trunk.
                for (int j = 0; j < config.DecoderUpResBlocks; j++)
                    layers.Add(($"res_up{i}_{j}", new ResBlock3d($"res_up{i}_{j}", outChannels)));
                if (config.DecoderUpResBlocks > 0) layers.Add(($"relu_res_up{i}", nn.ReLU()));
            }
            inChannels = outChannels;
        }
        _net = nn.Sequential(layers);
        RegisterComponents();
    }

    public override Tensor forward(Tensor latents) => _net.forward(latents);
}
