using Expert.VqVae.Corpus;

namespace Expert.VqVae.Features;

/// <summary>Examples for the feature net: stacked renders (<see cref="FeatureRenders"/>) and one label per head.</summary>
public sealed class FeatureDataset
{
    private FeatureDataset(IReadOnlyList<byte[]> renders, IReadOnlyList<long[]> labels)
    {
        Renders = renders;
        Labels = labels;
    }

    public IReadOnlyList<byte[]> Renders { get; }
    public IReadOnlyList<long[]> Labels { get; }
    public int Count => Renders.Count;

    /// <summary>
    /// <paramref name="count"/> records of the generated corpus (all families, <paramref name="split"/>, corpus
    /// seed <paramref name="seed"/>), each framed and rendered; rendering runs on every core. Deterministic.
    /// </summary>
    public static FeatureDataset FromCorpus(CorpusSplit split, long seed, int count)
    {
        var records = CorpusGenerator.Generate(new CorpusOptions { Seed = seed, Count = count, Split = split }).ToArray();
        var renders = new byte[records.Length][];
        var labels = new long[records.Length][];
        Parallel.For(0, records.Length, i =>
        {
            BuildingSpec spec = records[i].Spec ?? throw new InvalidOperationException($"Corpus record {records[i].Id} names no catalog building.");
            renders[i] = FeatureRenders.Render(FeatureRenders.Frame(records[i].Grid));
            labels[i] = FeatureLabels.Of(spec);
        });
        return new FeatureDataset(renders, labels);
    }
}
