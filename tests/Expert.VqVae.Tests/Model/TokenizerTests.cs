using Expert.VqVae.Model;
using Expert.VqVae.Text;

namespace Expert.VqVae.Tests.Model;

public class TokenizerTests
{
    [Fact]
    public void Known_words_map_to_known_ids_and_unseen_words_do_not_break()
    {
        var tokenizer = DescriptionTokenizer.Fit(["a tall stone tower", "a low wooden hut with 3 floors"]);
        var known = tokenizer.Encode("A  TALL stone tower", 32);
        Assert.DoesNotContain(TextTokenIds.Unknown, known);
        Assert.All(known, id => Assert.InRange(id, TextTokenIds.FirstWord, tokenizer.VocabularySize - 1));
        var unseen = tokenizer.Encode("a tall zigguratesque tower", 32);
        Assert.Contains(TextTokenIds.Unknown, unseen);
        Assert.Equal(tokenizer.Encode("a tall", 32), unseen[..2]);
    }

    [Fact]
    public void A_grown_vocabulary_keeps_every_old_id_and_gives_new_words_their_own()
    {
        var source = DescriptionTokenizer.Fit(["a tall stone tower", "a low wooden hut"]);
        var grown = source.Grow(["a stone hut with a chimney", "a tall tower"]);

        Assert.Equal(source.BpeIds, grown.BpeIds.Take(source.BpeIds.Count));
        Assert.True(grown.VocabularySize > source.VocabularySize);
        Assert.Equal(source.Encode("a low wooden hut", 32), grown.Encode("a low wooden hut", 32));
        var chimney = grown.Encode("a chimney", 32);
        Assert.DoesNotContain(TextTokenIds.Unknown, chimney);
        Assert.All(chimney.Skip(1), id => Assert.True(id >= source.VocabularySize));
        Assert.Contains(TextTokenIds.Unknown, source.Encode("a chimney", 32));
        // Nothing new: the same vocabulary, id for id.
        Assert.Equal(source.BpeIds, source.Grow(["a low stone tower"]).BpeIds);
    }

    [Fact]
    public void Long_text_is_cut_to_the_window()
    {
        var tokenizer = DescriptionTokenizer.Fit(["tower"]);
        Assert.Equal(5, tokenizer.Encode(string.Join(' ', Enumerable.Repeat("tower", 50)), 5).Length);
    }

    [Fact]
    public void Decode_gives_back_the_normalized_description_and_marks_unseen_pieces()
    {
        var tokenizer = DescriptionTokenizer.Fit(["a tall stone tower", "a low wooden hut with 3 floors"]);
        Assert.Equal("a tall stone tower", tokenizer.Decode(tokenizer.Encode("  A TALL\tstone  tower ", 32)));
        string unseen = tokenizer.Decode(tokenizer.Encode("a tall zigguratesque tower", 32));
        Assert.StartsWith("a tall", unseen);
        Assert.EndsWith(" tower", unseen);
        Assert.Contains("<unk>", unseen);
        Assert.Equal("<pad><pad>", tokenizer.Decode([TextTokenIds.Pad, TextTokenIds.Pad]));
        Assert.Equal("", tokenizer.Decode([TextTokenIds.Pad], skipSpecialTokens: true));
    }
}
