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
    public required float Temperature { get; init; }
    public required double Seconds { get; init; }
}

/// <summary>
/// Measures a model on the held-out split: parameter combinations and phrasings that no training
/// record used (Corpus/CORPUS_FORMAT.md). Generation uses the given temperature (0 = greedy) and
/// seed 0, with the model's default number of decoding steps.
/// </summary>
public static class HeldOutEvaluator
{
    /// <param name="decodeSteps">Parallel decoding steps (0 = the model's default).</param>
    public static HeldOutReport Evaluate(OccupancyModel model, IReadOnlyList<CorpusRecord> records, float temperature = 0f,
        Action<int, int>? progress = null, CancellationToken cancellationToken = default, int decodeSteps = 0)
    {
        if (records.Count == 0) throw new ArgumentException("No records to evaluate.");
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var shapes = records.Select(r => r.Grid).Distinct().ToList();
        var reconstructions = model.Reconstruct(shapes);
        double reconstruction = shapes.Zip(reconstructions, OccupancyGrid.IoU).Average();

        var generated = new OccupancyGrid[records.Count];
        const int batch = 16;
        for (int at = 0; at < records.Count; at += batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var chunk = records.Skip(at).Take(batch)
                .Select(r => new GenerationRequest(r.Description, new SamplingOptions { Temperature = temperature, DecodeSteps = decodeSteps })).ToList();
            var results = model.Generate(chunk, cancellationToken);
            for (int i = 0; i < results.Count; i++) generated[at + i] = results[i].Grids[0];
            progress?.Invoke(Math.Min(at + batch, records.Count), records.Count);
        }

        var full = Enumerable.Range(0, records.Count).Where(i => records[i].FullySpecified).ToList();
        double textIoU = full.Count == 0 ? double.NaN : full.Average(i => OccupancyGrid.IoU(records[i].Grid, generated[i]));
        var byFamily = full.GroupBy(i => records[i].Family ?? "(none)")
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Average(i => OccupancyGrid.IoU(records[i].Grid, generated[i])));

        var matched = new Dictionary<BuildingAttribute, int>();
        var stated = new Dictionary<BuildingAttribute, int>();
        for (int i = 0; i < records.Count; i++)
        {
            var agreement = AttributeMeasurer.Agreement(records[i].Stated, generated[i]);
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
            Temperature = temperature,
            Seconds = clock.Elapsed.TotalSeconds,
        };
    }

    /// <summary>The report as a Markdown table with the goals.</summary>
    public static string ToMarkdown(HeldOutReport r)
    {
        var lines = new List<string>
        {
            $"Model `{r.ModelVersion}`, {r.Records} held-out records ({r.DistinctShapes} distinct shapes, {r.FullySpecified} fully specified), temperature {r.Temperature}.",
            "",
            "| metric | value | goal |",
            "|---|---|---|",
            $"| reconstruction IoU (held-out shapes) | {r.ReconstructionIoU:F3} | >= 0.95 |",
            $"| text-to-shape IoU (fully specified) | {r.TextToShapeIoU:F3} | >= 0.6 |",
            $"| attribute accuracy (all stated) | {r.AttributeAccuracy:P1} | >= 85% |",
        };
        foreach (var (name, acc) in r.AttributeAccuracyByName)
            lines.Add($"| - {name} ({r.AttributeCounts[name]} stated) | {acc:P1} | |");
        lines.Add("");
        lines.Add("| family | text-to-shape IoU |");
        lines.Add("|---|---|");
        foreach (var (family, iou) in r.TextToShapeIoUByFamily) lines.Add($"| {family} | {iou:F3} |");
        return string.Join('\n', lines) + "\n";
    }
}
