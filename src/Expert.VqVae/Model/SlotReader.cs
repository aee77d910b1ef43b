using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Expert.VqVae.Model;

/// <summary>
/// The factored painter's words-to-blocks half (MODEL.md "4b"): S learned queries, one a slot, point at the encoded tokens
/// (multi-head attention over the text context, padding masked), and one head shared by every slot turns what each read
/// into K block logits: [B, T, D] context to [B, S, K]. There is no residual path from a query to the head: what a slot
/// answers is only what it points at, so a slot reads "sandstone" as sandstone even if it never had sandstone in training
/// (the held-out pairs of Composition/CompositionSplits.cs); a slot's own identity decides where it looks, not what it says.
/// </summary>
public sealed class SlotReader : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Parameter queries;
    private readonly LayerNorm ln_kv;
    private readonly Linear kv;
    private readonly Linear proj;
    private readonly LayerNorm ln;
    private readonly Linear fc;
    private readonly Linear head;
    private readonly int _slots;
    private readonly int _heads;
    private readonly int _dim;

    public SlotReader(string name, int slots, int dim, int heads, int blocks) : base(name)
    {
        if (slots < 1) throw new ArgumentException($"At least one slot, got {slots}.", nameof(slots));
        if (dim % heads != 0) throw new ArgumentException($"The width ({dim}) must be a multiple of the heads ({heads}).");
        _slots = slots;
        _heads = heads;
        _dim = dim;
        queries = nn.Parameter(randn(1, heads, slots, dim / heads));   // unit scale: the slots point apart from the first step
        ln_kv = nn.LayerNorm(dim);
        kv = nn.Linear(dim, 2 * dim);
        proj = nn.Linear(dim, dim);
        ln = nn.LayerNorm(dim);
        fc = nn.Linear(dim, dim);
        head = nn.Linear(dim, blocks);
        RegisterComponents();
    }

    /// <param name="context">[B, T, D] the encoded words (the painter's text encoder: the null token first).</param>
    /// <param name="keyMask">[B, 1, 1, T] bool, true where a token is real; every row needs at least one.</param>
    /// <returns>[B, S, K] block logits of each slot.</returns>
    public override Tensor forward(Tensor context, Tensor keyMask)
    {
        long b = context.shape[0], t = context.shape[1];
        using var hkv = ln_kv.forward(context);
        using var keysValues = kv.forward(hkv);                                           // [B, T, 2D]
        var parts = keysValues.view(b, t, 2, _heads, _dim / _heads).permute(2, 0, 3, 1, 4).unbind(0);
        using var k = parts[0];                                                           // [B, H, T, D/H]
        using var v = parts[1];
        using var q = queries.expand(b, _heads, _slots, _dim / _heads);
        using var read = functional.scaled_dot_product_attention(q, k, v, keyMask);       // [B, H, S, D/H]
        using var merged = read.transpose(1, 2).reshape(b, _slots, _dim);
        using var projected = proj.forward(merged);
        using var normed = ln.forward(projected);
        using var hidden0 = fc.forward(normed);
        using var hidden = functional.gelu(hidden0);
        return head.forward(hidden);
    }
}
