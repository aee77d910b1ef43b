using Expert.VqVae.Corpus;
using Expert.VqVae.Voxels;

namespace Expert.VqVae.Features;

/// <summary>Examples for the feature net: stacked renders (<see cref="FeatureRenders"/>) and one label per head.</summary>
/// <remarks>A share of the examples are degraded builds (<see cref="BuildDegradation"/>) labelled with the building meant and their quality.</remarks>
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
    /// seed <paramref name="seed"/>), each framed, degraded with probability <paramref name="degradedShare"/>
    /// and rendered; rendering runs on every core. Deterministic.
    /// </summary>
    public static FeatureDataset FromCorpus(CorpusSplit split, long seed, int count, double degradedShare = 0)
    {
        if (degradedShare is < 0 or > 1 || double.IsNaN(degradedShare)) throw new ArgumentOutOfRangeException(nameof(degradedShare), degradedShare, "must be in [0, 1]");
        var records = CorpusGenerator.Generate(new CorpusOptions { Seed = seed, Count = count, Split = split }).ToArray();
        var renders = new byte[records.Length][];
        var labels = new long[records.Length][];
        Parallel.For(0, records.Length, i =>
        {
            BuildingSpec spec = records[i].Spec ?? throw new InvalidOperationException($"Corpus record {records[i].Id} names no catalog building.");
            OccupancyGrid framed = FeatureRenders.Frame(records[i].Grid);
            int example = (int)(DeterministicRandom.Hash($"{CorpusSplits.Name(split)}|{seed}|{i}") & 0x7FFFFFFF);
            bool degrade = (example % 10_000) / 10_000.0 < degradedShare;
            OccupancyGrid build = degrade ? BuildDegradation.Degrade(framed, example) : framed;
            renders[i] = FeatureRenders.Render(build);
            labels[i] = FeatureLabels.Of(spec, degrade ? BuildDegradation.QualityClass(OccupancyGrid.IoU(build, framed)) : 0);
        });
        return new FeatureDataset(renders, labels);
    }
}
