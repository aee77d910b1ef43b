using System.Globalization;
using Expert.VqVae.Corpus;
using Expert.VqVae.Inference;
using Expert.VqVae.Voxels;

namespace Expert.VqVae.Evaluation;

/// <summary>The held-out figures of issue 2 (names are stable: they appear in reports and docs).</summary>
public sealed record HeldOutReport
{
    public required string ModelVersion { get; init; }
    public required int Records { get; init; }
    public required int DistinctShapes { get; init; }
    public required int FullySpecified { get; init; }
    /// <summary>Mean IoU of the autoencoder's reconstructions of the held-out shapes (goal >= 0.95).</summary>
    public required double ReconstructionIoU { get; init; }
    /// <summary>Mean IoU of generated against ground-truth grids, fully specified descriptions (goal >= 0.6).</summary>
    public required double TextToShapeIoU { get; init; }
    /// <summary>Share of stated attributes that the generated grid measures to (goal >= 0.85).</summary>
    public required double AttributeAccuracy { get; init; }
    public required IReadOnlyDictionary<string, double> AttributeAccuracyByName { get; init; }
    public required IReadOnlyDictionary<string, int> AttributeCounts { get; init; }
    /// <summary>Text-to-shape IoU by family, fully specified descriptions.</summary>
    public required IReadOnlyDictionary<string, double> TextToShapeIoUByFamily { get; init; }
    /// <summary>
    /// The same attribute accuracy measured on the autoencoder's reconstructions of the records'
    /// shapes instead of on generations: how much of the attribute figure the autoencoder alone allows.
    /// </summary>
    public required double ReconstructedAttributeAccuracy { get; init; }
    /// <summary>Reconstruction IoU by family (the family's distinct shapes).</summary>
    public required IReadOnlyDictionary<string, double> ReconstructionIoUByFamily { get; init; }
    /// <summary>Attribute accuracy on generated grids by family (NaN where the family's records state none).</summary>
    public required IReadOnlyDictionary<string, double> AttributeAccuracyByFamily { get; init; }
    /// <summary>Attribute accuracy on reconstructions by family.</summary>
    public required IReadOnlyDictionary<string, double> ReconstructedAttributeAccuracyByFamily { get; init; }
    public required float Temperature { get; init; }
    /// <summary>How the generations decoded: steps and guidance (the model's defaults unless the run set its own).</summary>
    public required Decoding Decoding { get; init; }
    public required double Seconds { get; init; }
}

