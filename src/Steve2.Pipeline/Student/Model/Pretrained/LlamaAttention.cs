using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Steve2.Pipeline.Student.Model.Pretrained;

/// <summary>
/// Grouped-query self-attention of the Llama/Qwen2 layout: <c>q_proj</c> (heads x d), <c>k_proj</c> and <c>v_proj</c>
/// (key/value heads x d; biases in Qwen2), rotary positions on queries and keys, each key/value head shared by
/// heads / kvHeads query heads, <c>o_proj</c> without bias. The cache keeps the (rotated) keys and values per
/// key/value head.
/// </summary>
public sealed class LlamaAttention : nn.Module
{
    private readonly Linear q_proj;
    private readonly Linear k_proj;
    private readonly Linear v_proj;
    private readonly Linear o_proj;
    private readonly PretrainedDecoderConfig _c;

    public LlamaAttention(string name, PretrainedDecoderConfig c) : base(name)
    {
        _c = c;
        q_proj = nn.Linear(c.Hidden, c.Heads * c.HeadDim, hasBias: c.AttentionBias);
        k_proj = nn.Linear(c.Hidden, c.KeyValueHeads * c.HeadDim, hasBias: c.AttentionBias);
        v_proj = nn.Linear(c.Hidden, c.KeyValueHeads * c.HeadDim, hasBias: c.AttentionBias);
        o_proj = nn.Linear(c.Heads * c.HeadDim, c.Hidden, hasBias: false);
        RegisterComponents();
    }

    /// <param name="x">[B, T, Hidden].</param>
    /// <param name="cos">[B, 1, T, d] (<see cref="Rotary.Angles"/>).</param>
    /// <param name="mask">[B, 1, T, L], true = may attend.</param>
    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, Tensor mask, KvCache? cache, int layer)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], t = x.shape[1];
        Tensor q = Rotary.Apply(q_proj.forward(x).view(b, t, _c.Heads, _c.HeadDim).transpose(1, 2), cos, sin);
        Tensor k = Rotary.Apply(k_proj.forward(x).view(b, t, _c.KeyValueHeads, _c.HeadDim).transpose(1, 2), cos, sin);
        Tensor v = v_proj.forward(x).view(b, t, _c.KeyValueHeads, _c.HeadDim).transpose(1, 2);
        if (cache is not null) (k, v) = cache.Append(layer, k.contiguous(), v.contiguous());
        int groups = _c.Heads / _c.KeyValueHeads;
        if (groups > 1)
        {
            k = k.repeat_interleave(groups, 1);    // query head h reads key/value head h / groups
            v = v.repeat_interleave(groups, 1);
        }
        using TorchSharp.Scalar negativeInfinity = TorchSharp.ScalarExtensionMethods.ToScalar(float.NegativeInfinity);   // held to the end of the call (see SelfAttention)
        Tensor scores = matmul(q, k.transpose(-2, -1)).mul_(1.0 / Math.Sqrt(_c.HeadDim)).masked_fill(mask.logical_not(), negativeInfinity);
        Tensor attended = matmul(nn.functional.softmax(scores, -1), v);
        return o_proj.forward(attended.transpose(1, 2).reshape(b, t, _c.Heads * _c.HeadDim)).MoveToOuterDisposeScope();
    }
}
