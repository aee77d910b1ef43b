using System.Text;
using Expert.VqVae.Model;
using Microsoft.ML.Tokenizers;

namespace Expert.VqVae.Text;

/// <summary>
/// Turns a description into the prior's token ids. Text is normalised (lower case, whitespace
/// collapsed), split by the GPT-2 byte-level BPE (Microsoft.ML.Tokenizers; it never fails on an
/// unseen word, it splits it into known pieces), and each BPE id is mapped into the model's
/// compact vocabulary: the BPE pieces seen in the training corpus, in first-seen order, from
/// <see cref="TextTokenIds.FirstWord"/> on. A piece the model never saw maps to
/// <see cref="TextTokenIds.Unknown"/>. The compact table travels in the checkpoint.
/// Text longer than the model's window is cut at <c>maxTokens</c> (documented in the README).
/// </summary>
public sealed class DescriptionTokenizer
{
    private static readonly Lazy<Tokenizer> Bpe = new(() => TiktokenTokenizer.CreateForModel("gpt2"));

    private readonly Dictionary<int, int> _compact;

    public DescriptionTokenizer(IReadOnlyList<int> bpeIds)
    {
        BpeIds = bpeIds;
        _compact = new Dictionary<int, int>(bpeIds.Count);
        for (int i = 0; i < bpeIds.Count; i++) _compact[bpeIds[i]] = TextTokenIds.FirstWord + i;
    }

    /// <summary>The BPE id behind each compact id (compact id = index + FirstWord).</summary>
    public IReadOnlyList<int> BpeIds { get; }

    public int VocabularySize => TextTokenIds.FirstWord + BpeIds.Count;

    /// <summary>Builds the compact vocabulary from the training descriptions.</summary>
    public static DescriptionTokenizer Fit(IEnumerable<string> descriptions)
    {
        var seen = new HashSet<int>();
        var order = new List<int>();
        foreach (var d in descriptions)
            foreach (int id in Bpe.Value.EncodeToIds(Normalize(d)))
                if (seen.Add(id)) order.Add(id);
        return new DescriptionTokenizer(order);
    }

    /// <summary>Compact ids of a description, cut to <paramref name="maxTokens"/>.</summary>
    public int[] Encode(string description, int maxTokens)
    {
        var ids = Bpe.Value.EncodeToIds(Normalize(description));
        int n = Math.Min(ids.Count, maxTokens);
        var result = new int[n];
        for (int i = 0; i < n; i++)
            result[i] = _compact.TryGetValue(ids[i], out int c) ? c : TextTokenIds.Unknown;
        return result;
    }

    /// <summary>Lower case, single spaces, trimmed.</summary>
    public static string Normalize(string text)
    {
        var sb = new StringBuilder(text.Length);
        bool space = false;
        foreach (char ch in text.Trim())
        {
            if (char.IsWhiteSpace(ch)) { space = true; continue; }
            if (space && sb.Length > 0) sb.Append(' ');
            space = false;
            sb.Append(char.ToLowerInvariant(ch));
        }
        return sb.ToString();
    }
}
