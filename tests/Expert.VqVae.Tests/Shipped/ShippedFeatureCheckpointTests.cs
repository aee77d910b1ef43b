using Expert.VqVae.Corpus;
using Expert.VqVae.Features;
using Expert.VqVae.Tests.Model;
using Expert.VqVae.Voxels;

namespace Expert.VqVae.Tests.Shipped;

/// <summary>
/// The feature net the project ships for the creation FID (src/Expert.VqVae/Checkpoints/features.ckpt,
/// made by `vqvae train-features`, Features/FEATURES.md), on real renders of held-out buildings.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class ShippedFeatureCheckpointTests
{
    [Fact]
    public void The_shipped_feature_net_is_small_has_the_default_shape_and_records_its_accuracy()
    {
        Assert.True(File.Exists(BuildingFeatureExtractor.ShippedPath), $"missing {BuildingFeatureExtractor.ShippedPath}");
        Assert.True(new FileInfo(BuildingFeatureExtractor.ShippedPath).Length < 5 << 20, "the shipped feature checkpoint must stay under 5 MB");
        FeatureCheckpointHeader header = FeatureCheckpoint.Format.ReadHeader(BuildingFeatureExtractor.ShippedPath);
        Assert.Equal(FeatureNetConfig.Default, header.Config);
        Assert.False(header.HasOptimizerState);
        Assert.Contains("val/accuracy/family", header.Metrics.Keys);
        Assert.Contains("held_out/accuracy/family", header.Metrics.Keys);
    }

    [Fact]
    public void A_better_build_set_scores_a_lower_fid_than_a_worse_one_on_real_renders()
    {
        using BuildingFeatureExtractor extractor = BuildingFeatureExtractor.Load();
        List<OccupancyGrid> targets = CorpusGenerator.Generate(new CorpusOptions { Seed = 11, Count = 40, Split = CorpusSplit.Test })
            .Select(r => FeatureRenders.Frame(r.Grid)).ToList();
        double[][] target = extractor.Extract(targets);
        double Fid(IReadOnlyList<OccupancyGrid> built) =>
            FrechetDistance.Between(target.Cast<IReadOnlyList<double>>().ToList(), extractor.Extract(built).Cast<IReadOnlyList<double>>().ToList());

        double same = Fid(targets);
        double better = Fid(targets.Select((g, i) => Damaged(g, 0.1, i)).ToList());
        double worse = Fid(targets.Select((g, i) => Damaged(g, 0.5, i)).ToList());
        double nothing = Fid(targets.Select(g => new OccupancyGrid(g.SizeX, g.SizeY, g.SizeZ)).ToList());

        Assert.Equal(0, same, 6);
        Assert.True(better < worse, $"10% of the blocks missing scored {better:F2}, 50% missing {worse:F2}");
        Assert.True(worse < nothing, $"50% of the blocks missing scored {worse:F2}, an empty site {nothing:F2}");
    }

    /// <summary>The grid with each occupied cell removed with probability <paramref name="share"/> (seeded).</summary>
    private static OccupancyGrid Damaged(OccupancyGrid grid, double share, int seed)
    {
        var random = new Random(seed);
        OccupancyGrid copy = grid.Clone();
        for (int i = 0; i < copy.Volume; i++)
            if (copy.Cells[i] && random.NextDouble() < share) copy.SetIndex(i, false);
        return copy;
    }
}
