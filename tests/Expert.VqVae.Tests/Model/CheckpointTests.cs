using Expert.VqVae.Inference;
using Expert.VqVae.Model;
using Expert.VqVae.Persistence;
using Expert.VqVae.MlCore.Runtime;
using Expert.VqVae.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Expert.VqVae.Tests.Model;

[Collection(TorchCollection.Name)]
public sealed class CheckpointTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "expert-vqvae-tests", Guid.NewGuid().ToString("N"));

    public CheckpointTests()
    {
        TorchRuntime.Initialize();
        Directory.CreateDirectory(_dir);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (CheckpointHeader, VqVae3d, TextConditionedPrior) TinyModel()
    {
        var tokenizer = DescriptionTokenizer.Fit(["a tall tower", "a low hut"]);
        var header = new CheckpointHeader
        {
            ModelVersion = "test",
            VqVae = TinyModels.VqVae,
            Prior = TinyModels.Prior(tokenizer.VocabularySize),
            TokenizerBpeIds = tokenizer.BpeIds.ToArray(),
            Stage = "done",
        };
        return (header, new VqVae3d(header.VqVae), new TextConditionedPrior(header.Prior!));
    }

    [Fact]
    public void Save_then_load_gives_bit_identical_generations()
    {
        torch.manual_seed(10);
        var (header, vqvae, prior) = TinyModel();
        string path = Path.Combine(_dir, "model.ckpt");
        ModelCheckpoint.Save(path, header, vqvae, prior);
        using var original = OccupancyModel.FromModules(header, vqvae, prior, CPU);
        using var loaded = OccupancyModel.Load(path, "cpu");
        var request = new GenerationRequest("a tall tower", new SamplingOptions { Seed = 5, Temperature = 1f, Samples = 2 });
        var a = original.Generate([request])[0].Grids;
        var b = loaded.Generate([request])[0].Grids;
        Assert.Equal(a.Count, b.Count);
        for (int i = 0; i < a.Count; i++) Assert.Equal(a[i], b[i]);
        Assert.Equal(header.TokenizerBpeIds, loaded.Header.TokenizerBpeIds);
    }

    [Fact]
    public void A_failed_save_leaves_the_previous_checkpoint_and_no_temporary_file()
    {
        torch.manual_seed(11);
        var (header, vqvae, prior) = TinyModel();
        string path = Path.Combine(_dir, "model.ckpt");
        ModelCheckpoint.Save(path, header, vqvae, prior);
        byte[] before = File.ReadAllBytes(path);
        // Header and modules disagree: the save must fail before touching the real name.
        Assert.Throws<ArgumentException>(() => ModelCheckpoint.Save(path, header with { Prior = null }, vqvae, prior));
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(_dir));
        vqvae.Dispose();
        prior.Dispose();
    }

    [Fact]
    public void Corrupt_or_foreign_files_are_refused_with_a_clear_error()
    {
        string junk = Path.Combine(_dir, "junk.ckpt");
        File.WriteAllText(junk, "this is not a checkpoint");
        var e = Assert.Throws<InvalidDataException>(() => ModelCheckpoint.Load(junk));
        Assert.Contains("bad magic", e.Message);

        torch.manual_seed(12);
        var (header, vqvae, prior) = TinyModel();
        string path = Path.Combine(_dir, "model.ckpt");
        ModelCheckpoint.Save(path, header, vqvae, prior);
        byte[] bytes = File.ReadAllBytes(path);
        string truncated = Path.Combine(_dir, "truncated.ckpt");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        Assert.ThrowsAny<Exception>(() => ModelCheckpoint.Load(truncated));
        vqvae.Dispose();
        prior.Dispose();
    }

    [Fact]
    public void Header_carries_the_config_and_training_state()
    {
        torch.manual_seed(13);
        var (header, vqvae, prior) = TinyModel();
        string path = Path.Combine(_dir, "model.ckpt");
        var saved = header with { PriorStep = 77, BestMetric = 0.5, Metrics = new() { ["val/text_to_shape_iou"] = 0.5 } };
        ModelCheckpoint.Save(path, saved, vqvae, prior);
        var read = ModelCheckpoint.ReadHeader(path);
        Assert.Equal(saved.VqVae, read.VqVae);
        Assert.Equal(saved.Prior, read.Prior);
        Assert.Equal(77, read.PriorStep);
        Assert.Equal(0.5, read.Metrics["val/text_to_shape_iou"]);
        vqvae.Dispose();
        prior.Dispose();
    }

    [Fact]
    public void The_layout_is_the_one_every_existing_checkpoint_has_optimizer_state_included()
    {
        torch.manual_seed(14);
        var (header, vqvae, prior) = TinyModel();
        using var optimizer = optim.AdamW(prior.parameters(), lr: 1e-3);
        using (var scope = NewDisposeScope())
        {
            // One step so that the optimiser has state to save.
            var text = tensor(new long[] { 2, 3 }).reshape(1, 2);
            var codes = zeros(new long[] { 1, prior.Config.Groups, prior.Config.CodesPerGroup }, ScalarType.Int64);
            optimizer.zero_grad();
            prior.forward(text, codes).sum().backward();
            optimizer.step();
        }
        header = header with { Stage = "prior", HasOptimizerState = true };

        // The layout as ModelCheckpoint wrote it before the shared container: magic, int32 length,
        // JSON header, the VQ-VAE's state, the prior's, the optimiser's.
        string legacy = Path.Combine(_dir, "legacy.ckpt");
        using (var stream = File.Create(legacy))
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write("S2VQCKPT"u8.ToArray());
            byte[] json = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(header, ModelCheckpoint.Json);
            writer.Write(json.Length);
            writer.Write(json);
            vqvae.save(writer);
            prior.save(writer);
            ((TorchSharp.Modules.OptimizerHelper)optimizer).save_state_dict(writer);
        }
        string path = Path.Combine(_dir, "model.ckpt");
        ModelCheckpoint.Save(path, header, vqvae, prior, optimizer);
        Assert.Equal(File.ReadAllBytes(legacy), File.ReadAllBytes(path));

        var loaded = ModelCheckpoint.Load(legacy);
        Assert.True(loaded.OptimizerOffset > 0);
        using var restored = optim.AdamW(loaded.Prior!.parameters(), lr: 1e-3);
        ModelCheckpoint.LoadOptimizerState(loaded, restored);
        string again = Path.Combine(_dir, "again.ckpt");
        ModelCheckpoint.Save(again, loaded.Header, loaded.VqVae, loaded.Prior, restored);
        Assert.Equal(File.ReadAllBytes(legacy), File.ReadAllBytes(again));
        vqvae.Dispose();
        prior.Dispose();
        loaded.VqVae.Dispose();
        loaded.Prior.Dispose();
    }
}
