using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Steve2.Pipeline.Student.Model;

/// <summary>
/// A copy head (pointer-generator, See et al. 2017) on top of the decoder: at every position one attention over the
/// tokens read so far (the prompt and the answer's earlier tokens) points at the token to write next, and a gate mixes
/// that pointer's distribution with the vocabulary's:
/// <c>p(w) = g · softmax(logits)(w) + (1 − g) · Σ_{s : id(s) = w} a(s)</c>.
/// Most answers copy places, counts and names from the prompt (<c>goto 12 10 68</c> from <c>deep floor: 12 10 68</c>,
/// <c>explore southwest</c> from <c>ahead: southwest 108</c>); without the head the decoder has to move a number through
/// its residual stream and out of the tied vocabulary head, and the small student got the third number of a place wrong
/// in most of its misses (STUDENT.md, "The model").
/// A key is made from the position's final hidden state (what the token means where it stands) and its input
/// embedding (which token it is); a query from the final hidden state of the position that predicts.
/// </summary>
public sealed class CopyHead : nn.Module
{
    private readonly Linear query;
    private readonly Linear keyFromHidden;
    private readonly Linear keyFromInput;
    private readonly Linear gate;
    private readonly double _scale;

    public CopyHead(string name, int width) : base(name)
    {
        query = nn.Linear(width, width, hasBias: false);
        keyFromHidden = nn.Linear(width, width, hasBias: false);
        keyFromInput = nn.Linear(width, width, hasBias: false);
        gate = nn.Linear(width, 1);
        _scale = 1.0 / Math.Sqrt(width);
        RegisterComponents();
    }

    /// <summary>The pointer's keys [B, T, W] of positions with final hidden states <paramref name="hidden"/> and input
    /// embeddings <paramref name="inputs"/> (both [B, T, W]); a KV cache keeps them for later steps.</summary>
    public Tensor Keys(Tensor hidden, Tensor inputs) => keyFromHidden.forward(hidden) + keyFromInput.forward(inputs);

    /// <summary>
    /// The mixed next-token log-probabilities, normalised (log-softmax of them is themselves, so a caller that reads
    /// them as logits gets the same distribution).
    /// </summary>
    /// <param name="logits">The vocabulary head's logits: [B, T, V], or [N, V] for the positions of <paramref name="at"/>.</param>
    /// <param name="hidden">The final hidden states of the new positions [B, T, W].</param>
    /// <param name="keys">The keys of every position read so far, cached and new, [B, L, W].</param>
    /// <param name="keyIds">Their token ids [B, L] (int64).</param>
    /// <param name="mask">[B, T, L], true where a new position may point (the decoder's causal and padding mask).</param>
    /// <param name="at">Null, or [B, T] bool: the positions <paramref name="logits"/> holds.</param>
    public Tensor Mix(Tensor logits, Tensor hidden, Tensor keys, Tensor keyIds, Tensor mask, Tensor? at)
    {
        using var scope = NewDisposeScope();
        long b = hidden.shape[0], t = hidden.shape[1], l = keys.shape[1];
        // The mixture is made in float32: a half-precision probability of 1e-9 is zero and its log -inf.
        Tensor scores = matmul(query.forward(hidden), keys.transpose(1, 2)).mul_(_scale).to(ScalarType.Float32);   // [B, T, L]
        using TorchSharp.Scalar veryNegative = TorchSharp.ScalarExtensionMethods.ToScalar(-1e9f);
        Tensor pointer = nn.functional.softmax(scores.masked_fill(mask.logical_not(), veryNegative), -1) * mask.to(ScalarType.Float32);
        // A position with nothing to point at (only masked keys) writes from the vocabulary alone.
        Tensor g = sigmoid(gate.forward(hidden).squeeze(-1).to(ScalarType.Float32));                                     // [B, T]
        g = where(mask.any(-1), g, ones_like(g));
        Tensor ids = keyIds.unsqueeze(1).expand(b, t, l);
        if (at is not null)
        {
            pointer = pointer[at];
            g = g[at];
            ids = ids[at];
        }
        Tensor fromVocabulary = nn.functional.softmax(logits.to(ScalarType.Float32), -1);
        Tensor copied = zeros_like(fromVocabulary).scatter_add_(-1, ids, pointer);
        Tensor mixed = g.unsqueeze(-1) * fromVocabulary + (1 - g).unsqueeze(-1) * copied;
        return mixed.clamp_min(1e-30).log().MoveToOuterDisposeScope();
    }
}
