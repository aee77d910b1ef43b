using Expert.VqVae.Composition;
using Expert.VqVae.Corpus;
using Expert.VqVae.Inference;
using Expert.VqVae.Materials;
using Expert.VqVae.Voxels;

namespace Expert.VqVae.Evaluation;

/// <summary>What <see cref="CompositionEvaluator"/> measured: the composition summary plus text-to-shape IoU.</summary>
public sealed record CompositionReport
{
    public required string ModelVersion { get; init; }
    /// <summary>The blocks the model imagines (empty: occupancy only, material figures not measured).</summary>
    public required IReadOnlyList<string> MaterialPalette { get; init; }
    public required CompositionSummary Summary { get; init; }
    /// <summary>Mean IoU of generated against ground-truth occupancy, fully specified descriptions (target >= 0.6 on held-out combinations).</summary>
    public required double TextToShapeIoU { get; init; }
    public required int FullySpecified { get; init; }
    /// <summary>
    /// Mean IoU of the records' distinct shapes through the autoencoder alone (with their blocks when
    /// the model has a material channel); NaN when the generator is not an <see cref="OccupancyModel"/>.
    /// </summary>
    public double ReconstructionIoU { get; init; } = double.NaN;
    /// <summary>Reconstruction IoU per group: <c>composed</c>, <c>part:NAME</c> (composed shapes with that part) and each v1 family.</summary>
    public IReadOnlyDictionary<string, double> ReconstructionIoUByGroup { get; init; } = new Dictionary<string, double>();
    /// <summary>
    /// Blocks right on the voxels occupied in both a shape and its reconstruction; NaN for an occupancy-only model. With a
    /// material painter, each record's reconstruction painted from its own description, over every record.
    /// </summary>
    public double ReconstructionMaterialAccuracy { get; init; } = double.NaN;
    /// <summary>Distinct shapes reconstructed.</summary>
    public int ReconstructedShapes { get; init; }
    /// <summary>
    /// The same measures as <see cref="Summary"/> on each record's reconstruction instead of its generation: what the
    /// autoencoder lets through, the ceiling of what a perfect prior could reach (null when not reconstructed).
    /// </summary>
    public CompositionSummary? ReconstructionSummary { get; init; }
    public required double Seconds { get; init; }
}

/// <summary>
/// Measures a generator on records of the v2 corpus (by default its held-out combinations,
/// Composition/COMPOSITION.md) with <see cref="CompositionMeasurer"/>: attributes, named parts,
/// materials (only when the model imagines them) and text-to-shape IoU. Greedy, seed 0, unless the
/// sampling options say otherwise.
/// </summary>
public static class CompositionEvaluator
{
    public static CompositionReport Evaluate(IOccupancyGenerator model, IReadOnlyList<CorpusRecord> records, SamplingOptions? sampling = null,
        Action<int, int>? progress = null, CancellationToken cancellationToken = default)
    {
        if (records.Count == 0) throw new ArgumentException("No records to evaluate.");
        sampling = (sampling ?? new SamplingOptions { Temperature = 0f }) with { Samples = 1 };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var measurements = new List<CompositionMeasurement>(records.Count);
        var ious = new List<double>();
        const int batch = 16;
        for (int at = 0; at < records.Count; at += batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var chunk = records.Skip(at).Take(batch).ToList();
            var results = model.Generate(chunk.Select(r => new GenerationRequest(r.Description, sampling)).ToList(), cancellationToken);
            for (int i = 0; i < chunk.Count; i++)
            {
                OccupancyGrid grid = results[i].Grids[0];
                var blocks = results[i].Blocks?[0];
                measurements.Add(CompositionMeasurer.Measure(chunk[i], grid, blocks));
                if (chunk[i].FullySpecified) ious.Add(OccupancyGrid.IoU(chunk[i].Grid, grid));
            }
            progress?.Invoke(Math.Min(at + batch, records.Count), records.Count);
        }
        var reconstruction = model is OccupancyModel occupancyModel ? Reconstruction(occupancyModel, records) : null;
        return new CompositionReport
        {
            ModelVersion = model.Info.Version,
            ReconstructionIoU = reconstruction?.IoU ?? double.NaN,
            ReconstructionIoUByGroup = reconstruction?.ByGroup ?? new Dictionary<string, double>(),
            ReconstructionMaterialAccuracy = reconstruction?.MaterialAccuracy ?? double.NaN,
            ReconstructedShapes = reconstruction?.Shapes ?? 0,
            ReconstructionSummary = reconstruction?.Summary,
            MaterialPalette = model.Info.MaterialPalette.Select(Materials.BlockMaterials.Name).ToArray(),
            Summary = CompositionMeasurer.Summarize(measurements),
            TextToShapeIoU = ious.Count == 0 ? double.NaN : ious.Average(),
            FullySpecified = ious.Count,
            Seconds = clock.Elapsed.TotalSeconds,
        };
    }

