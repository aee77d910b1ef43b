using System.Text;

namespace Expert.VqVae.MlCore.Text;

/// <summary>
/// Text to a model's token ids and back. Text is normalised (<see cref="TextNormalization"/>), split
/// by the GPT-2 byte-level BPE (it never fails on an unseen word: it splits it into known pieces),
/// and each piece is mapped into the model's compact vocabulary: the special tokens at ids
/// 0 .. S-1 (<see cref="Text.SpecialTokens"/>), then the pieces seen when the vocabulary was fitted
/// (<see cref="Fit"/>) in first-seen order, so that the embedding table holds only what the model's
/// texts use (a few hundred rows, not GPT-2's 50,257). A piece outside the vocabulary becomes
/// <see cref="SpecialTokens.UnknownId"/>, or, with byte fallback, its UTF-8 bytes (the 256 byte
/// pieces are then part of the vocabulary), so that nothing is lost.
/// <para>Round trip: <c>Decode(Encode(x)) == Normalize(x)</c> whenever every piece of x is in the
/// vocabulary, and always with byte fallback; without it, unseen pieces come back as "&lt;unk&gt;".</para>
/// Immutable and thread-safe; rebuild it from its <see cref="Vocabulary"/> (kept in the checkpoint).
/// </summary>
public sealed class CompactBpeTokenizer
{
    private readonly Dictionary<int, int> _compact;
    private readonly int[] _bpeIds;

    /// <summary>Rebuilds a fitted tokenizer (from a checkpoint's header).</summary>
    /// <exception cref="ArgumentException">Special tokens not as <see cref="Text.SpecialTokens"/> wants them,
    /// a piece id GPT-2 does not have or given twice, or byte fallback without the 256 byte pieces.</exception>
    public CompactBpeTokenizer(TokenizerVocabulary vocabulary)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        Specials = new SpecialTokens(vocabulary.SpecialTokens);
        Normalization = new TextNormalization(vocabulary.LowerCase, vocabulary.CollapseWhitespace);
        _bpeIds = vocabulary.BpeIds.ToArray();
        _compact = new Dictionary<int, int>(_bpeIds.Length);
        for (int i = 0; i < _bpeIds.Length; i++)
        {
            if (!Gpt2Pieces.IsPiece(_bpeIds[i])) throw new ArgumentException($"{_bpeIds[i]} is not a GPT-2 BPE id.", nameof(vocabulary));
            if (!_compact.TryAdd(_bpeIds[i], Specials.Count + i)) throw new ArgumentException($"The BPE id {_bpeIds[i]} appears twice.", nameof(vocabulary));
        }
        if (vocabulary.ByteFallback && Gpt2Pieces.ByteIds.Any(id => !_compact.ContainsKey(id)))
            throw new ArgumentException("Byte fallback needs all 256 single-byte pieces in the vocabulary (Fit adds them).", nameof(vocabulary));
        Vocabulary = vocabulary with { SpecialTokens = Specials.Names, BpeIds = _bpeIds };
    }

    /// <summary>
    /// Fits a vocabulary on <paramref name="texts"/> (the training set's descriptions, prompts, text
    /// actions): every piece they use, in first-seen order, after the special tokens (and, with
    /// <paramref name="byteFallback"/>, after the 256 single-byte pieces).
    /// </summary>
    public static CompactBpeTokenizer Fit(IEnumerable<string> texts, SpecialTokens specials, TextNormalization normalization, bool byteFallback)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(specials);
        ArgumentNullException.ThrowIfNull(normalization);
        var seen = new HashSet<int>();
        var order = new List<int>();
        if (byteFallback)
            foreach (int id in Gpt2Pieces.ByteIds)
                if (seen.Add(id)) order.Add(id);
        foreach (var text in texts)
            foreach (int id in Gpt2Pieces.Encode(normalization.Apply(text)))
                if (seen.Add(id)) order.Add(id);
        return new CompactBpeTokenizer(new TokenizerVocabulary
        {
            SpecialTokens = specials.Names,
            BpeIds = order,
            ByteFallback = byteFallback,
            LowerCase = normalization.LowerCase,
            CollapseWhitespace = normalization.CollapseWhitespace,
        });
    }

    /// <summary>The tokenizer as data (for a checkpoint header).</summary>
    public TokenizerVocabulary Vocabulary { get; }

    /// <summary>The special tokens (ids 0 .. <c>Specials.Count - 1</c>).</summary>
    public SpecialTokens Specials { get; }

    /// <summary>What text goes through before it is split.</summary>
    public TextNormalization Normalization { get; }

    /// <summary>The GPT-2 BPE id behind each word piece (compact id = index + <see cref="FirstPieceId"/>).</summary>
    public IReadOnlyList<int> BpeIds => _bpeIds;

    /// <summary>The compact id of the first word piece: the number of special tokens.</summary>
    public int FirstPieceId => Specials.Count;

    /// <summary>Ids run from 0 to VocabularySize - 1: the rows of the model's embedding table.</summary>
    public int VocabularySize => Specials.Count + _bpeIds.Length;

    /// <summary>Whether an unseen piece is written as bytes (else as &lt;unk&gt;).</summary>
    public bool ByteFallback => Vocabulary.ByteFallback;

    /// <summary>The normalised text (what <see cref="Decode"/> gives back).</summary>
    public string Normalize(string text) => Normalization.Apply(text);

    /// <summary>The ids of <paramref name="text"/>, without special tokens (add them by id: <c>Specials.IdOf</c>).</summary>
    public int[] Encode(string text)
    {
        var pieces = Gpt2Pieces.Encode(Normalize(text));
        var ids = new List<int>(pieces.Count);
        foreach (int piece in pieces)
        {
            if (_compact.TryGetValue(piece, out int id)) ids.Add(id);
            else if (ByteFallback)
                foreach (byte b in Gpt2Pieces.BytesOf(piece)) ids.Add(_compact[Gpt2Pieces.ByteId(b)]);
            else ids.Add(SpecialTokens.UnknownId);
        }
        return ids.ToArray();
    }

    /// <summary>The first <paramref name="maxTokens"/> ids of <paramref name="text"/> (a model's text window).</summary>
    public int[] Encode(string text, int maxTokens)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxTokens);
        int[] ids = Encode(text);
        return ids.Length <= maxTokens ? ids : ids[..maxTokens];
    }

    /// <summary>
    /// The text of <paramref name="ids"/>: word pieces as their bytes (UTF-8; a sequence cut inside
    /// a character gives U+FFFD), special tokens by name ("&lt;eos&gt;", "&lt;unk&gt;"), or left out with
    /// <paramref name="skipSpecialTokens"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An id outside 0 .. VocabularySize - 1.</exception>
    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = false)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var text = new StringBuilder();
        var bytes = new List<byte>();
        foreach (int id in ids)
        {
            if (id < 0 || id >= VocabularySize)
                throw new ArgumentOutOfRangeException(nameof(ids), id, $"Token ids run from 0 to {VocabularySize - 1}.");
            if (id >= FirstPieceId)
            {
                bytes.AddRange(Gpt2Pieces.BytesOf(_bpeIds[id - FirstPieceId]));
                continue;
            }
            Flush();
            if (!skipSpecialTokens) text.Append(Specials.Names[id]);
        }
        Flush();
        return text.ToString();

        void Flush()
        {
            if (bytes.Count == 0) return;
            text.Append(Encoding.UTF8.GetString(bytes.ToArray()));
            bytes.Clear();
        }
    }
}
