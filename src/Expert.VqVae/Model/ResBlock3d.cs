using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Expert.VqVae.Model;

/// <summary>x + conv1x1(relu(conv3x3(relu(x)))): the residual block of the VQ-VAE paper, in 3D.</summary>
public sealed class ResBlock3d : nn.Module<Tensor, Tensor>
{
    private readonly Conv3d _conv3;
    private readonly Conv3d _conv1;

    public ResBlock3d(string name, int channels) : base(name)
    {
        _conv3 = nn.Conv3d(channels, channels / 2, kernel_size: 3, padding: 1);
        _conv1 = nn.Conv3d(channels / 2, channels, kernel_size: 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var h = _conv3.forward(functional.relu(x));
        using var h2 = functional.relu(h);
        using var r = _conv1.forward(h2);
        return x + r;
    }
}
