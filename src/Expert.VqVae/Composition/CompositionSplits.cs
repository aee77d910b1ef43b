using Expert.VqVae.Corpus;

namespace Expert.VqVae.Composition;

/// <summary>
/// The held-out split of composed buildings, on COMBINATIONS: a list of feature pairs (tokens of
/// <see cref="ComposedSpec.Tokens"/>: parts, roofs, part materials) that never occur together in a
/// training building. A building that has both tokens of any pair is test-only; every other building
/// is training-only. Each token of a pair still occurs in training with other partners, so a model
/// that composes can imagine the test buildings. Tested by <c>CompositionSplitTests</c>.
/// </summary>
public static class CompositionSplits
{
    /// <summary>The held-out pairs (documented in COMPOSITION.md; append only, or older corpora leak).</summary>
    public static IReadOnlyList<(string A, string B)> HeldOutPairs { get; } =
    [
        ("part:corner_towers", "part:dome"),          // two parts
        ("part:chimney", "part:gate"),
        ("part:battlements", "part:columns"),
        ("part:stairs", "roof:pyramidal"),            // a part and a roof
        ("part:dome", "roof=sandstone"),              // a part and its material: a sandstone dome
        ("part:corner_towers", "towers=oak_log"),     // corner towers of logs
        ("roof:pitched", "walls=sandstone"),          // a roof and a material
        ("roof=cobblestone", "walls=oak_planks"),     // two materials
    ];

    /// <summary>The held-out pairs a spec contains (none for a training building).</summary>
    public static IEnumerable<(string A, string B)> HeldOutPairsOf(ComposedSpec spec)
    {
        var tokens = spec.Tokens();
        return HeldOutPairs.Where(p => tokens.Contains(p.A) && tokens.Contains(p.B));
    }

    public static bool IsTest(ComposedSpec spec) => HeldOutPairsOf(spec).Any();

    public static CorpusSplit SplitOf(ComposedSpec spec) => IsTest(spec) ? CorpusSplit.Test : CorpusSplit.Train;
}
