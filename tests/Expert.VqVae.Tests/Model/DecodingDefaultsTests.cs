using Expert.VqVae.Inference;
using Expert.VqVae.Model;
using Expert.VqVae.MlCore.Runtime;
using Expert.VqVae.Persistence;
using Expert.VqVae.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Expert.VqVae.Tests.Model;

/// <summary>`vqvae decoding` (<see cref="DecodingDefaults"/>): the same weights under new decoding defaults, a new version.</summary>
[Collection(TorchCollection.Name)]
public sealed class DecodingDefaultsTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "expert-vqvae-tests", Guid.NewGuid().ToString("N"));

    public DecodingDefaultsTests()
    {
        TorchRuntime.Initialize();
        Directory.CreateDirectory(_dir);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Finished(string stage = "done")
    {
        torch.manual_seed(12);
        var tokenizer = DescriptionTokenizer.Fit(["a symmetric tall tower", "a low hut"]);
        var header = new CheckpointHeader
        {
            ModelVersion = "vqvae-prior-test",
            VqVae = TinyModels.VqVae,
            Prior = TinyModels.Prior(tokenizer.VocabularySize),
            TokenizerBpeIds = tokenizer.BpeIds.ToArray(),
            Stage = stage,
            EmptyCode = 0,
        };
        string path = Path.Combine(_dir, $"{stage}.ckpt");
        using var vqvae = new VqVae3d(header.VqVae);
        using var prior = new TextConditionedPrior(header.Prior!);
        ModelCheckpoint.Save(path, header, vqvae, prior);
        return path;
    }

    [Fact]
    public void The_weights_are_carried_bit_for_bit_under_a_new_version_that_decodes_with_the_new_defaults()
    {
        string source = Finished();
        string output = Path.Combine(_dir, "tied.ckpt");
        var written = DecodingDefaults.Write(source, output, p => p with { MirrorTied = true, DecodeSteps = 6 });
        var read = ModelCheckpoint.ReadHeader(output);
        var sourceHeader = ModelCheckpoint.ReadHeader(source);
        Assert.Equal((written.ModelVersion, written.Prior, written.DecodingFrom), (read.ModelVersion, read.Prior, read.DecodingFrom));
        Assert.Equal(sourceHeader.TokenizerBpeIds, read.TokenizerBpeIds);
        Assert.Equal((sourceHeader.VqVae, sourceHeader.Stage, sourceHeader.EmptyCode), (read.VqVae, read.Stage, read.EmptyCode));
        Assert.StartsWith("vqvae-prior-test-d", written.ModelVersion);
        Assert.Equal("vqvae-prior-test", written.DecodingFrom);
        Assert.True(written.Prior!.MirrorTied);
        Assert.False(ModelCheckpoint.ReadHeader(source).Prior!.MirrorTied);

        var a = ModelCheckpoint.Load(source);
        var b = ModelCheckpoint.Load(output);
        try
        {
            var left = a.VqVae.state_dict().Concat(a.Prior!.state_dict()).ToList();
            var right = b.VqVae.state_dict().Concat(b.Prior!.state_dict()).ToList();
            Assert.Equal(left.Select(kv => kv.Key), right.Select(kv => kv.Key));
            for (int i = 0; i < left.Count; i++) Assert.True(left[i].Value.shape.SequenceEqual(right[i].Value.shape) && left[i].Value.eq(right[i].Value).all().item<bool>(), left[i].Key);
        }
        finally
        {
            a.DisposeModules();
            b.DisposeModules();
        }

        // The model decodes with the new defaults unless a request says otherwise; a second change keeps the root's name.
        using var model = OccupancyModel.Load(output, "cpu");
        Assert.Equal(new Decoding(6, 0f, 0, MirrorTied: true), model.DecodingOf(new SamplingOptions()));
        Assert.False(model.DecodingOf(new SamplingOptions { MirrorTied = false }).MirrorTied);
        var again = DecodingDefaults.Write(output, Path.Combine(_dir, "again.ckpt"), p => p with { DecodeSteps = 4 });
        Assert.Equal("vqvae-prior-test", again.DecodingFrom);
        Assert.StartsWith("vqvae-prior-test-d", again.ModelVersion);
        Assert.NotEqual(written.ModelVersion, again.ModelVersion);
    }

    [Fact]
    public void Only_a_finished_checkpoint_s_decoding_defaults_change_and_never_in_place()
    {
        string source = Finished();
        Assert.Throws<ArgumentException>(() => DecodingDefaults.Write(source, source, p => p with { MirrorTied = true }));
        Assert.Throws<ArgumentException>(() => DecodingDefaults.Write(source, Path.Combine(_dir, "same.ckpt"), p => p));
        Assert.Throws<ArgumentException>(() => DecodingDefaults.Write(source, Path.Combine(_dir, "wider.ckpt"), p => p with { ModelDim = 64 }));
        Assert.Throws<ArgumentException>(() => DecodingDefaults.Write(source, Path.Combine(_dir, "zero.ckpt"), p => p with { DecodeSteps = 0 }));
        Assert.Throws<InvalidDataException>(() => DecodingDefaults.Write(Finished("prior"), Path.Combine(_dir, "mid.ckpt"), p => p with { MirrorTied = true }));
        Assert.False(File.Exists(Path.Combine(_dir, "same.ckpt")) || File.Exists(Path.Combine(_dir, "wider.ckpt")) || File.Exists(Path.Combine(_dir, "mid.ckpt")));
    }

    [Fact]
    public void A_model_ties_the_mirror_only_where_the_text_states_symmetry_and_it_has_an_empty_code()
    {
        using var model = OccupancyModel.Load(Finished(), "cpu");
        var tied = new Decoding(4, 0f, 0, MirrorTied: true);
        Assert.True(model.TiesMirror("a symmetric tall tower", tied));
        Assert.True(model.TiesMirror("A balanced hall with a dome", tied));
        Assert.False(model.TiesMirror("an asymmetric tall tower", tied));
        Assert.False(model.TiesMirror("a low hut", tied));
        Assert.False(model.TiesMirror("a symmetric tall tower", tied with { MirrorTied = false }));
    }
}
