using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Expert.VqVae.Model;

/// <summary>
/// Pre-norm cross-attention block: x + attn(q = ln_q(x), k = v = ln_kv(context)), then x + mlp(ln(x)).
/// The queries (the painter's voxel features) read a context (its text tokens); the context is not changed.
/// </summary>
public sealed class CrossAttentionBlock : nn.Module<Tensor, Tensor, Tensor, Tensor>
{
    private readonly LayerNorm ln_q;
    private readonly LayerNorm ln_kv;
    private readonly Linear q;
    private readonly Linear kv;
    private readonly Linear proj;
    private readonly LayerNorm ln2;
    private readonly Linear fc;
    private readonly Linear fc_out;
    private readonly Dropout drop;
    private readonly int _heads;
    private readonly double _dropout;

    public CrossAttentionBlock(string name, int dim, int heads, float dropout) : base(name)
    {
        if (dim % heads != 0) throw new ArgumentException($"The width ({dim}) must be a multiple of the heads ({heads}).");
        _heads = heads;
        _dropout = dropout;
        ln_q = nn.LayerNorm(dim);
        ln_kv = nn.LayerNorm(dim);
        q = nn.Linear(dim, dim);
        kv = nn.Linear(dim, 2 * dim);
        proj = nn.Linear(dim, dim);
        ln2 = nn.LayerNorm(dim);
        fc = nn.Linear(dim, 4 * dim);
        fc_out = nn.Linear(4 * dim, dim);
        drop = nn.Dropout(dropout);
        RegisterComponents();
    }

    /// <param name="x">[B, N, D] queries.</param>
    /// <param name="context">[B, T, D] keys and values.</param>
    /// <param name="keyMask">[B, 1, 1, T] bool, true where a key is real; every row needs at least one.</param>
    /// <returns>[B, N, D].</returns>
    public override Tensor forward(Tensor x, Tensor context, Tensor keyMask)
    {
        long b = x.shape[0], n = x.shape[1], c = x.shape[2], t = context.shape[1];
        using var hq = ln_q.forward(x);
        using var hkv = ln_kv.forward(context);
        using var queries = q.forward(hq);                                           // [B, N, D]
        using var keysValues = kv.forward(hkv);                                      // [B, T, 2D]
        using var qh = queries.view(b, n, _heads, c / _heads).transpose(1, 2);       // [B, H, N, D/H]
        var parts = keysValues.view(b, t, 2, _heads, c / _heads).permute(2, 0, 3, 1, 4).unbind(0);
        using var k = parts[0];
        using var v = parts[1];
        using var attended = functional.scaled_dot_product_attention(qh, k, v, keyMask, training ? _dropout : 0.0);
        using var merged = attended.transpose(1, 2).reshape(b, n, c);
        using var projected = proj.forward(merged);
        using var dropped = drop.forward(projected);
        using var x1 = x + dropped;
        return TransformerBlock.FeedForward(x1, ln2, fc, fc_out, drop);
    }
}
