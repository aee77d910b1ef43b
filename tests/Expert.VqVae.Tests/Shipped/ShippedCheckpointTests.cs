using Expert.VqVae.Cli;
using Expert.VqVae.Corpus;
using Expert.VqVae.Evaluation;
using Expert.VqVae.Inference;
using Expert.VqVae.Tests.Model;

namespace Expert.VqVae.Tests.Shipped;

/// <summary>Loads the shipped checkpoint once for the tests of its quality.</summary>
public sealed class ShippedModelFixture : IDisposable
{
    public ShippedModelFixture()
    {
        Model = OccupancyModel.Load(DefaultPaths.ShippedCheckpoint, "cpu");
        // The held-out slice of `vqvae eval --count 300` (the figures in docs/eval-report.md).
        var records = CorpusGenerator.Generate(new CorpusOptions { Seed = 99, Count = 300, Split = CorpusSplit.Test }).ToList();
        Report = HeldOutEvaluator.Evaluate(Model, records);
    }

    public OccupancyModel Model { get; }
    public HeldOutReport Report { get; }

    public void Dispose() => Model.Dispose();
}

/// <summary>
/// The quality of the checkpoint the project ships (src/Expert.VqVae/Checkpoints/default.ckpt),
/// measured on held-out parameter combinations and phrasings (never seen in training).
/// The figures for the full held-out set are in Training/TRAINING.md.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class ShippedCheckpointTests(ShippedModelFixture shipped) : IClassFixture<ShippedModelFixture>
{
    [Fact]
    public void The_shipped_checkpoint_is_a_trained_text_to_occupancy_model()
    {
        Assert.True(File.Exists(DefaultPaths.ShippedCheckpoint), $"missing {DefaultPaths.ShippedCheckpoint}");
        Assert.Equal("done", shipped.Model.Header.Stage);
        Assert.Equal(32, shipped.Model.GridSize);
        Assert.True(new FileInfo(DefaultPaths.ShippedCheckpoint).Length <= 20 << 20, "the shipped checkpoint must stay under 20 MB");
        // The inference defaults chosen on a separate held-out draw (TRAINING.md) are recorded in the checkpoint.
        Assert.Equal(new Decoding(8, 0.3f, 5), shipped.Model.DecodingOf(new SamplingOptions()));
        Assert.Equal(new Decoding(8, 0.3f, 5), shipped.Report.Decoding);
    }

    [Fact]
    public void Held_out_reconstruction_iou()
    {
        Assert.True(shipped.Report.ReconstructionIoU >= ShippedGoals.ReconstructionIoU,
            $"reconstruction IoU {shipped.Report.ReconstructionIoU:F3} < {ShippedGoals.ReconstructionIoU}");
    }

    [Fact]
    public void Held_out_text_to_shape_iou_on_fully_specified_descriptions()
    {
        Assert.True(shipped.Report.TextToShapeIoU >= ShippedGoals.TextToShapeIoU,
            $"text-to-shape IoU {shipped.Report.TextToShapeIoU:F3} < {ShippedGoals.TextToShapeIoU}");
    }

    [Fact]
    public void Held_out_attribute_accuracy_measured_on_the_generated_grid()
    {
        Assert.True(shipped.Report.AttributeAccuracy >= ShippedGoals.AttributeAccuracy,
            $"attribute accuracy {shipped.Report.AttributeAccuracy:P1} < {ShippedGoals.AttributeAccuracy:P0}: " +
            string.Join(", ", shipped.Report.AttributeAccuracyByName.Select(kv => $"{kv.Key} {kv.Value:P0}")));
    }

    [Fact]
    public void The_report_breaks_reconstruction_and_attributes_down_by_family()
    {
        var r = shipped.Report;
        Assert.Equal(13, r.ReconstructionIoUByFamily.Count);
        Assert.Equal(r.ReconstructionIoUByFamily.Keys, r.AttributeAccuracyByFamily.Keys);
        Assert.Equal(r.ReconstructionIoUByFamily.Keys, r.ReconstructedAttributeAccuracyByFamily.Keys);
        Assert.All(r.ReconstructionIoUByFamily.Values, iou => Assert.InRange(iou, 0.0, 1.0));
        // The autoencoder alone loses few attributes (94.2% measured on these records); generation loses more.
        Assert.True(r.ReconstructedAttributeAccuracy >= 0.92, $"attributes of the reconstructions {r.ReconstructedAttributeAccuracy:P1}");
        Assert.True(r.ReconstructedAttributeAccuracy > r.AttributeAccuracy);
    }

    [Theory]
    [InlineData("a five-storey pagoda", "a two-storey pagoda")]
    [InlineData("a tall stone tower with five floors", "a tower with three floors")]
    [InlineData("a tall castle keep", "a low castle keep")]
    [InlineData("a three-storey house", "a one-storey house")]
    public void More_storeys_or_tall_gives_a_taller_grid(string taller, string lower)
    {
        double Mean(string text) => Enumerable.Range(0, 4)
            .Select(seed => AttributeMeasurer.Measure(Generate(text, (ulong)seed)).Height)
            .Average();
        double high = Mean(taller), low = Mean(lower);
        Assert.True(high > low, $"'{taller}' averaged {high} layers, '{lower}' {low}");
    }

    [Fact]
    public void Same_seed_same_grid_and_other_seeds_vary()
    {
        var a = Generate("a small hut with a pitched roof", 7);
        var b = Generate("a small hut with a pitched roof", 7);
        Assert.Equal(a, b);
        var grids = Enumerable.Range(0, 6).Select(s => Generate("a large stone castle keep", (ulong)s)).ToList();
        Assert.True(grids.Distinct().Count() > 1, "six seeds gave one grid: sampling ignores the seed");
    }

    [Fact]
    public void A_batch_gives_each_request_the_grid_it_gets_alone()
    {
        // Descriptions of very different lengths: each sample's rows are packed among its mates' (TextConditionedPrior.CodeFeatures).
        var requests = new[]
            {
                "a lighthouse", "a wide bridge", "a temple with columns", "a low wall with a gate",
                "a very tall and narrow symmetric stone lighthouse with a small pyramid roof on top of it and three windows",
                "a symmetric five-storey wooden pagoda with overhanging eaves", "a hut", "a large castle keep with battlements",
            }
            .Select((t, i) => new GenerationRequest(t, new SamplingOptions { Seed = (ulong)i + 3 })).ToList();
        var batched = shipped.Model.Generate(requests);
        for (int i = 0; i < requests.Count; i++)
            Assert.Equal(shipped.Model.Generate([requests[i]])[0].Grids[0], batched[i].Grids[0]);
    }

    private Voxels.OccupancyGrid Generate(string text, ulong seed) =>
        shipped.Model.Generate([new GenerationRequest(text, new SamplingOptions { Seed = seed })])[0].Grids[0];
}

/// <summary>
/// Issue 2's goals, held by the shipped checkpoint on these 300 held-out records: it measured
/// reconstruction 0.955, text-to-shape 0.744 and attributes 85.6% (docs/eval-report.md, with its
/// recorded defaults: 8 decoding steps, guidance 0.3 on the last 3).
/// </summary>
internal static class ShippedGoals
{
    public const double ReconstructionIoU = 0.95;
    public const double TextToShapeIoU = 0.60;
    public const double AttributeAccuracy = 0.85;
}
