using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Expert.VqVae.Model;

/// <summary>[B, CodeDim, g, g, g] quantised latents to [B, 1, G, G, G] occupancy logits.</summary>
public sealed class VoxelDecoder : nn.Module<Tensor, Tensor>
{
    private readonly Sequential _net;

    public VoxelDecoder(string name, VqVaeConfig config) : base(name)
    {
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>
        {
            ("from_code", nn.Conv3d(config.CodeDim, config.Channels, kernel_size: 3, padding: 1)),
            ("res0", new ResBlock3d("res0", config.Channels)),
            ("res1", new ResBlock3d("res1", config.Channels)),
            ("relu", nn.ReLU()),
        };
        int inChannels = config.Channels;
        for (int i = 0; i < config.Downsamplings; i++)
        {
            bool last = i == config.Downsamplings - 1;
            int outChannels = last ? 1 : config.Channels / 2;
            layers.Add(($"up{i}", nn.ConvTranspose3d(inChannels, outChannels, kernel_size: 4, stride: 2, padding: 1)));
            if (!last) layers.Add(($"relu_up{i}", nn.ReLU()));
            inChannels = outChannels;
        }
        _net = nn.Sequential(layers);
        RegisterComponents();
    }

    public override Tensor forward(Tensor latents) => _net.forward(latents);
}
