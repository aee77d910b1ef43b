using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Expert.VqVae.Model;

/// <summary>
/// [B, C, G, G, G] voxels to [B, CodeDim, G/2^d, G/2^d, G/2^d] continuous latents; C = 1 (occupancy) or
/// 1 + <see cref="VqVaeConfig.Materials"/> (occupancy and the one-hot block of each occupied voxel).
/// </summary>
public sealed class VoxelEncoder : nn.Module<Tensor, Tensor>
{
    private readonly Sequential _net;

    public VoxelEncoder(string name, VqVaeConfig config) : base(name)
    {
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        int inChannels = config.VoxelChannels;
        for (int i = 0; i < config.Downsamplings; i++)
        {
            int outChannels = i == config.Downsamplings - 1 ? config.Channels : config.Channels / 2;
            layers.Add(($"down{i}", nn.Conv3d(inChannels, outChannels, kernel_size: 4, stride: 2, padding: 1)));
            layers.Add(($"relu{i}", nn.ReLU()));
            inChannels = outChannels;
        }
        layers.Add(("res0", new ResBlock3d("res0", config.Channels)));
        layers.Add(("res1", new ResBlock3d("res1", config.Channels)));
        layers.Add(("relu", nn.ReLU()));
        layers.Add(("to_code", nn.Conv3d(config.Channels, config.CodeDim, kernel_size: 1)));
        _net = nn.Sequential(layers);
        RegisterComponents();
    }

    public override Tensor forward(Tensor occupancy) => _net.forward(occupancy);
}
