using static TorchSharp.torch;

namespace Steve2.Pipeline.Student.Model;

/// <summary>
/// What <see cref="StudentModel"/> needs of a decoder: token embeddings in its width, and causal next-token logits over
/// a sequence of embeddings with a key mask and an optional <see cref="KvCache"/>. Two implementations: the
/// from-scratch <see cref="LanguageDecoder"/> (the presets) and a pretrained causal LM
/// (<see cref="Pretrained.PretrainedDecoder"/>, Llama/Qwen2 layout).
/// </summary>
public interface IStudentDecoder
{
    /// <summary>Layers (one cache slot each).</summary>
    int Depth { get; }

    /// <summary>The embeddings of token ids [B, T] as [B, T, Width].</summary>
    Tensor Embed(Tensor ids);

    /// <summary>
    /// Next-token logits [B, T, Vocabulary] of embeddings [B, T, Width]; keyMask [B, T] true at real tokens. With
    /// <paramref name="at"/> ([B, T] bool), only those positions' logits, [N, Vocabulary] in row-major order (the head
    /// of a large vocabulary is then applied to the answer positions only). <paramref name="ids"/> [B, T] are the tokens
    /// the embeddings stand for: a decoder with a <see cref="CopyHead"/> points at them, others ignore them.
    /// </summary>
    Tensor Forward(Tensor embeddings, Tensor keyMask, KvCache? cache = null, Tensor? at = null, Tensor? ids = null);
}

/// <summary>
/// The decoder's attention mask and position ids, shared by both decoders: positions count real tokens only (so a
/// left- or right-padded row reads as if alone), a query sees the real keys at or before it, and a pad query sees
/// itself (no empty softmax row).
/// </summary>
internal static class CausalMask
{
    /// <returns>Position ids [B, T] (clamped to <paramref name="maxPositions"/> - 1), all keys' mask [B, L] (cached and new),
    /// and the attention mask [B, 1, T, L] (true = may attend). Tensors belong to the caller's dispose scope.</returns>
    public static (Tensor PositionIds, Tensor AllKeys, Tensor Mask) Build(Tensor keyMask, KvCache? cache, long maxPositions)
    {
        long b = keyMask.shape[0], t = keyMask.shape[1];
        long past = cache?.Length ?? 0;
        Tensor basePosition = past > 0 ? cache!.NextPosition! : zeros(b, ScalarType.Int64, keyMask.device);
        Tensor positionIds = (basePosition.unsqueeze(1) + keyMask.to(ScalarType.Int64).cumsum(1) - 1).clamp(0, maxPositions - 1);
        Tensor allKeys = past > 0 ? cat([cache!.KeyMask!, keyMask], 1) : keyMask.clone();
        Tensor queryAt = arange(past, past + t, device: keyMask.device).unsqueeze(1);        // [T, 1] absolute index
        Tensor keyAt = arange(past + t, device: keyMask.device).unsqueeze(0);               // [1, L]
        Tensor mask = keyAt.le(queryAt).unsqueeze(0).unsqueeze(0).logical_and(allKeys.unsqueeze(1).unsqueeze(1))
            .logical_or(keyAt.eq(queryAt).unsqueeze(0).unsqueeze(0));                       // [B, 1, T, L]; a pad query sees itself
        return (positionIds, allKeys, mask);
    }
}
