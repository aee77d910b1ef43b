using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Steve2.Pipeline.Student.Model;

/// <summary>
/// Multi-head self-attention with an explicit boolean mask ([B, 1, Tq, Tk], true = may attend): causal and
/// padding masks are the caller's, so the same module serves the ViT (no mask) and the decoder. With rotary angles the
/// queries and keys are rotated by their positions (<see cref="Rotary"/>) before the keys are cached. With a
/// <see cref="KvCache"/> the new keys and values are appended to the layer's cache and the queries attend to all.
/// </summary>
public sealed class SelfAttention : nn.Module
{
    private readonly Linear qkv;
    private readonly Linear proj;
    private readonly int _heads;

    public SelfAttention(string name, int width, int heads) : base(name)
    {
        _heads = heads;
        qkv = nn.Linear(width, 3 * width);
        proj = nn.Linear(width, width);
        RegisterComponents();
    }

    /// <param name="x">[B, T, C].</param>
    /// <param name="mask">[B, 1, T, Tk] or null (every position sees every position).</param>
    /// <param name="cache">The layer's cache, or null.</param>
    /// <param name="rotary">cos and sin [B, 1, T, head width] of the new positions (<see cref="Rotary.Angles"/>), or null (no rotation).</param>
    public Tensor Forward(Tensor x, Tensor? mask, KvCache? cache, int layer, (Tensor Cos, Tensor Sin)? rotary = null)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], t = x.shape[1], c = x.shape[2], hd = c / _heads;
        var parts = qkv.forward(x).view(b, t, 3, _heads, hd).permute(2, 0, 3, 1, 4).unbind(0);
        Tensor q = parts[0], k = parts[1], v = parts[2];
        if (rotary is var (cos, sin))
        {
            q = Rotary.Apply(q, cos, sin);
            k = Rotary.Apply(k, cos, sin);
        }
        if (cache is not null) (k, v) = cache.Append(layer, k.contiguous(), v.contiguous());
        // libtorch's fused attention (on the CPU its flash kernel): the [T, L] scores are never written out whole. A boolean
        // mask means the same there (true = may attend); every query may attend at least to itself (CausalMask), so no row is
        // all masked. 15 % off the student's prompt read on this CPU, the same answers (STUDENT.md, "Measured 13:14-14:45").
        var attended = nn.functional.scaled_dot_product_attention(q, k, v, mask);
        return proj.forward(attended.transpose(1, 2).reshape(b, t, c)).MoveToOuterDisposeScope();
    }
}
