using Expert.VqVae.Composition;
using Expert.VqVae.Corpus;

namespace Expert.VqVae.Training;

/// <summary>Reads (or generates) the corpus a run trains on and sets a validation slice aside.</summary>
public static class TrainingData
{
    /// <summary>
    /// Training examples are the corpus's train-split records; <see cref="TrainOptions.ValidationCount"/>
    /// of them, chosen by a stable hash of their id, are held back to pick the best checkpoint.
    /// Test-split records are never read here: they belong to `vqvae eval`.
    /// </summary>
    public static (List<TrainingExample> Train, List<TrainingExample> Validation) Load(TrainOptions options)
    {
        IEnumerable<CorpusRecord> records = options.CorpusPath is { } path
            ? CorpusFile.Read(path)
            : CorpusGenerator.Generate(new CorpusOptions { Seed = options.CorpusSeed, Count = options.CorpusCount, Split = CorpusSplit.Train });
        var all = records.Where(r => r.Split == CorpusSplit.Train)
            .Select(r => new TrainingExample(r.Id, r.Description, r.Grid, r.Blocks, ComposedOf(r)))
            .ToList();
        if (options.VqVae.Materials > 0) RequireBlocks(all, "a material channel (--materials)");
        if (options.Stage == TrainOptions.PainterStage) RequireBlocks(all, "the material painter (--stage painter)");
        foreach (var e in all)
            if (e.Grid.SizeX != options.VqVae.GridSize || e.Grid.SizeY != options.VqVae.GridSize || e.Grid.SizeZ != options.VqVae.GridSize)
                throw new InvalidDataException($"Record '{e.Id}' has a {e.Grid.SizeX}x{e.Grid.SizeY}x{e.Grid.SizeZ} grid; the model trains on {options.VqVae.GridSize}^3 grids.");
        if (all.Count <= options.ValidationCount)
            throw new ArgumentException($"The corpus has {all.Count} training records; it needs more than --validation ({options.ValidationCount}).");
        var ordered = all.OrderBy(e => StableHash(e.Id)).ToList();
        var validation = ordered.Take(options.ValidationCount).ToList();
        var held = validation.Select(v => v.Id).ToHashSet();
        return (all.Where(e => !held.Contains(e.Id)).ToList(), validation);
    }

    /// <summary>The composed building a v2 record was built from (its family "composed" and valid params), or null.</summary>
    public static ComposedSpec? ComposedOf(CorpusRecord record) =>
        record.Family == ComposedSpec.FamilyName && record.Params is not null && ComposedSpec.TryFromParams(record.Params, out var spec, out _) ? spec : null;

    /// <summary>Refuses, by the first record's name, examples without blocks: <paramref name="what"/> trains on them.</summary>
    public static void RequireBlocks(IEnumerable<TrainingExample> examples, string what)
    {
        if (examples.FirstOrDefault(e => e.Blocks is null) is { } bare)
            throw new InvalidDataException($"Record '{bare.Id}' has no blocks; {what} trains on a corpus whose every record has them (vqvae corpus --composed).");
    }

    private static ulong StableHash(string text)
    {
        ulong h = 14695981039346656037UL;            // FNV-1a: stable across runs and platforms
        foreach (char c in text) { h ^= c; h *= 1099511628211UL; }
        return h;
    }
}
