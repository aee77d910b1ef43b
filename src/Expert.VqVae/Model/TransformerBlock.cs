using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Expert.VqVae.Model;

/// <summary>Pre-norm transformer block: x + attn(ln(x)), then x + mlp(ln(x)); bidirectional.</summary>
public sealed class TransformerBlock : nn.Module<Tensor, Tensor?, Tensor>
{
    private readonly LayerNorm ln1;
    private readonly Linear qkv;
    private readonly Linear proj;
    private readonly LayerNorm ln2;
    private readonly Linear fc;
    private readonly Linear fc_out;
    private readonly Dropout drop;
    private readonly int _heads;
    private readonly double _dropout;

    public TransformerBlock(string name, int dim, int heads, float dropout) : base(name)
    {
        _heads = heads;
        _dropout = dropout;
        ln1 = nn.LayerNorm(dim);
        qkv = nn.Linear(dim, 3 * dim);
        proj = nn.Linear(dim, dim);
        ln2 = nn.LayerNorm(dim);
        fc = nn.Linear(dim, 4 * dim);
        fc_out = nn.Linear(4 * dim, dim);
        drop = nn.Dropout(dropout);
        RegisterComponents();
    }

    /// <param name="x">[B, T, C].</param>
    /// <param name="attentionMask">[B, 1, 1, T] boolean, true where a key may be attended to; null for all.</param>
    public override Tensor forward(Tensor x, Tensor? attentionMask)
    {
        long b = x.shape[0], t = x.shape[1], c = x.shape[2];
        using var h = ln1.forward(x);
        using var packed = qkv.forward(h);
        var parts = packed.view(b, t, 3, _heads, c / _heads).permute(2, 0, 3, 1, 4).unbind(0);
        using var q = parts[0];
        using var k = parts[1];
        using var v = parts[2];
        using var attended = functional.scaled_dot_product_attention(q, k, v, attentionMask, training ? _dropout : 0.0);
        using var merged = attended.transpose(1, 2).reshape(b, t, c);
        using var projected = proj.forward(merged);
        using var dropped = drop.forward(projected);
        using var x1 = x + dropped;
        using var h2 = ln2.forward(x1);
        using var up = fc.forward(h2);
        using var act = functional.gelu(up);
        using var down = fc_out.forward(act);
        using var dropped2 = drop.forward(down);
        return x1 + dropped2;
    }
}
