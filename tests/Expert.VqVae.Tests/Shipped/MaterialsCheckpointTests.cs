using System.Text.Json;
using Expert.VqVae.Cli;
using Expert.VqVae.Composition;
using Expert.VqVae.Corpus;
using Expert.VqVae.Evaluation;
using Expert.VqVae.Inference;
using Expert.VqVae.Materials;
using Expert.VqVae.Model;
using Expert.VqVae.Persistence;
using Expert.VqVae.Tests.Model;
using Expert.VqVae.Voxels;

namespace Expert.VqVae.Tests.Shipped;

/// <summary>Loads the shipped materials checkpoint once and measures it on a small held-out draw of the v2 corpus.</summary>
public sealed class MaterialsModelFixture : IDisposable
{
    /// <summary>Held-out v2 records of `vqvae eval --composed --count 64` (seed 99): combinations never seen in training.</summary>
    public const int Count = 64;

    public MaterialsModelFixture()
    {
        Model = OccupancyModel.Load(DefaultPaths.ShippedMaterialsCheckpoint, "cpu");
        Records = CompositionCorpusGenerator.Generate(new CompositionCorpusOptions { Seed = 99, Count = Count, Split = CorpusSplit.Test }).ToList();
        Report = CompositionEvaluator.Evaluate(Model, Records);
    }

    public OccupancyModel Model { get; }
    public IReadOnlyList<CorpusRecord> Records { get; }
    public CompositionReport Report { get; }

    public void Dispose() => Model.Dispose();
}

