using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace Steve2.Pipeline.Student.Model.Pretrained;

/// <summary>
/// The pretrained decoder's own tokenizer: byte-level BPE from <c>vocab.json</c> and <c>merges.txt</c> (as Qwen2, GPT-2
/// and SmolLM ship it), through Microsoft.ML.Tokenizers' <see cref="BpeTokenizer"/>, with Qwen2's pre-tokenizer
/// pattern. Byte-level: every text encodes (no unknown token). Decoding skips ids outside vocab.json (the added
/// special tokens such as &lt;|endoftext|&gt;, and the padded rows of the embedding table).
/// </summary>
public sealed class PretrainedTokenizer
{
    /// <summary>Qwen2's pre-tokenizer split (contractions, letters, single digits, punctuation runs, newlines, spaces).</summary>
    public const string Pattern = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    private readonly BpeTokenizer _bpe;
    private readonly HashSet<int> _known;

    private PretrainedTokenizer(BpeTokenizer bpe)
    {
        _bpe = bpe;
        _known = [.. bpe.Vocabulary.Values];
    }

    /// <summary>Pieces in vocab.json.</summary>
    public int Count => _known.Count;

    public static PretrainedTokenizer Load(string folder)
    {
        var options = new BpeOptions(Path.Combine(folder, PretrainedDecoderConfig.VocabFile), Path.Combine(folder, PretrainedDecoderConfig.MergesFile))
        {
            ByteLevel = true,
            PreTokenizer = new RegexPreTokenizer(new Regex(Pattern, RegexOptions.Compiled), null),
        };
        return new PretrainedTokenizer(BpeTokenizer.Create(options));
    }

    public int[] Encode(string text) => text.Length == 0 ? [] : [.. _bpe.EncodeToIds(text)];

    public string Decode(IEnumerable<int> ids) => _bpe.Decode(ids.Where(_known.Contains)) ?? "";
}
