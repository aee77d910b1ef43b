using static TorchSharp.torch;

namespace Steve2.Pipeline.Student.Model;

/// <summary>
/// Rotary position embedding in the Llama/Qwen2 convention ("rotate half"): for a head of width d, frequencies
/// theta^(-2i/d) for i &lt; d/2, angles position * frequency duplicated over both halves, and
/// x' = x * cos + rotateHalf(x) * sin with rotateHalf([x1, x2]) = [-x2, x1]. Shared by the pretrained decoder
/// (<see cref="Pretrained.LlamaAttention"/>) and the from-scratch one (<see cref="DecoderConfig.Rotary"/>).
/// </summary>
internal static class Rotary
{
    /// <summary>The base of the from-scratch decoder's frequencies (Llama's).</summary>
    public const double DefaultTheta = 10000;

    /// <summary>cos and sin [B, 1, T, d] for position ids [B, T] (float32).</summary>
    public static (Tensor Cos, Tensor Sin) Angles(Tensor positionIds, int headDim, double theta)
    {
        Tensor exponent = arange(0, headDim, 2, ScalarType.Float32, positionIds.device).div(headDim);
        Tensor inverse = full_like(exponent, theta).pow(exponent).reciprocal();                                                  // [d/2]: 1 / theta^(2i/d), as the checkpoints' code
        Tensor angles = positionIds.to(ScalarType.Float32).unsqueeze(-1).mul(inverse);                                          // [B, T, d/2]
        Tensor both = cat([angles, angles], -1).unsqueeze(1);                                                                   // [B, 1, T, d]
        return (both.cos(), both.sin());
    }

    /// <summary>Rotates x [B, heads, T, d] by the angles.</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        long half = x.shape[^1] / 2;
        Tensor x1 = x[TensorIndex.Ellipsis, TensorIndex.Slice(0, half)], x2 = x[TensorIndex.Ellipsis, TensorIndex.Slice(half)];
        return x.mul(cos).add(cat([x2.neg(), x1], -1).mul(sin));
    }
}
