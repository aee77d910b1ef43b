using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Steve2.Pipeline.Student.Model.Pretrained;

/// <summary>
/// One decoder layer of the Llama/Qwen2 layout (tensor names as in the checkpoints: <c>input_layernorm</c>,
/// <c>self_attn</c>, <c>post_attention_layernorm</c>, <c>mlp.{gate,up,down}_proj</c>):
/// h = x + attn(rms(x)); y = h + down(silu(gate(rms(h))) * up(rms(h))).
/// </summary>
public sealed class LlamaBlock : nn.Module
{
    private readonly RmsNorm input_layernorm;
    private readonly LlamaAttention self_attn;
    private readonly RmsNorm post_attention_layernorm;
    private readonly LlamaMlp mlp;

    public LlamaBlock(string name, PretrainedDecoderConfig c) : base(name)
    {
        input_layernorm = new RmsNorm("input_layernorm", c.Hidden, c.RmsNormEps);
        self_attn = new LlamaAttention("self_attn", c);
        post_attention_layernorm = new RmsNorm("post_attention_layernorm", c.Hidden, c.RmsNormEps);
        mlp = new LlamaMlp("mlp", c.Hidden, c.Intermediate);
        RegisterComponents();
    }

    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, Tensor mask, KvCache? cache, int layer)
    {
        using var scope = NewDisposeScope();
        Tensor h = x + self_attn.Forward(input_layernorm.forward(x), cos, sin, mask, cache, layer);
        return (h + mlp.forward(post_attention_layernorm.forward(h))).MoveToOuterDisposeScope();
    }
}

/// <summary>The SwiGLU MLP: down(silu(gate(x)) * up(x)), no biases.</summary>
public sealed class LlamaMlp : nn.Module<Tensor, Tensor>
{
    private readonly Linear gate_proj;
    private readonly Linear up_proj;
    private readonly Linear down_proj;

    public LlamaMlp(string name, int hidden, int intermediate) : base(name)
    {
        gate_proj = nn.Linear(hidden, intermediate, hasBias: false);
        up_proj = nn.Linear(hidden, intermediate, hasBias: false);
        down_proj = nn.Linear(intermediate, hidden, hasBias: false);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return down_proj.forward(nn.functional.silu(gate_proj.forward(x)).mul(up_proj.forward(x))).MoveToOuterDisposeScope();
    }
}
