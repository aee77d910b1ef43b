using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Steve2.Pipeline.Student.Model;

/// <summary>A pre-norm transformer block: x + attn(ln(x)), then x + mlp(ln(x)) with a 4x GELU MLP.</summary>
public sealed class PreNormBlock : nn.Module
{
    private readonly LayerNorm ln1;
    private readonly SelfAttention attn;
    private readonly LayerNorm ln2;
    private readonly Linear fc;
    private readonly Linear fc_out;

    public PreNormBlock(string name, int width, int heads) : base(name)
    {
        ln1 = nn.LayerNorm(width);
        attn = new SelfAttention("attn", width, heads);
        ln2 = nn.LayerNorm(width);
        fc = nn.Linear(width, 4 * width);
        fc_out = nn.Linear(4 * width, width);
        RegisterComponents();
    }

    public Tensor Forward(Tensor x, Tensor? mask, KvCache? cache = null, int layer = 0, (Tensor Cos, Tensor Sin)? rotary = null)
    {
        using var scope = NewDisposeScope();
        var h = x + attn.Forward(ln1.forward(x), mask, cache, layer, rotary);
        var y = h + fc_out.forward(nn.functional.gelu(fc.forward(ln2.forward(h))));
        return y.MoveToOuterDisposeScope();
    }
}
