namespace Expert.VqVae.MlCore.Text;

/// <summary>
/// All a <see cref="CompactBpeTokenizer"/> is, as data for a checkpoint header: its special tokens,
/// the GPT-2 BPE ids of its word pieces (compact id = special count + index), whether unseen pieces
/// fall back to bytes, and its normalisation. Store it in the model's header
/// (<c>CompactBpeTokenizer.Vocabulary</c>) and rebuild the tokenizer from it when loading.
/// </summary>
public sealed record TokenizerVocabulary
{
    /// <summary>The special tokens' names, id = index (see <see cref="Text.SpecialTokens"/>).</summary>
    public required IReadOnlyList<string> SpecialTokens { get; init; }

    /// <summary>The GPT-2 BPE id of each word piece, in compact-id order.</summary>
    public required IReadOnlyList<int> BpeIds { get; init; }

    /// <summary>
    /// True: the pieces include the 256 single-byte pieces, and a piece outside the vocabulary is
    /// written as its UTF-8 bytes (no text is ever lost). False: it becomes &lt;unk&gt;.
    /// </summary>
    public bool ByteFallback { get; init; }

    /// <summary>Lower-case the text first.</summary>
    public bool LowerCase { get; init; } = true;

    /// <summary>Trim and collapse whitespace first.</summary>
    public bool CollapseWhitespace { get; init; } = true;
}
