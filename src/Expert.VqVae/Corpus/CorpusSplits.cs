using System.Collections.Frozen;

namespace Expert.VqVae.Corpus;

/// <summary>Which part of the corpus a record belongs to.</summary>
public enum CorpusSplit { Train, Test }

/// <summary>
/// The held-out split. Parameter combinations: within each family, the combinations are ranked by a
/// stable hash of their <see cref="BuildingSpec.Key"/> and the first 12% (at least one) are test-only.
/// Phrasing: the held-out templates, words and intros of <see cref="DescriptionLexicon"/> are test-only.
/// Training data never contains either.
/// </summary>
public static class CorpusSplits
{
    /// <summary>Share of each family's parameter combinations held out for the test split.</summary>
    public const double TestFraction = 0.12;

    private const string Salt = "steve2-corpus-split-v1|";

    private static readonly Lazy<FrozenSet<BuildingSpec>> TestSet = new(() =>
        BuildingCatalog.Families.SelectMany(f =>
        {
            var combos = BuildingCatalog.Combinations(f);
            int n = Math.Max(1, (int)Math.Round(TestFraction * combos.Count));
            return combos.OrderBy(c => DeterministicRandom.Hash(Salt + c.Key)).ThenBy(c => c.Key, StringComparer.Ordinal).Take(n);
        }).ToFrozenSet());

    private static readonly Lazy<FrozenDictionary<(BuildingFamily, CorpusSplit), IReadOnlyList<BuildingSpec>>> BySplit = new(() =>
        BuildingCatalog.Families
            .SelectMany(f => new[] { CorpusSplit.Train, CorpusSplit.Test }.Select(s => (f, s)))
            .ToFrozenDictionary(k => k, k => (IReadOnlyList<BuildingSpec>)BuildingCatalog.Combinations(k.f)
                .Where(c => IsTestCombination(c) == (k.s == CorpusSplit.Test)).ToArray()));

    /// <summary>True when the spec's parameter combination belongs to the test split.</summary>
    public static bool IsTestCombination(BuildingSpec spec) => TestSet.Value.Contains(spec);

    /// <summary>The split a combination belongs to.</summary>
    public static CorpusSplit SplitOf(BuildingSpec spec) => IsTestCombination(spec) ? CorpusSplit.Test : CorpusSplit.Train;

    /// <summary>A family's combinations in one split, in catalog order.</summary>
    public static IReadOnlyList<BuildingSpec> Combinations(BuildingFamily family, CorpusSplit split) => BySplit.Value[(family, split)];

    public static string Name(CorpusSplit split) => split == CorpusSplit.Train ? "train" : "test";

    public static bool TryParse(string name, out CorpusSplit split)
    {
        split = name == "test" ? CorpusSplit.Test : CorpusSplit.Train;
        return name is "train" or "test";
    }
}
