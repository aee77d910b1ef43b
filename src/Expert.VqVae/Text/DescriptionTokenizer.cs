using Expert.VqVae.MlCore.Text;
using Expert.VqVae.Model;

namespace Expert.VqVae.Text;

/// <summary>
/// Turns a description into the prior's token ids: the shared <see cref="CompactBpeTokenizer"/>
/// (MlCore/Text) with the imagination model's settings, which every checkpoint of it was trained
/// with: text lower-cased with whitespace collapsed; special tokens <see cref="TextTokenIds.Pad"/> (0)
/// and <see cref="TextTokenIds.Unknown"/> (1) only; the word pieces of the training corpus from
/// <see cref="TextTokenIds.FirstWord"/> on, in first-seen order; an unseen piece maps to
/// <see cref="TextTokenIds.Unknown"/> (no byte fallback). The compact table (<see cref="BpeIds"/>)
/// travels in the checkpoint header. Text longer than the model's window is cut at <c>maxTokens</c>
/// (documented in the README). These settings must not change: the shipped checkpoint's ids depend on them.
/// </summary>
public sealed class DescriptionTokenizer
{
    private readonly CompactBpeTokenizer _tokenizer;

    public DescriptionTokenizer(IReadOnlyList<int> bpeIds) => _tokenizer = new CompactBpeTokenizer(Vocabulary(bpeIds));

    /// <summary>The BPE id behind each compact id (compact id = index + FirstWord).</summary>
    public IReadOnlyList<int> BpeIds => _tokenizer.BpeIds;

    public int VocabularySize => _tokenizer.VocabularySize;

    /// <summary>Builds the compact vocabulary from the training descriptions.</summary>
    public static DescriptionTokenizer Fit(IEnumerable<string> descriptions) =>
        new(CompactBpeTokenizer.Fit(descriptions, SpecialTokens.PadAndUnknown, TextNormalization.Descriptions, byteFallback: false).BpeIds);

    /// <summary>
    /// This vocabulary grown by the pieces of <paramref name="descriptions"/> it lacks: every id this one gives keeps its
    /// meaning, the new pieces follow in first-seen order (a prior fine-tune on a corpus with new words, TRAINING.md). A
    /// corpus with no new piece gives this vocabulary back unchanged.
    /// </summary>
    public DescriptionTokenizer Grow(IEnumerable<string> descriptions)
    {
        var known = BpeIds.ToHashSet();
        var added = Fit(descriptions).BpeIds.Where(known.Add);
        return new DescriptionTokenizer(BpeIds.Concat(added).ToArray());
    }

    /// <summary>Compact ids of a description, cut to <paramref name="maxTokens"/>.</summary>
    public int[] Encode(string description, int maxTokens) => _tokenizer.Encode(description, maxTokens);

    /// <summary>The normalised text of <paramref name="ids"/>; an unseen piece reads "&lt;unk&gt;" (see <see cref="CompactBpeTokenizer.Decode"/>).</summary>
    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = false) => _tokenizer.Decode(ids, skipSpecialTokens);

    /// <summary>Lower case, single spaces, trimmed.</summary>
    public static string Normalize(string text) => TextNormalization.Descriptions.Apply(text);

    private static TokenizerVocabulary Vocabulary(IReadOnlyList<int> bpeIds) => new()
    {
        SpecialTokens = SpecialTokens.PadAndUnknown.Names,
        BpeIds = bpeIds,
        ByteFallback = false,
        LowerCase = TextNormalization.Descriptions.LowerCase,
        CollapseWhitespace = TextNormalization.Descriptions.CollapseWhitespace,
    };
}
