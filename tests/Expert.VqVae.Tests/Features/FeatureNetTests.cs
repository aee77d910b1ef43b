using Expert.VqVae.Corpus;
using Expert.VqVae.Features;
using Expert.VqVae.Tests.Corpus;
using Expert.VqVae.Tests.Model;
using Expert.VqVae.Voxels;
using TorchSharp;

namespace Expert.VqVae.Tests.Features;

/// <summary>The feature net's input, shapes, checkpoint and trainer mechanics (a tiny net on a few buildings).</summary>
[Collection(TorchCollection.Name)]
public sealed class FeatureNetTests
{
    private static readonly FeatureNetConfig Tiny = FeatureNetConfig.Default with { Channels = [4, 4, 4, 4], FeatureSize = 6 };

    [Fact]
    public void Framing_crops_to_the_building_and_adds_the_site_margin()
    {
        var grid = new OccupancyGrid(32);
        grid.FillBox(10, 3, 12, 12, 5, 13);        // 3 x 3 x 2, floating at y 3
        OccupancyGrid framed = FeatureRenders.Frame(grid);
        Assert.Equal((3 + 4, 3 + 2, 2 + 4), (framed.SizeX, framed.SizeY, framed.SizeZ));
        Assert.Equal(18, framed.Count());
        Assert.True(framed[2, 0, 2]);
        Assert.False(framed[1, 0, 2]);
        Assert.Equal((5, 3, 5), (FeatureRenders.Frame(new OccupancyGrid(4)).SizeX, FeatureRenders.Frame(new OccupancyGrid(4)).SizeY, FeatureRenders.Frame(new OccupancyGrid(4)).SizeZ));
    }

    [Fact]
    public void Renders_stack_four_views_and_differ_between_buildings()
    {
        var records = CorpusGenerator.Generate(new CorpusOptions { Seed = 3, Count = 2, Split = CorpusSplit.Train }).ToList();
        byte[] a = FeatureRenders.Render(FeatureRenders.Frame(records[0].Grid));
        byte[] again = FeatureRenders.Render(FeatureRenders.Frame(records[0].Grid));
        byte[] empty = FeatureRenders.Render(FeatureRenders.Frame(new OccupancyGrid(8)));
        Assert.Equal(3 * 4 * 64 * 64, a.Length);
        Assert.Equal(a, again);
        Assert.NotEqual(a, empty);
        Assert.Equal(FeatureLabels.Heads.Count, FeatureLabels.Of(records[0].Spec!).Length);
    }

    [Fact]
    public void Degraded_builds_keep_the_frame_differ_from_the_building_and_are_labelled_with_their_quality()
    {
        OccupancyGrid framed = FeatureRenders.Frame(CorpusGenerator.Generate(new CorpusOptions { Seed = 5, Count = 1, Split = CorpusSplit.Train }).Single().Grid);
        var qualities = new HashSet<int>();
        for (int seed = 0; seed < 40; seed++)
        {
            OccupancyGrid degraded = BuildDegradation.Degrade(framed, seed);
            Assert.Equal((framed.SizeX, framed.SizeY, framed.SizeZ), (degraded.SizeX, degraded.SizeY, degraded.SizeZ));
            Assert.NotEqual(framed, degraded);
            Assert.Equal(degraded, BuildDegradation.Degrade(framed, seed));     // deterministic
            qualities.Add(BuildDegradation.QualityClass(OccupancyGrid.IoU(degraded, framed)));
        }
        Assert.True(qualities.Count >= 3, $"degradations of one building span quality classes {string.Join(",", qualities)}");
        Assert.Equal([0, 0, 1, 2, 3, 3], new[] { 1.0, 0.9, 0.7, 0.5, 0.2, 0.0 }.Select(BuildDegradation.QualityClass));

        var data = FeatureDataset.FromCorpus(CorpusSplit.Train, 1, 40, degradedShare: 0.5);
        int quality = FeatureLabels.Heads.Count - 1;
        Assert.Contains(data.Labels, l => l[quality] > 0);
        Assert.Contains(data.Labels, l => l[quality] == 0);
        Assert.All(FeatureDataset.FromCorpus(CorpusSplit.Train, 1, 10).Labels, l => Assert.Equal(0, l[quality]));
    }

