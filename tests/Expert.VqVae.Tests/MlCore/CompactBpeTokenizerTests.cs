using Expert.VqVae.MlCore.Text;
using Expert.VqVae.Model;

namespace Expert.VqVae.Tests.MlCore;

public class CompactBpeTokenizerTests
{
    private static readonly string[] Prompts =
    [
        "You are the builder. Build a small oak hut next to the lake.",
        "Observation: 3 oak_log, 1 crafting_table; the player is at (12, 64, -7).",
        "mine(oak_log, 3)",
        "craft(\"wooden_pickaxe\")",
    ];

    private static CompactBpeTokenizer Student(bool byteFallback = true) =>
        CompactBpeTokenizer.Fit(Prompts, SpecialTokens.ForSequences(["<user>", "<action>"], reserved: 4), TextNormalization.None, byteFallback);

    [Fact]
    public void Decode_of_encode_gives_the_normalized_text_back()
    {
        var tokenizer = CompactBpeTokenizer.Fit(["A tall  STONE tower\nwith 3 floors"], SpecialTokens.PadAndUnknown, TextNormalization.Descriptions, byteFallback: false);
        const string text = "  a Tall stone\ttower with 3 FLOORS ";
        Assert.Equal("a tall stone tower with 3 floors", tokenizer.Normalize(text));
        Assert.Equal(tokenizer.Normalize(text), tokenizer.Decode(tokenizer.Encode(text)));
        Assert.DoesNotContain(SpecialTokens.UnknownId, tokenizer.Encode(text));
    }

    [Fact]
    public void A_vocabulary_fitted_on_prompts_and_actions_keeps_their_case_and_layout()
    {
        var tokenizer = Student();
        foreach (var prompt in Prompts) Assert.Equal(prompt, tokenizer.Decode(tokenizer.Encode(prompt)));
        string twoLines = "mine(oak_log, 3)\ncraft(\"wooden_pickaxe\")";
        Assert.Equal(twoLines, tokenizer.Decode(tokenizer.Encode(twoLines)));
        // Fitted text takes one id per BPE piece (no piece falls back to bytes); unseen text takes more.
        foreach (var prompt in Prompts) Assert.Equal(Gpt2Pieces.Encode(prompt).Count, tokenizer.Encode(prompt).Length);
        Assert.True(tokenizer.Encode("Zigguratesque").Length > Gpt2Pieces.Encode("Zigguratesque").Count);
    }

    [Fact]
    public void Unseen_words_become_unknown_without_byte_fallback_and_bytes_with_it()
    {
        var plain = Student(byteFallback: false);
        int[] ids = plain.Encode("mine(diamond_ore, 3) 🏰");
        Assert.Contains(SpecialTokens.UnknownId, ids);
        Assert.StartsWith("mine(", plain.Decode(ids));
        Assert.Contains("<unk>", plain.Decode(ids));
        Assert.DoesNotContain("<unk>", plain.Decode(ids, skipSpecialTokens: true));

        var bytes = Student(byteFallback: true);
        foreach (string unseen in new[] { "mine(diamond_ore, 3) 🏰", "Zigguratesque 日本語 façade", "\u0000\u007f tab\tend" })
        {
            int[] encoded = bytes.Encode(unseen);
            Assert.DoesNotContain(SpecialTokens.UnknownId, encoded);
            Assert.Equal(unseen, bytes.Decode(encoded));
        }
    }

    [Fact]
    public void Special_tokens_have_fixed_ids_are_added_by_id_and_decode_by_name()
    {
        var tokenizer = Student();
        var s = tokenizer.Specials;
        Assert.Equal([SpecialTokens.Pad, SpecialTokens.Unknown, SpecialTokens.Bos, SpecialTokens.Eos, SpecialTokens.Separator,
            "<user>", "<action>", "<reserved_0>", "<reserved_1>", "<reserved_2>", "<reserved_3>"], s.Names);
        Assert.Equal(0, s.IdOf(SpecialTokens.Pad));
        Assert.Equal(1, s.IdOf(SpecialTokens.Unknown));
        Assert.Equal(5, s.IdOf("<user>"));
        Assert.Equal(11, tokenizer.FirstPieceId);
        Assert.Throws<KeyNotFoundException>(() => s.IdOf("<system>"));

        int[] sequence = [s.IdOf(SpecialTokens.Bos), s.IdOf("<user>"), .. tokenizer.Encode("mine(oak_log, 3)"),
            s.IdOf(SpecialTokens.Separator), .. tokenizer.Encode("craft(\"wooden_pickaxe\")"), s.IdOf(SpecialTokens.Eos), SpecialTokens.PadId];
        Assert.Equal("<bos><user>mine(oak_log, 3)<sep>craft(\"wooden_pickaxe\")<eos><pad>", tokenizer.Decode(sequence));
        Assert.Equal("mine(oak_log, 3)craft(\"wooden_pickaxe\")", tokenizer.Decode(sequence, skipSpecialTokens: true));

        // Text that looks like a special token is text.
        Assert.DoesNotContain(s.IdOf(SpecialTokens.Eos), tokenizer.Encode("<eos>"));
        Assert.Equal("<eos>", tokenizer.Decode(tokenizer.Encode("<eos>")));
        Assert.Throws<ArgumentOutOfRangeException>(() => tokenizer.Decode([tokenizer.VocabularySize]));
    }

