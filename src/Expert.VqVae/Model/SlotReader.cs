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
/// <see cref="SlotReading"/> says where the keys (where a slot points) and the values (what it reads there) come from:
/// the encoded words for both; the encoded words and the words' own embeddings; a window of <see cref="Window"/> tokens
/// either side of each word and its own embedding.
/// </summary>
public sealed class SlotReader : nn.Module<Tensor, Tensor, Tensor, Tensor>
{
    private readonly Parameter queries;
    private readonly LayerNorm ln_kv;
    private readonly Linear? kv;        // Encoded: keys and values from the encoded words
    private readonly Conv1d? window0;   // Local, Neighbours: the keys' window over the words' embeddings
    private readonly Conv1d? window1;   // Local: its second convolution
    private readonly Linear? self_score; // Neighbours: one score a head from the word itself, shared by every slot
    private readonly Linear? k;         // Words, Local, Neighbours: keys from the encoded words or the window ...
    private readonly LayerNorm? ln_v;
    private readonly Linear? v;         // ... values from the words' embeddings
    private readonly SlotReading _reading;

    /// <summary>
    /// Tokens either side of a word that its key sees: with <see cref="SlotReading.Local"/> through two convolutions of width
    /// 5 (the word included), with <see cref="SlotReading.Neighbours"/> through one of width 9 whose centre tap is held at zero.
    /// </summary>
    public const int Window = 4;
    private readonly Linear proj;
    private readonly LayerNorm ln;
    private readonly Linear fc;
    private readonly Linear head;
    private readonly int _slots;
    private readonly int _heads;
    private readonly int _dim;

    public SlotReader(string name, int slots, int dim, int heads, int blocks, SlotReading reading = SlotReading.Encoded) : base(name)
    {
        if (slots < 1) throw new ArgumentException($"At least one slot, got {slots}.", nameof(slots));
        if (dim % heads != 0) throw new ArgumentException($"The width ({dim}) must be a multiple of the heads ({heads}).");
        _slots = slots;
        _heads = heads;
        _dim = dim;
        _reading = reading;
        queries = nn.Parameter(randn(1, heads, slots, dim / heads));   // unit scale: the slots point apart from the first step
        ln_kv = nn.LayerNorm(dim);
        if (reading == SlotReading.Encoded)
            kv = nn.Linear(dim, 2 * dim);
        else
        {
            if (reading == SlotReading.Local)
            {
                window0 = nn.Conv1d(dim, dim, Window + 1, padding: Window / 2);
                window1 = nn.Conv1d(dim, dim, Window + 1, padding: Window / 2);
            }
            else if (reading == SlotReading.Neighbours)
            {
                window0 = nn.Conv1d(dim, dim, 2 * Window + 1, padding: Window);
                self_score = nn.Linear(dim, heads);
            }
            k = nn.Linear(dim, dim);
            ln_v = nn.LayerNorm(dim);
            v = nn.Linear(dim, dim);
        }
        proj = nn.Linear(dim, dim);
        ln = nn.LayerNorm(dim);
        fc = nn.Linear(dim, dim);
        head = nn.Linear(dim, blocks);
        RegisterComponents();
    }

    /// <param name="context">[B, T, D] the encoded words (the painter's text encoder: the null token first).</param>
    /// <param name="words">[B, T, D] the same positions' own embeddings (not read with <see cref="SlotReading.Encoded"/>).</param>
    /// <param name="keyMask">[B, 1, 1, T] bool, true where a token is real; every row needs at least one.</param>
    /// <returns>[B, S, K] block logits of each slot.</returns>
    public override Tensor forward(Tensor context, Tensor words, Tensor keyMask)
    {
        long b = context.shape[0];
        using var hv = ln_v?.forward(words);                                              // the words' own embeddings, normed once
        var (keys, values) = KeysValues(context, hv);
        using (keys)
        using (values)
        using (var q = queries.expand(b, _heads, _slots, _dim / _heads))
        using (var mask = self_score is null ? keyMask.alias() : SelfScores(hv!, keyMask))
        using (var read = functional.scaled_dot_product_attention(q, keys, values, mask))   // [B, H, S, D/H]
            return Answer(read, b);
    }

    /// <summary>[B, H, 1, T] each word's own score, added to every slot's (minus infinity on padding).</summary>
    private Tensor SelfScores(Tensor hv, Tensor keyMask)
    {
        using var scores = self_score!.forward(hv);                                       // [B, T, H]
        using var perHead = scores.permute(0, 2, 1).unsqueeze(2);                         // [B, H, 1, T]
        return perHead.masked_fill(keyMask.logical_not(), float.NegativeInfinity);
    }

    /// <summary>
    /// [B, H, T, D/H] keys and values, from the encoded words or (values) from the words' normed embeddings
    /// <paramref name="hv"/> (null with <see cref="SlotReading.Encoded"/>).
    /// </summary>
    private (Tensor Keys, Tensor Values) KeysValues(Tensor context, Tensor? hv)
    {
        long b = context.shape[0], t = context.shape[1];
        if (kv is not null)
        {
            using var hkv = ln_kv.forward(context);
            using var keysValues = kv.forward(hkv);                                       // [B, T, 2D]
            var parts = keysValues.view(b, t, 2, _heads, _dim / _heads).permute(2, 0, 3, 1, 4).unbind(0);
            return (parts[0], parts[1]);
        }
        using var keySource = _reading switch
        {
            SlotReading.Local => Windowed(hv!),
            SlotReading.Neighbours => Neighbours(hv!),
            _ => context.alias(),
        };
        using var hk = ln_kv.forward(keySource);
        using var keys = k!.forward(hk);
        using var values = v!.forward(hv!);
        return (SplitHeads(keys, b, t), SplitHeads(values, b, t));
    }

    /// <summary>[B, T, D] each word with the <see cref="Window"/> tokens either side of it (zeros past the ends), no positions.</summary>
    private Tensor Windowed(Tensor words)
    {
        using var x = words.transpose(1, 2);                                              // [B, D, T]
        using var h0 = window0!.forward(x);
        using var a0 = functional.gelu(h0);
        using var h1 = window1!.forward(a0);
        using var sum = h1 + a0;
        return sum.transpose(1, 2);
    }

    /// <summary>[B, T, D] the <see cref="Window"/> tokens either side of each word, not the word itself (zeros past the ends).</summary>
    private Tensor Neighbours(Tensor words)
    {
        using var x = words.transpose(1, 2);                                              // [B, D, T]
        var w = window0!.weight!;                                                         // [D, D, 2 Window + 1]
        using var left = w.narrow(2, 0, Window);
        using var right = w.narrow(2, Window + 1, Window);
        using var centre = zeros_like(w.narrow(2, Window, 1));                            // the word itself: no tap, no gradient
        using var weight = cat(new[] { left, centre, right }, 2);
        using var h = functional.conv1d(x, weight, window0.bias, padding: Window);
        using var a = functional.gelu(h);
        return a.transpose(1, 2);
    }

    private Tensor SplitHeads(Tensor x, long b, long t) => x.view(b, t, _heads, _dim / _heads).transpose(1, 2);

    private Tensor Answer(Tensor read, long b)
    {
        using var merged = read.transpose(1, 2).reshape(b, _slots, _dim);
        using var projected = proj.forward(merged);
        using var normed = ln.forward(projected);
        using var hidden0 = fc.forward(normed);
        using var hidden = functional.gelu(hidden0);
        return head.forward(hidden);
    }
}