/// <summary>
/// Measures a model on the held-out split: parameter combinations and phrasings that no training
/// record used (Corpus/CORPUS_FORMAT.md). Generation is greedy (temperature 0) with seed 0 and the
/// model's default decoding steps and guidance, unless the sampling options say otherwise.
/// </summary>
public static class HeldOutEvaluator
{
    /// <param name="sampling">Knobs of every generation; null = greedy with the model's defaults. One sample a record.</param>
    public static HeldOutReport Evaluate(OccupancyModel model, IReadOnlyList<CorpusRecord> records, SamplingOptions? sampling = null,
        Action<int, int>? progress = null, CancellationToken cancellationToken = default)
    {
        if (records.Count == 0) throw new ArgumentException("No records to evaluate.");
        sampling = (sampling ?? new SamplingOptions { Temperature = 0f }) with { Samples = 1 };
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var shapes = records.Select(r => r.Grid).Distinct().ToList();
        var reconstructions = model.Reconstruct(shapes);
        var reconstructionOf = shapes.Zip(reconstructions).ToDictionary(p => p.First, p => p.Second);
        var measuredReconstruction = reconstructions.Distinct().ToDictionary(g => g, AttributeMeasurer.Measure);
        double reconstruction = shapes.Zip(reconstructions, OccupancyGrid.IoU).Average();

        var generated = new OccupancyGrid[records.Count];
        const int batch = 16;
        for (int at = 0; at < records.Count; at += batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var chunk = records.Skip(at).Take(batch)
                .Select(r => new GenerationRequest(r.Description, sampling)).ToList();
            var results = model.Generate(chunk, cancellationToken);
            for (int i = 0; i < results.Count; i++) generated[at + i] = results[i].Grids[0];
            progress?.Invoke(Math.Min(at + batch, records.Count), records.Count);
        }

        var full = Enumerable.Range(0, records.Count).Where(i => records[i].FullySpecified).ToList();
        double textIoU = full.Count == 0 ? double.NaN : full.Average(i => OccupancyGrid.IoU(records[i].Grid, generated[i]));
        var byFamily = full.GroupBy(i => FamilyOf(records[i]))
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Average(i => OccupancyGrid.IoU(records[i].Grid, generated[i])));
        var reconstructionByFamily = records.GroupBy(FamilyOf)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(r => r.Grid).Distinct().Average(grid => OccupancyGrid.IoU(grid, reconstructionOf[grid])));

        var onGenerated = records.Select((r, i) => AttributeMeasurer.Agreement(r.Stated, generated[i])).ToArray();
        var onReconstructed = records.Select(r => AttributeMeasurer.Agreement(r.Stated, measuredReconstruction[reconstructionOf[r.Grid]])).ToArray();
        var matched = new Dictionary<BuildingAttribute, int>();
        var stated = new Dictionary<BuildingAttribute, int>();
        foreach (var agreement in onGenerated)
        {
            foreach (var (attribute, ok) in agreement.Matches)
            {
                stated[attribute] = stated.GetValueOrDefault(attribute) + 1;
                if (ok) matched[attribute] = matched.GetValueOrDefault(attribute) + 1;
            }
        }
        int totalStated = stated.Values.Sum();
        return new HeldOutReport
        {
            ModelVersion = model.Info.Version,
            Records = records.Count,
            DistinctShapes = shapes.Count,
            FullySpecified = full.Count,
            ReconstructionIoU = reconstruction,
            TextToShapeIoU = textIoU,
            AttributeAccuracy = totalStated == 0 ? double.NaN : (double)matched.Values.Sum() / totalStated,
            AttributeAccuracyByName = stated.OrderBy(kv => kv.Key).ToDictionary(kv => AttributeNames.Key(kv.Key), kv => (double)matched.GetValueOrDefault(kv.Key) / kv.Value),
            AttributeCounts = stated.OrderBy(kv => kv.Key).ToDictionary(kv => AttributeNames.Key(kv.Key), kv => kv.Value),
            TextToShapeIoUByFamily = byFamily,
            ReconstructedAttributeAccuracy = Accuracy(onReconstructed),
            ReconstructionIoUByFamily = reconstructionByFamily,
            AttributeAccuracyByFamily = AccuracyByFamily(records, onGenerated),
            ReconstructedAttributeAccuracyByFamily = AccuracyByFamily(records, onReconstructed),
            Temperature = sampling.Temperature,
            Decoding = model.DecodingOf(sampling),
            Seconds = clock.Elapsed.TotalSeconds,
        };
    }

    private static string FamilyOf(CorpusRecord record) => record.Family ?? "(none)";

    /// <summary>Matched over stated attributes of a set of comparisons; NaN when none states any.</summary>
    private static double Accuracy(IEnumerable<AttributeAgreement> agreements)
    {
        int stated = 0, matched = 0;
        foreach (var a in agreements)
        {
            stated += a.Stated;
            matched += a.Matched;
        }
        return stated == 0 ? double.NaN : (double)matched / stated;
    }

    private static Dictionary<string, double> AccuracyByFamily(IReadOnlyList<CorpusRecord> records, AttributeAgreement[] agreements) =>
        Enumerable.Range(0, records.Count).GroupBy(i => FamilyOf(records[i]))
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => Accuracy(g.Select(i => agreements[i])));

    /// <summary>The report as a Markdown table with the goals.</summary>
    public static string ToMarkdown(HeldOutReport r)
    {
        var lines = new List<string>
        {
            $"Model `{r.ModelVersion}`, {r.Records} held-out records ({r.DistinctShapes} distinct shapes, {r.FullySpecified} fully specified), temperature {r.Temperature}, {r.Decoding}.",
            "",
            "| metric | value | goal |",
            "|---|---|---|",
            $"| reconstruction IoU (held-out shapes) | {r.ReconstructionIoU:F3} | >= 0.95 |",
            $"| text-to-shape IoU (fully specified) | {r.TextToShapeIoU:F3} | >= 0.6 |",
            $"| attribute accuracy (all stated) | {r.AttributeAccuracy:P1} | >= 85% |",
        };
        foreach (var (name, acc) in r.AttributeAccuracyByName)
            lines.Add($"| - {name} ({r.AttributeCounts[name]} stated) | {acc:P1} | |");
        lines.Add($"| attribute accuracy of the reconstructions (what the autoencoder alone allows) | {r.ReconstructedAttributeAccuracy:P1} | |");
        lines.Add("");
        lines.Add("| family | text-to-shape IoU | reconstruction IoU | attributes, generated | attributes, reconstructed |");
        lines.Add("|---|---|---|---|---|");
        foreach (var family in r.ReconstructionIoUByFamily.Keys)
        {
            string text = r.TextToShapeIoUByFamily.TryGetValue(family, out double t) ? t.ToString("F3", CultureInfo.InvariantCulture) : "-";
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"| {family} | {text} | {r.ReconstructionIoUByFamily[family]:F3} | {r.AttributeAccuracyByFamily[family]:P1} | {r.ReconstructedAttributeAccuracyByFamily[family]:P1} |"));
        }
        return string.Join('\n', lines) + "\n";
    }
}
