using System.Text;
using System.Text.Json;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Steve2.Pipeline.Tests.Student;

/// <summary>
/// Writes a tiny causal LM in the Qwen2 layout (config.json, model.safetensors with the Hugging Face tensor names and
/// random weights, a byte-level vocab.json with four merges in merges.txt), as a user's real checkpoint folder would
/// hold it, and keeps the weights for an independent reference computation.
/// </summary>
internal sealed class TinyPretrainedCheckpoint
{
    public const int Hidden = 16, Layers = 2, Heads = 4, KvHeads = 2, HeadDim = 4, Intermediate = 24, Vocabulary = 264, Eos = 262;
    public const double RopeTheta = 10000, Eps = 1e-6;

    /// <summary>The merges: "pl", "ac", "plac", "Ġa" (ids 256-259).</summary>
    public static readonly string[] Merges = ["p l", "a c", "pl ac", "Ġ a"];

    public required string Folder { get; init; }
    public required Dictionary<string, float[]> Weights { get; init; }
    public required Dictionary<string, long[]> Shapes { get; init; }

    /// <param name="tied">Leave out lm_head and set tie_word_embeddings (Qwen2-0.5B's layout).</param>
    /// <param name="bf16">Store the embedding table as bfloat16 (how real checkpoints ship); the kept weights are the rounded values.</param>
    public static TinyPretrainedCheckpoint Write(string folder, int seed = 11, bool tied = false, bool bf16 = false)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "config.json"), JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["architectures"] = new[] { "Qwen2ForCausalLM" },
            ["model_type"] = "qwen2",
            ["vocab_size"] = Vocabulary,
            ["hidden_size"] = Hidden,
            ["num_hidden_layers"] = Layers,
            ["num_attention_heads"] = Heads,
            ["num_key_value_heads"] = KvHeads,
            ["intermediate_size"] = Intermediate,
            ["rms_norm_eps"] = Eps,
            ["rope_theta"] = RopeTheta,
            ["max_position_embeddings"] = 512,
            ["tie_word_embeddings"] = tied,
            ["bos_token_id"] = null,
            ["eos_token_id"] = Eos,
            ["rope_scaling"] = null,
        }));
        var vocab = new Dictionary<string, int>();
        for (int b = 0; b < 256; b++) vocab[ByteChar((byte)b)] = b;
        int next = 256;
        foreach (string m in Merges) vocab[m.Replace(" ", "")] = next++;
        File.WriteAllText(Path.Combine(folder, "vocab.json"), JsonSerializer.Serialize(vocab));
        File.WriteAllText(Path.Combine(folder, "merges.txt"), "#version: 0.2\n" + string.Join("\n", Merges) + "\n", new UTF8Encoding(false));

        var shapes = new Dictionary<string, long[]> { ["model.embed_tokens.weight"] = [Vocabulary, Hidden], ["model.norm.weight"] = [Hidden] };
        if (!tied) shapes["lm_head.weight"] = [Vocabulary, Hidden];
        for (int l = 0; l < Layers; l++)
        {
            string p = $"model.layers.{l}.";
            shapes[p + "self_attn.q_proj.weight"] = [Heads * HeadDim, Hidden];
            shapes[p + "self_attn.q_proj.bias"] = [Heads * HeadDim];
            shapes[p + "self_attn.k_proj.weight"] = [KvHeads * HeadDim, Hidden];
            shapes[p + "self_attn.k_proj.bias"] = [KvHeads * HeadDim];
            shapes[p + "self_attn.v_proj.weight"] = [KvHeads * HeadDim, Hidden];
            shapes[p + "self_attn.v_proj.bias"] = [KvHeads * HeadDim];
            shapes[p + "self_attn.o_proj.weight"] = [Hidden, Heads * HeadDim];
            shapes[p + "mlp.gate_proj.weight"] = [Intermediate, Hidden];
            shapes[p + "mlp.up_proj.weight"] = [Intermediate, Hidden];
            shapes[p + "mlp.down_proj.weight"] = [Hidden, Intermediate];
            shapes[p + "input_layernorm.weight"] = [Hidden];
            shapes[p + "post_attention_layernorm.weight"] = [Hidden];
        }
        var random = new Random(seed);
        var weights = new Dictionary<string, float[]>();
        var tensors = new Dictionary<string, Tensor>();
        foreach (var (name, shape) in shapes)
        {
            var values = new float[shape.Aggregate(1L, (a, b) => a * b)];
            bool norm = name.EndsWith("norm.weight", StringComparison.Ordinal);
            for (int i = 0; i < values.Length; i++) values[i] = (float)(norm ? 1 + 0.2 * (random.NextDouble() - 0.5) : 0.6 * (random.NextDouble() - 0.5));
            var t = tensor(values, shape);
            if (bf16 && name == "model.embed_tokens.weight")
            {
                var rounded = t.to(ScalarType.BFloat16);
                values = rounded.to(ScalarType.Float32).data<float>().ToArray();
                t.Dispose();
                t = rounded;
            }
            weights[name] = values;
            tensors[name] = t;
        }
        Safetensors.SaveStateDict(Path.Combine(folder, "model.safetensors"), tensors);
        foreach (var t in tensors.Values) t.Dispose();
        return new TinyPretrainedCheckpoint { Folder = folder, Weights = weights, Shapes = shapes };
    }

    /// <summary>GPT-2's byte-to-character table (printable bytes stand for themselves, the others from U+0100 on).</summary>
    public static string ByteChar(byte b)
    {
        int n = 0;
        for (int c = 0; c < 256; c++)
        {
            bool printable = (c >= '!' && c <= '~') || (c >= 0xA1 && c <= 0xAC) || (c >= 0xAE && c <= 0xFF);
            if (c == b) return printable ? ((char)c).ToString() : ((char)(256 + n)).ToString();
            if (!printable) n++;
        }
        throw new ArgumentOutOfRangeException(nameof(b));
    }

    /// <summary>
    /// The logits [T, V] of a token sequence (one row, no padding, positions 0..T-1), computed straight from the
    /// weights in double precision with loops: the reference the TorchSharp decoder is checked against.
    /// </summary>
    public double[][] ReferenceLogits(int[] tokens)
    {
        int t = tokens.Length;
        var h = tokens.Select(id => Row("model.embed_tokens.weight", id)).ToArray();
        for (int l = 0; l < Layers; l++)
        {
            string p = $"model.layers.{l}.";
            var x = h.Select(v => Rms(v, p + "input_layernorm.weight")).ToArray();
            var q = x.Select((v, pos) => Rope(Linear(p + "self_attn.q_proj", v), pos, Heads)).ToArray();
            var k = x.Select((v, pos) => Rope(Linear(p + "self_attn.k_proj", v), pos, KvHeads)).ToArray();
            var val = x.Select(v => Linear(p + "self_attn.v_proj", v)).ToArray();
            for (int i = 0; i < t; i++)
            {
                var attended = new double[Heads * HeadDim];
                for (int head = 0; head < Heads; head++)
                {
                    int kv = head / (Heads / KvHeads);
                    var scores = new double[i + 1];
                    for (int j = 0; j <= i; j++)
                    {
                        double s = 0;
                        for (int d = 0; d < HeadDim; d++) s += q[i][head * HeadDim + d] * k[j][kv * HeadDim + d];
                        scores[j] = s / Math.Sqrt(HeadDim);
                    }
                    double max = scores.Max(), sum = scores.Sum(s => Math.Exp(s - max));
                    for (int j = 0; j <= i; j++)
                        for (int d = 0; d < HeadDim; d++) attended[head * HeadDim + d] += Math.Exp(scores[j] - max) / sum * val[j][kv * HeadDim + d];
                }
                var o = Linear(p + "self_attn.o_proj", attended);
                for (int d = 0; d < Hidden; d++) h[i][d] += o[d];
            }
            for (int i = 0; i < t; i++)
            {
                var y = Rms(h[i], p + "post_attention_layernorm.weight");
                var gate = Linear(p + "mlp.gate_proj", y);
                var up = Linear(p + "mlp.up_proj", y);
                var act = gate.Select((g, n) => g / (1 + Math.Exp(-g)) * up[n]).ToArray();
                var down = Linear(p + "mlp.down_proj", act);
                for (int d = 0; d < Hidden; d++) h[i][d] += down[d];
            }
        }
        if (!Weights.ContainsKey("lm_head.weight"))
        {
            Weights["lm_head.weight"] = Weights["model.embed_tokens.weight"];      // tied: the head is the embedding table
            Shapes["lm_head.weight"] = Shapes["model.embed_tokens.weight"];
        }
        return h.Select(v => Linear("lm_head", Rms(v, "model.norm.weight"))).ToArray();
    }

    private double[] Row(string name, int row) => Enumerable.Range(0, Hidden).Select(d => (double)Weights[name][row * Hidden + d]).ToArray();

    private double[] Rms(double[] v, string weight)
    {
        double scale = 1 / Math.Sqrt(v.Sum(x => x * x) / v.Length + Eps);
        return v.Select((x, i) => x * scale * Weights[weight][i]).ToArray();
    }

    private double[] Linear(string prefix, double[] x)
    {
        var w = Weights[prefix + ".weight"];
        int outWidth = (int)Shapes[prefix + ".weight"][0], inWidth = x.Length;
        Weights.TryGetValue(prefix + ".bias", out var bias);
        var y = new double[outWidth];
        for (int o = 0; o < outWidth; o++)
        {
            double s = bias?[o] ?? 0;
            for (int i = 0; i < inWidth; i++) s += w[o * inWidth + i] * x[i];
            y[o] = s;
        }
        return y;
    }

    /// <summary>Rotary positions, "rotate half" convention, per head.</summary>
    private static double[] Rope(double[] x, int position, int heads)
    {
        var y = new double[x.Length];
        int half = HeadDim / 2;
        for (int head = 0; head < heads; head++)
            for (int d = 0; d < HeadDim; d++)
            {
                double angle = position * Math.Pow(RopeTheta, -2.0 * (d % half) / HeadDim);
                double own = x[head * HeadDim + d];
                double rotated = d < half ? -x[head * HeadDim + d + half] : x[head * HeadDim + d - half];
                y[head * HeadDim + d] = own * Math.Cos(angle) + rotated * Math.Sin(angle);
            }
        return y;
    }
}
