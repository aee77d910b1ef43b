using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Steve2.Pipeline.Student.Model;

/// <summary>
/// The causal transformer decoder: token embeddings (pad id 0), positions (rotary on queries and keys, or a learned
/// table added to the input: <see cref="DecoderConfig.Rotary"/>), pre-norm blocks, a final norm, a head tied to the
/// embedding table and, with <see cref="DecoderConfig.Copy"/>, a <see cref="CopyHead"/> that mixes a pointer over the
/// tokens read so far into it. It reads input embeddings (text tokens with the projected
/// image tokens already in place, <see cref="StudentModel"/>) and a key mask (true at real tokens: left or
/// right padding is false). Positions count real tokens only, so a left-padded row is read as if unpadded.
/// With a <see cref="KvCache"/> the call reads only the new positions and attends to the cached ones.
/// </summary>
public sealed class LanguageDecoder : nn.Module, IStudentDecoder
{
    private readonly Embedding tokens;
    private readonly Embedding? positions;    // the learned table; null with rotary positions
    private readonly ModuleList<PreNormBlock> blocks;
    private readonly LayerNorm norm;
    private readonly CopyHead? copy;

    public LanguageDecoder(DecoderConfig config) : base(nameof(LanguageDecoder))
    {
        Config = config;
        tokens = nn.Embedding(config.VocabularySize, config.Width, padding_idx: 0);
        positions = config.Rotary ? null : nn.Embedding(config.MaxPositions, config.Width);
        blocks = nn.ModuleList(Enumerable.Range(0, config.Depth).Select(i => new PreNormBlock($"block{i}", config.Width, config.Heads)).ToArray());
        norm = nn.LayerNorm(config.Width);
        copy = config.Copy ? new CopyHead("copy", config.Width) : null;
        using (no_grad())
        {
            tokens.weight!.normal_(0, 0.02);
            tokens.weight![0].zero_();
            positions?.weight!.normal_(0, 0.02);
        }
        RegisterComponents();
    }

    public DecoderConfig Config { get; }

    public int Depth => Config.Depth;

    /// <summary>The embeddings of token ids [B, T] as [B, T, Width].</summary>
    public Tensor Embed(Tensor ids) => tokens.forward(ids);

    /// <summary>
    /// The next-token logits [B, T, Vocabulary] of every position of <paramref name="embeddings"/> ([B, T, Width]).
    /// </summary>
    /// <param name="keyMask">[B, T], true at real tokens.</param>
    /// <param name="cache">Null: the sequence is all there is. Otherwise the positions before it are in the cache,
    /// and this call's keys are appended.</param>
    /// <param name="at">Null: every position's logits. Else [B, T] bool: those positions' logits only, [N, Vocabulary].</param>
    /// <param name="ids">The token ids [B, T] of the embeddings: the copy head points at them (required with one).</param>
    public Tensor Forward(Tensor embeddings, Tensor keyMask, KvCache? cache = null, Tensor? at = null, Tensor? ids = null)
    {
        using var scope = NewDisposeScope();
        var (positionIds, allKeys, mask) = CausalMask.Build(keyMask, cache, Config.MaxPositions);
        Tensor x = positions is null ? embeddings : embeddings + positions.forward(positionIds);
        (Tensor, Tensor)? rotary = Config.Rotary ? Rotary.Angles(positionIds, Config.Width / Config.Heads, Rotary.DefaultTheta) : null;
        for (int i = 0; i < blocks.Count; i++) x = blocks[i].Forward(x, mask, cache, i, rotary);
        Tensor h = norm.forward(x);
        Tensor logits = matmul(at is null ? h : h[at], tokens.weight!.t());
        if (copy is not null)
        {
            if (ids is null) throw new ArgumentNullException(nameof(ids), "A decoder with a copy head needs the token ids it may copy.");
            Tensor keys = copy.Keys(h, embeddings), keyIds = ids;
            if (cache is not null) (keys, keyIds) = cache.AppendCopy(keys.contiguous(), ids);
            logits = copy.Mix(logits, h, keys, keyIds, mask.squeeze(1), at);
        }
        if (cache is not null)
            cache.Advance(allKeys.MoveToOuterDisposeScope(), (positionIds[.., -1] + 1).MoveToOuterDisposeScope());
        return logits.MoveToOuterDisposeScope();
    }
}
