using Expert.VqVae.Composition;
using Expert.VqVae.Corpus;
using Expert.VqVae.Evaluation;
using Expert.VqVae.Inference;
using Expert.VqVae.Materials;
using Expert.VqVae.Voxels;

namespace Expert.VqVae.Tests.Composition;

public class CompositionEvaluatorTests
{
    /// <summary>TEST DOUBLE, not a model: answers each description with the ground truth of its record (blocks optional).</summary>
    private sealed class Oracle(IReadOnlyList<CorpusRecord> records, bool blocks) : IOccupancyGenerator
    {
        private readonly Dictionary<string, CorpusRecord> _byText = records.GroupBy(r => r.Description).ToDictionary(g => g.Key, g => g.First());

        public ModelInfo Info { get; } = new("oracle", "cpu", 32, 0, blocks ? BlockMaterials.Blocks : null);

        public IReadOnlyList<GenerationResult> Generate(IReadOnlyList<GenerationRequest> batch, CancellationToken cancellationToken = default) =>
            batch.Select(r =>
            {
                var record = _byText[r.Description];
                return new GenerationResult([record.Grid], TimeSpan.Zero, blocks ? [record.Blocks!] : null);
            }).ToArray();
    }

    [Fact]
    public void The_evaluator_reports_every_figure_and_says_when_materials_are_not_imagined()
    {
        var records = CompositionCorpusGenerator.Generate(new CompositionCorpusOptions { Seed = 13, Count = 24, Split = CorpusSplit.Test }).ToList();

        var withBlocks = CompositionEvaluator.Evaluate(new Oracle(records, blocks: true), records);
        Assert.Equal(1.0, withBlocks.Summary.AttributeAccuracy);
        Assert.Equal(1.0, withBlocks.Summary.PartPresence);
        Assert.Equal(1.0, withBlocks.Summary.MaterialAccuracy);
        Assert.Equal(1.0, withBlocks.Summary.StatedMaterialAccuracy);
        Assert.Contains("| - every stated slot together | 100.0", CompositionEvaluator.ToMarkdown(withBlocks));
        // Partial texts leave slots unsaid (their blocks are then MaterialDefaults') and windows are never a slot: the slots
        // the words name hold part of the voxels only.
        Assert.InRange(withBlocks.Summary.StatedShare, 0.05, 0.999);
        Assert.Contains("| - share of those voxels in slots the text names |", CompositionEvaluator.ToMarkdown(withBlocks));
        var unsaid = records.Select(r => r with { Materials = null }).ToList();
        var silent = CompositionEvaluator.Evaluate(new Oracle(unsaid, blocks: true), unsaid);
        Assert.Equal(1.0, silent.Summary.MaterialAccuracy);
        Assert.Equal(0.0, silent.Summary.StatedShare);   // no slot named: the words decide nothing
        Assert.True(double.IsNaN(silent.Summary.StatedMaterialAccuracy));
        Assert.Equal(1.0, withBlocks.TextToShapeIoU);
        Assert.Equal(records.Count(r => r.FullySpecified), withBlocks.FullySpecified);
        Assert.Equal(BlockMaterials.Blocks.Select(BlockMaterials.Name), withBlocks.MaterialPalette);

        var occupancyOnly = CompositionEvaluator.Evaluate(new Oracle(records, blocks: false), records);
        Assert.True(double.IsNaN(occupancyOnly.Summary.MaterialAccuracy));
        Assert.True(double.IsNaN(occupancyOnly.Summary.StatedMaterialAccuracy));
        Assert.Empty(occupancyOnly.MaterialPalette);
        string markdown = CompositionEvaluator.ToMarkdown(occupancyOnly);
        Assert.Contains("imagines occupancy only", markdown);
        Assert.Contains("not measured", markdown);
        Assert.Contains("| part presence (named parts found) | 100.0", markdown);
    }
}
