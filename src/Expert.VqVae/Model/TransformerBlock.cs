using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Expert.VqVae.Model;

/// <summary>Pre-norm transformer block: x + attn(ln(x)), then x + mlp(ln(x)); bidirectional.</summary>
public sealed class TransformerBlock : nn.Module<Tensor, PackedSequence, Tensor>
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

    /// <param name="x">[R, C]: the real rows of the sequence, packed (see <see cref="PackedSequence"/>).</param>
    /// <param name="layout">Where those rows sit in the padded [B, T, C] layout that attention works on.</param>
    public override Tensor forward(Tensor x, PackedSequence layout)
    {
        long b = layout.Batch, t = layout.Length, c = x.shape[1];
        using var h = ln1.forward(x);
        using var packedQkv = qkv.forward(h);
        using var padded = layout.Unpack(packedQkv);                                  // [B * T, 3C], zero rows at padding
        var parts = padded.view(b, t, 3, _heads, c / _heads).permute(2, 0, 3, 1, 4).unbind(0);
        using var q = parts[0];
        using var k = parts[1];
        using var v = parts[2];
        using var attended = functional.scaled_dot_product_attention(q, k, v, layout.AttentionMask, training ? _dropout : 0.0);
        using var merged = attended.transpose(1, 2).reshape(b * t, c);
        using var mergedRows = merged.index_select(0, layout.Rows);
        using var projected = proj.forward(mergedRows);
        using var dropped = drop.forward(projected);
        using var x1 = x + dropped;
        return FeedForward(x1, ln2, fc, fc_out, drop);
    }

    /// <summary>The pre-norm MLP half of a block, <c>x + drop(fc_out(gelu(fc(ln(x)))))</c> (shared with <see cref="CrossAttentionBlock"/>).</summary>
    internal static Tensor FeedForward(Tensor x, LayerNorm ln, Linear fc, Linear fcOut, Dropout drop)
    {
        using var h = ln.forward(x);
        using var up = fc.forward(h);
        using var act = functional.gelu(up);
        using var down = fcOut.forward(act);
        using var dropped = drop.forward(down);
        return x + dropped;
    }
}

/// <summary>
/// A padded batch of sequences [Batch, Length, C] kept as its real rows only, [R, C]:
/// <see cref="Rows"/> are the indices of those rows in the flat [Batch * Length] layout, in order.
/// Per-position layers run on the packed rows; attention unpacks them (padding rows are zero and
/// masked out as keys by <see cref="AttentionMask"/>, [Batch, 1, 1, Length], true where a key is real).
/// </summary>
public sealed record PackedSequence(Tensor Rows, long Batch, long Length, Tensor? AttentionMask)
{
    /// <summary>[R, C] packed rows to [Batch * Length, C], zeros at the padding.</summary>
    public Tensor Unpack(Tensor packed)
    {
        // In place: index_copy (not index_copy_) would clone the zeros first (docs/benchmarks.md).
        var padded = zeros(new long[] { Batch * Length, packed.shape[1] }, packed.dtype, packed.device);
        return padded.index_copy_(0, Rows, packed);
    }
}