    [Fact]
    public void Features_and_logits_have_the_configured_shapes_and_survive_a_checkpoint()
    {
        using var folder = new TempFolder("features");
        torch.manual_seed(5);
        using var net = new BuildingFeatureNet(Tiny);
        using var x = torch.rand(3, 12, 64, 64);
        using var f = net.Features(x);
        using var logits = net.forward(x);
        Assert.Equal([3L, 6L], f.shape);
        Assert.Equal([3L, FeatureLabels.HeadClasses.Sum()], logits.shape);

        string path = folder.File("net.ckpt");
        FeatureCheckpoint.Save(path, new FeatureCheckpointHeader(FeatureCheckpoint.FormatVersion, Tiny, 7, 0.5, new Dictionary<string, double>(), null, false, DateTimeOffset.UnixEpoch), net);
        var (header, loaded) = FeatureCheckpoint.Load(path);
        using (loaded)
        {
            Assert.Equal(Tiny, header.Config);
            Assert.Equal(7, header.Step);
            using var g = loaded.Features(x);
            Assert.True(f.eq(g).all().item<bool>());
        }
    }

    [Fact]
    public void A_resumed_run_ends_bit_identical_to_an_uninterrupted_one()
    {
        using var folder = new TempFolder("features-resume");
        var train = FeatureDataset.FromCorpus(CorpusSplit.Train, 1, 12);
        var validation = FeatureDataset.FromCorpus(CorpusSplit.Train, 2, 6);
        FeatureTrainOptions Options(string dir) => new() { OutputDir = folder.File(dir), Steps = 6, Batch = 4, EvalEvery = 3, WarmupSteps = 2, Device = "cpu" };

        new FeatureTrainer(Options("straight")).Train(train, validation, null, Tiny);
        using var stop = new CancellationTokenSource();
        Assert.Throws<OperationCanceledException>(() =>
            new FeatureTrainer(Options("resumed"), new StopAt(3, stop)).Train(train, validation, null, Tiny, stop.Token));
        Assert.Equal(3, FeatureCheckpoint.Format.ReadHeader(Path.Combine(folder.File("resumed"), FeatureTrainer.LatestName)).Step);
        new FeatureTrainer(Options("resumed")).Train(train, validation, null, Tiny);

        var (h1, a) = FeatureCheckpoint.Load(Path.Combine(folder.File("straight"), FeatureTrainer.LatestName));
        var (h2, b) = FeatureCheckpoint.Load(Path.Combine(folder.File("resumed"), FeatureTrainer.LatestName));
        using (a)
        using (b)
        {
            Assert.Equal((6, 6), (h1.Step, h2.Step));
            foreach (var (p, q) in a.parameters().Zip(b.parameters())) Assert.True(p.eq(q).all().item<bool>());
        }
        Assert.Equal(6, File.ReadLines(Path.Combine(folder.File("resumed"), "metrics.jsonl")).Count());
        var other = new FeatureTrainer(Options("resumed") with { Steps = 9, Batch = 5 });
        Assert.Throws<InvalidOperationException>(() => other.Train(train, validation, null, Tiny));   // other batches: refused, not silently mixed
        Assert.True(File.Exists(Path.Combine(folder.File("resumed"), FeatureTrainer.ModelName)));
    }

    private sealed class StopAt(int step, CancellationTokenSource cancel) : Expert.VqVae.MlCore.Training.ITrainingProgress
    {
        public void Step(string stage, int s, int totalSteps, IReadOnlyDictionary<string, double> values)
        {
            if (s == step) cancel.Cancel();
        }

        public void Message(string text) { }
    }
}