/// <summary>
/// The materials checkpoint the project ships (src/Expert.VqVae/Checkpoints/materials.ckpt, imagination v2:
/// a block per voxel): the shipped default.ckpt with a material painter trained beside it by `vqvae train --stage
/// painter`, then its prior fine-tuned on the v2 corpus (the vocabulary grown by its words) and its decoder trained again
/// on v2 shapes (Training/TRAINING.md, "The shipped materials checkpoint"; Model/MODEL.md section 4). Mechanics (it paints from the words, the described block shows up, reconstructions
/// are painted from their descriptions) and held-out floors well below what it measured, so a broken checkpoint or
/// painting path fails.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class MaterialsCheckpointTests(MaterialsModelFixture shipped) : IClassFixture<MaterialsModelFixture>
{
    [Fact]
    public void The_materials_checkpoint_is_the_default_tuned_to_the_v2_corpus_with_a_painter_for_every_block_of_the_world()
    {
        Assert.True(File.Exists(DefaultPaths.ShippedMaterialsCheckpoint), $"missing {DefaultPaths.ShippedMaterialsCheckpoint}");
        Assert.True(new FileInfo(DefaultPaths.ShippedMaterialsCheckpoint).Length < 50 << 20, "the materials checkpoint must stay under 50 MB");
        var header = shipped.Model.Header;
        Assert.Equal("done", header.Stage);
        Assert.Equal(32, shipped.Model.GridSize);
        // Blocks come from the painter, not from a material channel: the autoencoder is the occupancy-only default's.
        Assert.True(shipped.Model.HasPainter);
        Assert.Equal(0, header.VqVae.Materials);
        Assert.NotNull(header.Painter);
        Assert.Equal(BlockMaterials.Count - 1, header.Painter!.Blocks);
        Assert.Equal(32, header.Painter.GridSize);
        Assert.NotNull(header.PainterTokenizerBpeIds);
        Assert.Equal(6000, header.PainterStep);
        Assert.Equal(7, header.Painter.Slots);   // factored (MODEL.md 4b): a slot for each part that owns voxels
        Assert.Equal(SlotReading.Neighbours, header.Painter.SlotReading);   // a slot points by the words beside a material word
        // The header's run options are the last run's (a prior fine-tune that finished it). The painter's own (its window
        // positions taught, TRAINING.md) were lost on the way: this checkpoint predates the header's painterTrainingOptions.
        Assert.Equal(JsonValueKind.String, header.TrainingOptions!.Value.GetProperty("priorFrom").ValueKind);
        Assert.Equal(BlockMaterials.Blocks.Take(BlockMaterials.Count - 1), shipped.Model.Info.MaterialPalette);
        Assert.Equal(shipped.Model.Info.MaterialPalette.Select(BlockMaterials.Name), shipped.Report.MaterialPalette);
        // The shipped default fine-tuned on the v2 corpus: its encoder and codes (the painter was trained beside it), its
        // prior's vocabulary grown by the v2 words with every old id kept, a decoder trained again on v2 shapes.
        var source = ModelCheckpoint.ReadHeader(DefaultPaths.ShippedCheckpoint);
        Assert.Equal(source.ModelVersion, header.PainterFrom);
        Assert.Equal(source.TokenizerBpeIds, header.TokenizerBpeIds.Take(source.TokenizerBpeIds.Length));
        Assert.True(header.TokenizerBpeIds.Length > source.TokenizerBpeIds.Length, "the v2 corpus's words grew the prior's vocabulary");
        Assert.Equal(TextTokenIds.FirstWord + header.TokenizerBpeIds.Length, header.Prior!.VocabularySize);
        Assert.Equal(source.VqVae with { DecoderChannels = 0, DecoderResBlocks = 0, DecoderUpResBlocks = 0 },
            header.VqVae with { DecoderChannels = 0, DecoderResBlocks = 0, DecoderUpResBlocks = 0 });
        Assert.NotNull(header.DecoderFrom);
        // Its last prior run gave a share of its examples one x-half whole (half masks), and its decoding defaults were chosen
        // after training (`vqvae decoding`, TRAINING.md): 4 unguided steps, mirror-tied where the text states symmetry, the
        // left half first, on the weights of that run.
        Assert.Equal(0.3, header.TrainingOptions!.Value.GetProperty("priorHalfMaskFraction").GetDouble());
        Assert.Equal("vqvae-prior-20261207-6f68a2", header.DecodingFrom);
        Assert.Equal(new Decoding(4, 0f, 0, MirrorTied: true, MirrorHalfFirst: true), shipped.Model.DecodingOf(new SamplingOptions()));
    }

    [Fact]
    public void Every_generation_carries_a_block_on_each_occupied_voxel()
    {
        var result = Generate("a stone castle with four corner towers of oak logs, battlements and a gate", seed: 1);
        Assert.NotNull(result.Blocks);
        Assert.Equal(result.Grids[0], result.Blocks![0].ToOccupancy());
        Assert.True(result.Grids[0].Count() > 0, "the castle has blocks");
        Assert.Equal(shipped.Records.Count, shipped.Report.Summary.WithMaterials);
    }

    [Theory]
    [InlineData(BlockMaterial.Sandstone, "sandstone", BlockMaterial.Cobblestone, "cobblestone")]
    [InlineData(BlockMaterial.OakLog, "logs", BlockMaterial.Stone, "stone")]
    public void The_described_block_is_the_one_imagined(BlockMaterial said, string saidWord, BlockMaterial other, string otherWord)
    {
        // The same building in two blocks: each description's block is the more used of the two in its own grid.
        int[] Histogram(string word) =>
            Generate($"a two-storey house with a flat roof, made of {word}", seed: 2).Blocks![0].Histogram();
        int[] a = Histogram(saidWord), b = Histogram(otherWord);
        Assert.True(a[(int)said] > a[(int)other], $"'{saidWord}' house: {a[(int)said]} {said} against {a[(int)other]} {other}");
        Assert.True(b[(int)other] > b[(int)said], $"'{otherWord}' house: {b[(int)other]} {other} against {b[(int)said]} {said}");
    }

    [Fact]
    public void Reconstruction_is_painted_from_the_descriptions_and_an_occupancy_only_model_refuses_to_guess_blocks()
    {
        var records = shipped.Records.Take(4).ToList();
        var truth = records.Select(r => r.Blocks!).ToList();
        var rebuilt = shipped.Model.ReconstructWithMaterials(truth, records.Select(r => r.Description).ToList());
        Assert.Equal(truth.Count, rebuilt.Count);
        for (int i = 0; i < truth.Count; i++)
            Assert.True(OccupancyGrid.IoU(truth[i].ToOccupancy(), rebuilt[i].ToOccupancy()) > 0.5, $"shape {i} lost its form");
        // A painter paints from words: without them it refuses.
        Assert.ThrowsAny<ArgumentException>(() => shipped.Model.ReconstructWithMaterials(truth));
        using var occupancyOnly = OccupancyModel.Load(DefaultPaths.ShippedCheckpoint, "cpu");
        Assert.False(occupancyOnly.HasPainter);
        Assert.Throws<InvalidOperationException>(() => occupancyOnly.ReconstructWithMaterials(truth));
    }

    [Fact]
    public void Held_out_floors_on_combinations_never_seen_in_training()
    {
        var r = shipped.Report;
        var s = r.Summary;
        string all = $"materials {s.MaterialAccuracy:P1} (stated slots {s.StatedMaterialAccuracy:P1}), attributes {s.AttributeAccuracy:P1}, " +
                     $"text-to-shape {r.TextToShapeIoU:F3}, reconstruction {r.ReconstructionIoU:F3} (blocks {r.ReconstructionMaterialAccuracy:P1})";
        Assert.True(s.MaterialAccuracy >= MaterialsFloors.MaterialAccuracy, all);
        Assert.True(s.StatedMaterialAccuracy >= MaterialsFloors.StatedMaterialAccuracy, all);
        Assert.True(s.AttributeAccuracy >= MaterialsFloors.AttributeAccuracy, all);
        Assert.True(s.PartPresence >= MaterialsFloors.PartPresence, all);
        Assert.True(r.TextToShapeIoU >= MaterialsFloors.TextToShapeIoU, all);
        Assert.True(r.ReconstructionIoU >= MaterialsFloors.ReconstructionIoU, all);
        Assert.True(r.ReconstructionMaterialAccuracy >= MaterialsFloors.ReconstructionMaterialAccuracy, all);
        // Every record is measured again on its shape's reconstruction: what the autoencoder lets through.
        Assert.Equal(shipped.Records.Count, r.ReconstructionSummary!.Records);
        Assert.Equal(shipped.Records.Count, r.ReconstructionSummary.WithMaterials);
        Assert.Contains($"{shipped.Records.Count} reconstructions with materials", CompositionEvaluator.ToMarkdown(r));
    }

    private GenerationResult Generate(string text, ulong seed) =>
        shipped.Model.Generate([new GenerationRequest(text, new SamplingOptions { Seed = seed, Temperature = 0f })])[0];
}

