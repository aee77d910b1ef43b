using Expert.VqVae.Cli;
using Expert.VqVae.Persistence;
using Expert.VqVae.Tests.Model;
using Expert.VqVae.Text;

namespace Expert.VqVae.Tests.Shipped;

/// <summary>
/// The shipped checkpoint (src/Expert.VqVae/Checkpoints/default.ckpt) through the shared ML core:
/// the checkpoint container reads it and the shipped materials.ckpt (the default with a painter) and writes both back
/// byte for byte, and its tokenizer encodes
/// as it did when the model was trained (ids pinned from the tokenizer before the ML core existed).
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class ShippedCheckpointFormatTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "expert-vqvae-tests", Guid.NewGuid().ToString("N"));

    public ShippedCheckpointFormatTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_shipped_checkpoint_loads_and_saves_back_bit_identical()
    {
        var loaded = ModelCheckpoint.Load(DefaultPaths.ShippedCheckpoint);
        try
        {
            Assert.Equal(-1, loaded.OptimizerOffset);
            string copy = Path.Combine(_dir, "default.ckpt");
            ModelCheckpoint.Save(copy, loaded.Header, loaded.VqVae, loaded.Prior);
            Assert.Equal(File.ReadAllBytes(DefaultPaths.ShippedCheckpoint), File.ReadAllBytes(copy));
        }
        finally
        {
            loaded.VqVae.Dispose();
            loaded.Prior?.Dispose();
        }
    }

    [Fact]
    public void The_shipped_materials_checkpoint_loads_with_its_painter_and_saves_back_bit_identical()
    {
        // The shipped default with a material painter after its prior (header painter, painterTokenizerBpeIds): re-written as it was.
        var loaded = ModelCheckpoint.Load(DefaultPaths.ShippedMaterialsCheckpoint);
        try
        {
            Assert.Equal(-1, loaded.OptimizerOffset);
            Assert.NotNull(loaded.Painter);
            Assert.NotNull(loaded.Header.Painter);
            Assert.NotNull(loaded.Header.PainterTokenizerBpeIds);
            string copy = Path.Combine(_dir, "materials.ckpt");
            ModelCheckpoint.Save(copy, loaded.Header, loaded.VqVae, loaded.Prior, painter: loaded.Painter);
            Assert.Equal(File.ReadAllBytes(DefaultPaths.ShippedMaterialsCheckpoint), File.ReadAllBytes(copy));
        }
        finally
        {
            loaded.DisposeModules();
        }
    }

    [Theory]
    [InlineData("A tall stone tower with 3 floors and a pointed roof", new[] { 74, 196, 64, 268, 5, 59, 143, 22, 6, 124, 8 })]
    [InlineData("a  ZIGGURATESQUE hut, wide & low!", new[] { 74, 317, 1, 1, 1, 1, 198, 9, 21, 1, 127, 1 })]
    [InlineData("日本 tower", new[] { 1, 1, 1, 1, 268 })]
    [InlineData("", new int[0])]
    public void The_shipped_tokenizer_encodes_as_when_the_model_was_trained(string description, int[] ids)
    {
        var header = ModelCheckpoint.ReadHeader(DefaultPaths.ShippedCheckpoint);
        var tokenizer = new DescriptionTokenizer(header.TokenizerBpeIds);
        Assert.Equal(427, tokenizer.VocabularySize);
        Assert.Equal(header.Prior!.VocabularySize, tokenizer.VocabularySize);
        Assert.Equal(ids, tokenizer.Encode(description, 64));
    }
}
