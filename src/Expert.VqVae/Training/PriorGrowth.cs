using Expert.VqVae.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Expert.VqVae.Training;

/// <summary>
/// Grows a trained prior's vocabulary for a fine-tune on a corpus with new words (TRAINING.md, "Prior fine-tune"): the
/// tokenizer keeps every old id and appends the new pieces (<see cref="Expert.VqVae.Text.DescriptionTokenizer.Grow"/>), and the token
/// embedding gets a row for each, a copy of the unknown piece's row. The source read every new piece as
/// <see cref="TextTokenIds.Unknown"/>, so the grown prior starts computing exactly what the source did on any text; the
/// new rows then learn apart.
/// </summary>
public static class PriorGrowth
{
    /// <summary>A new prior with <paramref name="vocabularySize"/> tokens (at least the source's) and the source's weights.</summary>
    public static TextConditionedPrior GrowVocabulary(TextConditionedPrior from, int vocabularySize)
    {
        int old = from.Config.VocabularySize;
        if (vocabularySize < old)
            throw new ArgumentException($"A vocabulary can only grow: the prior has {old} tokens, asked for {vocabularySize}.", nameof(vocabularySize));
        var grown = new TextConditionedPrior(from.Config with { VocabularySize = vocabularySize });
        grown.to(from.parameters().First().device);
        grown.train(from.training);
        var target = grown.state_dict();
        using (no_grad())
        using (NewDisposeScope())
        {
            foreach (var (name, weights) in from.state_dict())
            {
                var into = target[name];
                if (name != "token_embed.weight")
                {
                    into.copy_(weights);
                    continue;
                }
                into.narrow(0, 0, old).copy_(weights);
                if (vocabularySize > old)
                    into.narrow(0, old, vocabularySize - old).copy_(weights[TextTokenIds.Unknown].expand(vocabularySize - old, weights.shape[1]));
            }
        }
        return grown;
    }
}