    /// <summary>
    /// The records' distinct shapes (occupancy and, for a material model, blocks) through the
    /// autoencoder alone: IoU overall and per group, block accuracy on voxels occupied in both, and every record
    /// measured on its shape's reconstruction.
    /// </summary>
    private sealed record ReconstructionFigures(double IoU, Dictionary<string, double> ByGroup, double MaterialAccuracy, int Shapes, CompositionSummary Summary);

    private static ReconstructionFigures Reconstruction(
        OccupancyModel model, IReadOnlyList<CorpusRecord> records)
    {
        bool materials = model.Info.MaterialPalette.Count > 0;
        var byShape = records.GroupBy(r => materials && r.Blocks is not null ? (object)r.Blocks : r.Grid).ToList();
        var shapes = byShape.Select(g => g.First()).ToList();
        MaterialGrid Truth(CorpusRecord r) => r.Blocks ?? MaterialGrid.Uniform(r.Grid, BlockMaterial.Stone);
        IReadOnlyList<OccupancyGrid> rebuilt;
        // The blocks each record is measured with, by shape, then by record within the shape (null: occupancy only).
        List<List<MaterialGrid>>? withBlocks = null;
        double materialAccuracy = double.NaN;
        if (materials)
        {
            if (model.HasPainter)
            {
                // A painter paints from the words: every record's shape is reconstructed and painted from its own
                // description (the occupancy is the same for every record of a shape), and block accuracy counts records.
                var members = byShape.SelectMany(g => g).ToList();
                var painted = model.ReconstructWithMaterials(members.Select(Truth).ToList(), members.Select(r => r.Description).ToList());
                withBlocks = [];
                int at = 0;
                foreach (var group in byShape)
                {
                    int n = group.Count();
                    withBlocks.Add(painted.Skip(at).Take(n).ToList());
                    at += n;
                }
                materialAccuracy = BlockAccuracy(members.Select(Truth).ToList(), painted);
            }
            else
            {
                var reconstructed = model.ReconstructWithMaterials(shapes.Select(Truth).ToList());
                withBlocks = byShape.Select((g, i) => Enumerable.Repeat(reconstructed[i], g.Count()).ToList()).ToList();
                materialAccuracy = BlockAccuracy(shapes.Select(Truth).ToList(), reconstructed);
            }
            rebuilt = withBlocks.Select(b => b[0].ToOccupancy()).ToList();
        }
        else rebuilt = model.Reconstruct(shapes.Select(r => r.Grid).ToList());
        var ious = shapes.Select((r, i) => OccupancyGrid.IoU(r.Grid, rebuilt[i])).ToList();
        var groups = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        void Add(string group, double iou)
        {
            if (!groups.TryGetValue(group, out var list)) groups[group] = list = [];
            list.Add(iou);
        }
        for (int i = 0; i < shapes.Count; i++)
        {
            var r = shapes[i];
            Add(r.Family ?? "unknown", ious[i]);
            if (r.Family == ComposedSpec.FamilyName && r.Params is { } p && p.TryGetValue("parts", out var parts) && parts.Length > 0)
                foreach (var part in parts.Split('+')) Add("part:" + part, ious[i]);
        }
        var byGroup = groups.OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Value.Average());
        var measured = byShape
            .SelectMany((g, i) => g.Select((r, j) => withBlocks is null
                ? CompositionMeasurer.Measure(r, rebuilt[i])
                : CompositionMeasurer.Measure(r, withBlocks[i][j].ToOccupancy(), withBlocks[i][j])))
            .ToList();
        return new ReconstructionFigures(ious.Average(), byGroup, materialAccuracy, shapes.Count, CompositionMeasurer.Summarize(measured));
    }

    /// <summary>Blocks right on the voxels occupied in both a grid and its reconstruction; NaN when none is.</summary>
    private static double BlockAccuracy(IReadOnlyList<MaterialGrid> truth, IReadOnlyList<MaterialGrid> rebuilt)
    {
        long both = 0, right = 0;
        for (int s = 0; s < truth.Count; s++)
        {
            var t = truth[s];
            var b = rebuilt[s];
            for (int i = 0; i < t.Volume; i++)
            {
                var want = t.At(i);
                var got = b.At(i);
                if (want == BlockMaterial.Air || got == BlockMaterial.Air) continue;
                both++;
                if (want == got) right++;
            }
        }
        return both == 0 ? double.NaN : (double)right / both;
    }

    public static string ToMarkdown(CompositionReport r) =>
        $"Model `{r.ModelVersion}` on the v2 corpus (composed buildings with materials), " +
        (r.MaterialPalette.Count == 0 ? "a model that imagines occupancy only" : $"blocks {string.Join(", ", r.MaterialPalette)}") + ".\n\n" +
        CompositionMeasurer.ToMarkdown(r.Summary) +
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"| text-to-shape IoU ({r.FullySpecified} fully specified) | {r.TextToShapeIoU:F3} | >= 0.6 |\n") +
        ReconstructionMarkdown(r);

    private static string ReconstructionMarkdown(CompositionReport r)
    {
        if (r.ReconstructedShapes == 0) return "";
        var c = System.Globalization.CultureInfo.InvariantCulture;
        var sb = new System.Text.StringBuilder();
        sb.Append(string.Create(c, $"| reconstruction IoU ({r.ReconstructedShapes} distinct shapes, autoencoder alone) | {r.ReconstructionIoU:F3} | >= 0.95 for every family and part |\n"));
        if (r.ReconstructionSummary is { } through)
            sb.Append(string.Create(c, $"| through the autoencoder alone: attributes / part presence / materials (below) | {through.AttributeAccuracy:P1} / {through.PartPresence:P1} / {through.MaterialAccuracy:P1} | |\n"));
        sb.Append(double.IsNaN(r.ReconstructionMaterialAccuracy)
            ? "| reconstruction material accuracy | not measured: occupancy only | |\n"
            : string.Create(c, $"| reconstruction material accuracy (occupied in both) | {r.ReconstructionMaterialAccuracy:P1} | |\n"));
        sb.Append("\nReconstruction IoU by group (composed shapes with each part; v1 families):\n\n| group | IoU |\n|---|---|\n");
        foreach (var (group, iou) in r.ReconstructionIoUByGroup) sb.Append(string.Create(c, $"| {group} | {iou:F3} |\n"));
        if (r.ReconstructionSummary is { } summary)
            sb.Append("\n## Through the autoencoder alone\n\nEach record measured on its own shape's reconstruction instead of a generation: what the codes can carry, " +
                      "the ceiling of what a perfect prior could reach.\n\n").Append(CompositionMeasurer.ToMarkdown(summary, "reconstructions"));
        return sb.ToString();
    }
}
