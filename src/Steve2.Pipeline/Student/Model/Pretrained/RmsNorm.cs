using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Steve2.Pipeline.Student.Model.Pretrained;

/// <summary>RMSNorm as Llama/Qwen2 define it: x / sqrt(mean(x^2) + eps) in float32, times a learned per-channel weight. Parameter: <c>weight</c>.</summary>
public sealed class RmsNorm : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly double _eps;

    public RmsNorm(string name, int width, double eps) : base(name)
    {
        weight = nn.Parameter(ones(width));
        _eps = eps;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        Tensor f = x.to(ScalarType.Float32);
        Tensor normed = f.mul(f.pow(2).mean([-1], keepdim: true).add(_eps).rsqrt()).to(x.dtype);
        return weight.mul(normed).MoveToOuterDisposeScope();
    }
}
