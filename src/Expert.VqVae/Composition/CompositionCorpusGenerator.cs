using Expert.VqVae.Corpus;
using Expert.VqVae.Materials;
using Expert.VqVae.Voxels;

namespace Expert.VqVae.Composition;

/// <summary>What <see cref="CompositionCorpusGenerator.Generate"/> makes.</summary>
public sealed record CompositionCorpusOptions
{
    /// <summary>The same seed, split and options give the same records, byte for byte.</summary>
    public long Seed { get; init; } = 1;

    public int Count { get; init; } = 1000;

    public CorpusSplit Split { get; init; } = CorpusSplit.Train;

    /// <summary>Share of records whose description states everything (plan, storeys, every part, material and attribute).</summary>
    public double FullySpecifiedFraction { get; init; } = 0.6;

    /// <summary>
    /// Share of records taken from the 13 families of the v1 corpus (Corpus/), each made of one block
    /// that the description names, so those buildings stay expressible. Their split is the v1 split.
    /// </summary>
    public double FamilyFraction { get; init; } = 0.25;

    /// <summary>Throws <see cref="ArgumentException"/> naming the option to change.</summary>
    public void Validate()
    {
        if (Count < 0) throw new ArgumentException($"Count must be 0 or more, got {Count}.", nameof(Count));
        if (FullySpecifiedFraction is < 0 or > 1 || double.IsNaN(FullySpecifiedFraction))
            throw new ArgumentException($"FullySpecifiedFraction must be in [0, 1], got {FullySpecifiedFraction}.", nameof(FullySpecifiedFraction));
        if (FamilyFraction is < 0 or > 1 || double.IsNaN(FamilyFraction))
            throw new ArgumentException($"FamilyFraction must be in [0, 1], got {FamilyFraction}.", nameof(FamilyFraction));
    }
}

/// <summary>
/// The v2 corpus: composed buildings with materials (family "composed") and the v1 families made of one
/// named block. Lazy and deterministic. Training records contain no held-out pair of
/// <see cref="CompositionSplits"/>; test records contain one each (cycling through the pairs). Every
/// record carries its blocks (the slots its text leaves unsaid in the blocks of <see cref="MaterialDefaults"/>), the parts and materials its text names, and the attributes it states.
/// </summary>
public static class CompositionCorpusGenerator
{
    /// <summary>The blocks a v1 family building may be made of.</summary>
    public static IReadOnlyList<BlockMaterial> FamilyMaterials { get; } =
        [BlockMaterial.OakPlanks, BlockMaterial.OakLog, BlockMaterial.Stone, BlockMaterial.Cobblestone, BlockMaterial.Sandstone];

    public static IEnumerable<CorpusRecord> Generate(CompositionCorpusOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return Iterate(options);
    }

    private static IEnumerable<CorpusRecord> Iterate(CompositionCorpusOptions o)
    {
        string split = CorpusSplits.Name(o.Split);
        var rng = new DeterministicRandom(DeterministicRandom.Hash($"composition|{o.Seed}|{split}"));
        var pairs = CompositionSplits.HeldOutPairs;
        int composed = 0;
        for (int i = 0; i < o.Count; i++)
        {
            string id = $"{split}-c{o.Seed}-{i:D6}";
            bool fully = rng.Chance(o.FullySpecifiedFraction);
            if (rng.Chance(o.FamilyFraction))
            {
                yield return FamilyRecord(id, o.Split, fully, rng);
                continue;
            }
            var pair = o.Split == CorpusSplit.Test ? pairs[composed % pairs.Count] : ((string, string)?)null;
            composed++;
            ComposedSpec spec;
            ComposedDescription d;
            while (true)
            {
                // The slots the text leaves unsaid take the convention's blocks (MaterialDefaults), so the words decide every
                // block; a building that the convention moves out of the split (into a held-out pair, or off the test pair) is drawn again.
                var drawn = CompositionCatalog.Draw(rng, o.Split, pair);
                d = ComposedDescriptionWriter.Write(drawn, fully, rng);
                spec = MaterialDefaults.Apply(drawn, d.StatedMaterials);
                if (CompositionCatalog.InSplit(spec, o.Split, pair)) break;
            }
            var building = CompositionCatalog.Build(spec);
            var parameters = new OrderedDictionary<string, string>();
            foreach (var (k, v) in spec.ToParams()) parameters.Add(k, v);
            var materials = new OrderedDictionary<string, string>();
            foreach (var slot in Enum.GetValues<MaterialSlot>())
                if (d.StatedMaterials.TryGetValue(slot, out var m)) materials.Add(Slots.Name(slot), BlockMaterials.Name(m));
            yield return new CorpusRecord
            {
                Id = id,
                Description = d.Text,
                Split = o.Split,
                Family = ComposedSpec.FamilyName,
                Params = parameters,
                Stated = d.Stated,
                FullySpecified = fully,
                Template = d.Template,
                Grid = building.Occupancy,
                Blocks = building.Blocks,
                Parts = d.StatedParts.Select(Names.Of).ToArray(),
                Materials = materials,
            };
        }
    }

    private static CorpusRecord FamilyRecord(string id, CorpusSplit split, bool fully, DeterministicRandom rng)
    {
        var families = BuildingCatalog.Families;
        IReadOnlyList<BuildingSpec> combos;
        do combos = CorpusSplits.Combinations(rng.Pick(families), split); while (combos.Count == 0);
        var spec = rng.Pick(combos);
        var material = rng.Pick(FamilyMaterials);
        var d = DescriptionWriter.Write(spec, fully, heldOut: false, rng, decorativeMaterials: false);
        string body = d.Text.TrimEnd('.');
        string text = rng.Next(3) switch
        {
            0 => $"{body}, made of {ComposedDescriptionWriter.MaterialNoun(rng, material)}",
            1 => $"{body}, built from {ComposedDescriptionWriter.MaterialNoun(rng, material)}",
            _ => $"{body} in {ComposedDescriptionWriter.MaterialNoun(rng, material)}",
        };
        var grid = spec.Build();
        var parameters = new OrderedDictionary<string, string>();
        foreach (var (k, v) in spec.ToParams()) parameters.Add(k, v);
        return new CorpusRecord
        {
            Id = id,
            Description = text,
            Split = split,
            Family = spec.FamilyName,
            Params = parameters,
            Stated = d.Stated,
            FullySpecified = fully,
            Template = d.Template,
            Grid = grid,
            Blocks = MaterialGrid.Uniform(grid, material),
            Materials = new OrderedDictionary<string, string> { ["walls"] = BlockMaterials.Name(material) },
        };
    }
}
