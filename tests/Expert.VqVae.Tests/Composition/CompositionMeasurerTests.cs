using Expert.VqVae.Composition;
using Expert.VqVae.Corpus;
using Expert.VqVae.Materials;
using Expert.VqVae.Voxels;

namespace Expert.VqVae.Tests.Composition;

public class CompositionMeasurerTests
{
    private static readonly IReadOnlyList<CorpusRecord> Records =
        CompositionCorpusGenerator.Generate(new CompositionCorpusOptions { Seed = 11, Count = 80, Split = CorpusSplit.Test }).ToList();

    [Fact]
    public void The_ground_truth_scores_everything_it_states_exactly()
    {
        var withBlocks = Records.Select(r => CompositionMeasurer.Measure(r, r.Grid, r.Blocks)).ToList();
        var summary = CompositionMeasurer.Summarize(withBlocks);
        Assert.Equal(1.0, summary.AttributeAccuracy);
        Assert.Equal(1.0, summary.PartPresence);
        Assert.Equal(1.0, summary.MaterialAccuracy);
        Assert.All(summary.MaterialAccuracyBySlot.Values, a => Assert.Equal(1.0, a));
        Assert.Equal(0, summary.UnmeasurableParts);
        Assert.True(summary.PartCounts.Values.Sum() > 60, "the records name parts");
        Assert.Contains(Records, r => !r.FullySpecified && r.Parts is { Count: > 0 }); // the best-fit path is exercised too

        // Occupancy only: no material figure, and glass windows cannot be seen (counted apart), the rest exact.
        var occupancyOnly = CompositionMeasurer.Summarize(Records.Select(r => CompositionMeasurer.Measure(r, r.Grid)).ToList());
        Assert.True(double.IsNaN(occupancyOnly.MaterialAccuracy));
        Assert.Equal(0, occupancyOnly.WithMaterials);
        Assert.Equal(1.0, occupancyOnly.PartPresence);
        Assert.Equal(Records.Count(r => r.Family == ComposedSpec.FamilyName && r.Parts!.Contains("windows")), occupancyOnly.UnmeasurableParts);
        Assert.Contains("not measured", CompositionMeasurer.ToMarkdown(occupancyOnly));
    }

    [Fact]
    public void A_missing_part_and_a_wrong_block_are_caught()
    {
        var record = Records.First(r => r.Family == ComposedSpec.FamilyName && r.FullySpecified && r.Parts!.Contains("chimney") == false &&
                                        r.Parts!.Count >= 2 && r.Materials!.ContainsKey("walls"));
        Assert.True(ComposedSpec.TryFromParams(record.Params!, out var spec, out _));
        var named = Names.TryParse(record.Parts![0], out PartKind part) ? part : throw new InvalidOperationException();

        // The building without its first named part: that part is not found, the others still are.
        var without = CompositionCatalog.Build(CompositionGrammar.Without(spec!, named));
        var m = CompositionMeasurer.Measure(record, without.Occupancy, without.Blocks);
        Assert.False(m.Parts.Single(p => p.Part == named).Present);
        Assert.Equal(record.Parts.Count - 1, m.Parts.Count(p => p.Present));

        // Its blocks all turned to another block: material accuracy on occupied voxels falls to what that block happens to match.
        var other = spec!.Walls == BlockMaterial.Stone ? BlockMaterial.Sandstone : BlockMaterial.Stone;
        var wrong = MaterialGrid.Uniform(record.Grid, other);
        var w = CompositionMeasurer.Measure(record, record.Grid, wrong);
        var hist = record.Blocks!.Histogram();
        Assert.Equal((double)hist[(int)other] / record.Grid.Count(), w.MaterialAccuracy, 9);
        Assert.Equal(0, w.SlotMatches.GetValueOrDefault("walls"));
    }
}
