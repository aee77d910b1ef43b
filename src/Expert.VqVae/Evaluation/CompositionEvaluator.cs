using Expert.VqVae.Composition;
using Expert.VqVae.Corpus;
using Expert.VqVae.Inference;
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
        return new CompositionReport
        {
            ModelVersion = model.Info.Version,
            MaterialPalette = model.Info.MaterialPalette.Select(Materials.BlockMaterials.Name).ToArray(),
            Summary = CompositionMeasurer.Summarize(measurements),
            TextToShapeIoU = ious.Count == 0 ? double.NaN : ious.Average(),
            FullySpecified = ious.Count,
            Seconds = clock.Elapsed.TotalSeconds,
        };
    }

    public static string ToMarkdown(CompositionReport r) =>
        $"Model `{r.ModelVersion}` on the v2 corpus (composed buildings with materials), " +
        (r.MaterialPalette.Count == 0 ? "a model that imagines occupancy only" : $"blocks {string.Join(", ", r.MaterialPalette)}") + ".\n\n" +
        CompositionMeasurer.ToMarkdown(r.Summary) +
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"| text-to-shape IoU ({r.FullySpecified} fully specified) | {r.TextToShapeIoU:F3} | >= 0.6 |\n");
}