    [Fact]
    public void Special_token_sets_must_start_with_pad_and_unknown_and_be_distinct()
    {
        Assert.Throws<ArgumentException>(() => new SpecialTokens(["<bos>", "<pad>", "<unk>"]));
        Assert.Throws<ArgumentException>(() => new SpecialTokens(["<pad>", "<unk>", "<sep>", "<sep>"]));
        Assert.Throws<ArgumentException>(() => new SpecialTokens(["<pad>", "<unk>", "user"]));
        Assert.Throws<ArgumentException>(() => SpecialTokens.ForSequences(["<sep>"]));
        // The imagination model's ids (TextTokenIds) are the two-token set's.
        Assert.Equal(TextTokenIds.Pad, SpecialTokens.PadAndUnknown.IdOf(SpecialTokens.Pad));
        Assert.Equal(TextTokenIds.Unknown, SpecialTokens.PadAndUnknown.IdOf(SpecialTokens.Unknown));
        Assert.Equal(TextTokenIds.FirstWord, SpecialTokens.PadAndUnknown.Count);
    }

    [Fact]
    public void A_tokenizer_rebuilt_from_its_vocabulary_encodes_the_same()
    {
        var tokenizer = Student();
        var rebuilt = new CompactBpeTokenizer(tokenizer.Vocabulary);
        Assert.Equal(tokenizer.VocabularySize, rebuilt.VocabularySize);
        foreach (var text in Prompts.Append("unseen: 🏰 façade")) Assert.Equal(tokenizer.Encode(text), rebuilt.Encode(text));

        // The vocabulary is plain data for a checkpoint header.
        string json = System.Text.Json.JsonSerializer.Serialize(tokenizer.Vocabulary);
        var back = System.Text.Json.JsonSerializer.Deserialize<TokenizerVocabulary>(json)!;
        Assert.Equal(tokenizer.Encode(Prompts[1]), new CompactBpeTokenizer(back).Encode(Prompts[1]));

        Assert.Throws<ArgumentException>(() => new CompactBpeTokenizer(tokenizer.Vocabulary with { BpeIds = [.. tokenizer.BpeIds.Skip(10)] }));
        Assert.Throws<ArgumentException>(() => new CompactBpeTokenizer(tokenizer.Vocabulary with { BpeIds = [5, 5] }));
        Assert.Throws<ArgumentException>(() => new CompactBpeTokenizer(tokenizer.Vocabulary with { BpeIds = [99_999], ByteFallback = false }));
    }

    [Fact]
    public void Fitting_on_new_text_grows_the_vocabulary_in_first_seen_order()
    {
        var small = CompactBpeTokenizer.Fit(["mine(oak_log)"], SpecialTokens.ForSequences(), TextNormalization.None, byteFallback: false);
        var grown = CompactBpeTokenizer.Fit(["mine(oak_log)", "place(torch)"], SpecialTokens.ForSequences(), TextNormalization.None, byteFallback: false);
        Assert.True(grown.VocabularySize > small.VocabularySize);
        Assert.Equal(small.BpeIds, grown.BpeIds.Take(small.BpeIds.Count));   // earlier texts keep their ids
        Assert.Equal(small.Encode("mine(oak_log)"), grown.Encode("mine(oak_log)"));
        Assert.Contains(SpecialTokens.UnknownId, small.Encode("place(torch)"));
        Assert.DoesNotContain(SpecialTokens.UnknownId, grown.Encode("place(torch)"));
    }

    [Fact]
    public void Long_text_is_cut_to_the_window()
    {
        var tokenizer = Student();
        string text = string.Join(' ', Enumerable.Repeat("mine(oak_log, 3)", 20));
        Assert.Equal(tokenizer.Encode(text)[..7], tokenizer.Encode(text, 7));
        Assert.Equal(tokenizer.Encode("mine"), tokenizer.Encode("mine", 100));
    }
}
