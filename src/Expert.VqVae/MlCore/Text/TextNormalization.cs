using System.Text;

namespace Expert.VqVae.MlCore.Text;

/// <summary>
/// What a tokenizer does to text before splitting it: lower-casing (invariant culture), and
/// collapsing whitespace (trimmed, every run of whitespace, newlines included, one space).
/// Part of a vocabulary: the same text must normalise the same way when the model is trained and
/// when it runs. <see cref="CompactBpeTokenizer.Decode"/> gives back the normalised text.
/// </summary>
public sealed record TextNormalization(bool LowerCase, bool CollapseWhitespace)
{
    /// <summary>Lower case and single spaces: the imagination model's descriptions.</summary>
    public static TextNormalization Descriptions { get; } = new(LowerCase: true, CollapseWhitespace: true);

    /// <summary>The text as it is (case and layout carry meaning: code, prompts with structure).</summary>
    public static TextNormalization None { get; } = new(LowerCase: false, CollapseWhitespace: false);

    /// <summary>Normalises <paramref name="text"/>.</summary>
    public string Apply(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!CollapseWhitespace) return LowerCase ? text.ToLowerInvariant() : text;
        var sb = new StringBuilder(text.Length);
        bool space = false;
        foreach (char ch in text.Trim())
        {
            if (char.IsWhiteSpace(ch)) { space = true; continue; }
            if (space && sb.Length > 0) sb.Append(' ');
            space = false;
            sb.Append(LowerCase ? char.ToLowerInvariant(ch) : ch);
        }
        return sb.ToString();
    }
}