/// <summary>
/// Floors of the shipped materials checkpoint (the default with a painter) on the fixture's 64 held-out records, well
/// below what it measured there (Training/TRAINING.md, "The shipped materials checkpoint"): a regression guard, not the
/// issue's targets.
/// </summary>
internal static class MaterialsFloors
{
    // Measured on these 64 records (2026-12-07 20:17 UTC, vqvae-prior-20261207-6f68a2-dbc7c: the one below with its prior
    // trained 2,000 steps more with half masks, decoded mirror-tied with the left half first): materials 95.1% (every stated
    // slot together 96.6%, walls 98.9%), attributes 95.1%, part presence 35.0%, text-to-shape 0.809, reconstruction 0.955
    // with blocks right on 96.7%.
    // Before it (2026-12-07 17:40 UTC, vqvae-prior-20261207-5700cf: the painter below with the
    // default's prior fine-tuned on the v2 corpus and its decoder trained again on v2 shapes, TRAINING.md): materials 95.3%
    // (every stated slot together 96.6%, walls 98.9%), attributes 94.7%, part presence 35.7%, text-to-shape 0.786,
    // reconstruction 0.955 with blocks right on 96.7%. Before its second prior run (vqvae-prior-20261207-99568d-dec):
    // materials 94.5%, attributes 91.9%, part presence 33.1%, text-to-shape 0.773.
    // Before it (2026-12-07 15:30 UTC, vqvae-prior-20261207-b3ebda-paint, the default's shapes with the factored painter of
    // MODEL.md 4b reading by the words' neighbours, its windows slot taught where windows go, 6,000 steps): materials 84.2%
    // (every stated slot together 85.2%, walls 95.8%), attributes 80.1%, text-to-shape 0.544 (46 fully specified),
    // reconstruction 0.879 with blocks right on 88.5% (painted from the words: the painter never sees the true blocks), part
    // presence 5.1%. The same painter without
    // the window positions (vqvae-prior-20261207-96d27d-paint, shipped 14:35-15:35 UTC) measured materials 84.4% (stated
    // slots 85.4%, walls 96.4%) and blocks on reconstructions 88.9%. The encoded reading (vqvae-prior-20261207-3b27c8-paint,
    // the same recipe) measured materials 79.0% (stated slots 79.8%, walls 94.5%) and blocks on reconstructions 81.2%, the
    // same shapes; at 3,000 steps (vqvae-prior-20261207-9fd4d1-paint) 75.7% (stated slots 76.4%)
    // and 78.9%. The unfactored painter shipped before them (vqvae-prior-20261207-017c9e-paint) measured materials 73.6%
    // (stated slots 74.1%, walls 93.1%) and blocks on reconstructions 76.8%, the same shapes. The painter before that one
    // (vqvae-prior-20261207-7c0d2e-paint, trained when unsaid slots were random) measures on the same records materials
    // 73.9% (stated slots 78.5%), blocks on reconstructions 73.7%, the same shapes. The first materials.ckpt (a material
    // channel, until 2026-12-07) measured on the records of that time materials 62.7%, attributes 71.2%, text-to-shape
    // 0.483, reconstruction 0.559.
    public const double MaterialAccuracy = 0.85;
    public const double StatedMaterialAccuracy = 0.85;
    public const double AttributeAccuracy = 0.80;
    public const double PartPresence = 0.20;
    public const double TextToShapeIoU = 0.65;
    public const double ReconstructionIoU = 0.88;
    public const double ReconstructionMaterialAccuracy = 0.85;
}
