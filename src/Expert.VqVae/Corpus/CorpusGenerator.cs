namespace Expert.VqVae.Corpus;

/// <summary>What <see cref="CorpusGenerator.Generate"/> makes.</summary>
public sealed record CorpusOptions
{
    /// <summary>The same seed, split and options give the same records, byte for byte.</summary>
    public long Seed { get; init; } = 1;

    public int Count { get; init; } = 1000;

    public CorpusSplit Split { get; init; } = CorpusSplit.Train;

    /// <summary>Share of records whose description is fully specified (the rest state a random subset).</summary>
    public double FullySpecifiedFraction { get; init; } = 0.6;

    /// <summary>Test split only: share of records written with held-out templates and words.</summary>
    public double HeldOutPhrasingFraction { get; init; } = 0.5;

    /// <summary>Families to draw from; null for all.</summary>
    public IReadOnlyList<BuildingFamily>? Families { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the option to change.</summary>
    public void Validate()
    {
        if (Count < 0) throw new ArgumentException($"Count must be 0 or more, got {Count}.", nameof(Count));
        if (FullySpecifiedFraction is < 0 or > 1 || double.IsNaN(FullySpecifiedFraction))
            throw new ArgumentException($"FullySpecifiedFraction must be in [0, 1], got {FullySpecifiedFraction}.", nameof(FullySpecifiedFraction));
        if (HeldOutPhrasingFraction is < 0 or > 1 || double.IsNaN(HeldOutPhrasingFraction))
            throw new ArgumentException($"HeldOutPhrasingFraction must be in [0, 1], got {HeldOutPhrasingFraction}.", nameof(HeldOutPhrasingFraction));
        if (Families is { Count: 0 }) throw new ArgumentException("Families must be null (all) or name at least one family.", nameof(Families));
    }
}

/// <summary>
/// Generates corpus records, lazily and deterministically. A family is drawn with weight
/// max(40, its combinations in the split)^0.75 (so the house, with the most combinations, is about a
/// quarter of the training data), then a combination of that family uniformly from the split,
/// then a description (fully specified with <see cref="CorpusOptions.FullySpecifiedFraction"/>).
/// Training records use only training combinations and training phrasing.
/// </summary>
public static class CorpusGenerator
{
    private const int MinFamilyWeight = 40;

    public static IEnumerable<CorpusRecord> Generate(CorpusOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return Iterate(options);
    }

    private static IEnumerable<CorpusRecord> Iterate(CorpusOptions o)
    {
        string split = CorpusSplits.Name(o.Split);
        var rng = new DeterministicRandom(DeterministicRandom.Hash($"corpus|{o.Seed}|{split}"));
        var families = (o.Families ?? BuildingCatalog.Families).Distinct()
            .Select(f => (Family: f, Combos: CorpusSplits.Combinations(f, o.Split)))
            .Where(f => f.Combos.Count > 0).ToArray();
        var weights = families.Select(f => (int)Math.Round(100 * Math.Pow(Math.Max(MinFamilyWeight, f.Combos.Count), 0.75))).ToArray();
        int total = weights.Sum();
        for (int i = 0; i < o.Count; i++)
        {
            int pick = rng.Next(total), k = 0;
            while (pick >= weights[k]) pick -= weights[k++];
            var spec = rng.Pick(families[k].Combos);
            bool fully = rng.Chance(o.FullySpecifiedFraction);
            bool heldOut = o.Split == CorpusSplit.Test && rng.Chance(o.HeldOutPhrasingFraction);
            var d = DescriptionWriter.Write(spec, fully, heldOut, rng);
            yield return new CorpusRecord
            {
                Id = $"{split}-{o.Seed}-{i:D6}",
                Description = d.Text,
                Split = o.Split,
                Family = spec.FamilyName,
                Params = ToDictionary(spec),
                Stated = d.Stated,
                FullySpecified = fully,
                Template = d.Template,
                Grid = spec.Build(),
            };
        }
    }

    private static IReadOnlyDictionary<string, string> ToDictionary(BuildingSpec spec)
    {
        var d = new OrderedDictionary<string, string>();
        foreach (var (k, v) in spec.ToParams()) d.Add(k, v);
        return d;
    }
}
