using Expert.VqVae.Inference;
using Expert.VqVae.Materials;
using Expert.VqVae.MlCore.Runtime;
using Expert.VqVae.Model;
using Expert.VqVae.Persistence;
using Expert.VqVae.Text;
using Expert.VqVae.Training;
using Expert.VqVae.Voxels;
using TorchSharp;
using static TorchSharp.torch;

namespace Expert.VqVae.Tests.Model;

/// <summary>The material channel on the code grid (MODEL.md, "Materials"): shapes, masks, compatibility and a tiny training run's mechanics.</summary>
[Collection(TorchCollection.Name)]
public class MaterialChannelTests
{
    private static readonly VqVaeConfig Tiny = TinyModels.VqVae with { Materials = BlockMaterials.Count - 1 };

    public MaterialChannelTests() => TorchRuntime.Initialize();

    /// <summary>A centred box of <paramref name="width"/> x <paramref name="height"/>: <paramref name="low"/> below layer <paramref name="split"/>, <paramref name="high"/> from it up.</summary>
    private static MaterialGrid TwoBlockBox(int width, int height, int split, BlockMaterial low, BlockMaterial high)
    {
        var grid = new MaterialGrid(16);
        int x0 = (16 - width) / 2;
        grid.FillBox(x0, 0, x0, x0 + width - 1, Math.Min(split, height) - 1, x0 + width - 1, low);
        if (height > split) grid.FillBox(x0, split, x0, x0 + width - 1, height - 1, x0 + width - 1, high);
        return grid;
    }

    [Fact]
    public void Voxel_tensors_carry_occupancy_then_one_hot_blocks_and_the_decoder_answers_as_many_channels()
    {
        torch.manual_seed(20);
        using var model = new VqVae3d(Tiny);
        using var scope = NewDisposeScope();
        var grids = new[] { TwoBlockBox(6, 8, 4, BlockMaterial.Stone, BlockMaterial.Glass), TwoBlockBox(4, 4, 2, BlockMaterial.OakLog, BlockMaterial.Sandstone) };
        var x = MaterialTensors.Input(grids, Tiny.Materials);
        Assert.Equal(new long[] { 2, 7, 16, 16, 16 }, x.shape);
        // Channel 0 is occupancy; every occupied voxel has exactly one block channel set, empty ones none.
        Assert.True(x.narrow(1, 1, 6).sum(1).eq(x.narrow(1, 0, 1).squeeze(1)).all().item<bool>());
        Assert.Equal(grids[0].ToOccupancy().Count() + grids[1].ToOccupancy().Count(), (int)x.narrow(1, 0, 1).sum().item<float>());

        var (logits, codes, _) = model.forward(x);
        Assert.Equal(new long[] { 2, 7, 16, 16, 16 }, logits.shape);
        Assert.Equal(new long[] { 2, 4, 4, 4 }, codes.shape);
        Assert.Equal(new long[] { 2, 1, 16, 16, 16 }, model.Decode(codes).shape);
        var (occupancy, classes) = model.DecodeWithMaterials(codes);
        Assert.Equal(new long[] { 2, 16, 16, 16 }, classes.shape);
        var back = MaterialTensors.ToGrids(occupancy, classes);
        for (int i = 0; i < 2; i++) Assert.Equal(OccupancyGrid.FromFloats(16, 16, 16, occupancy[i].data<float>().ToArray()), back[i].ToOccupancy());
    }

    /// <summary>
    /// Catches: the channels-last arg max (taken because libtorch's over a middle axis is ten times slower) giving other
    /// classes than the arg max over the channels, ties (an empty voxel's all-zero one-hot) included.
    /// </summary>
    [Fact]
    public void The_class_of_every_voxel_is_the_arg_max_over_its_channels()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        var logits = randn(new long[] { 3, 6, 8, 8, 8 });
        Assert.True(MaterialTensors.ClassOfVoxels(logits).eq(logits.argmax(1)).all().item<bool>());
        var ties = zeros(new long[] { 2, 6, 4, 4, 4 });
        ties[0, 3, 1, 2, 3] = tensor(1f);
        ties[1, 5, 0, 0, 0] = tensor(2f);
        ties[1, 2, 0, 0, 0] = tensor(2f);   // a tie: the first channel
        var classes = MaterialTensors.ClassOfVoxels(ties);
        Assert.True(classes.eq(ties.argmax(1)).all().item<bool>());
        Assert.Equal(new long[] { 2, 4, 4, 4 }, classes.shape);
        Assert.Equal(3L, classes[0, 1, 2, 3].item<long>());
        Assert.Equal(2L, classes[1, 0, 0, 0].item<long>());
        Assert.Equal(0L, classes[0, 0, 0, 0].item<long>());
    }

    [Fact]
    public void Without_a_material_channel_the_model_is_the_one_every_checkpoint_holds()
    {
        using var plain = new VqVae3d(TinyModels.VqVae);
        using var zero = new VqVae3d(TinyModels.VqVae with { Materials = 0 });
        using var materials = new VqVae3d(Tiny);
        var shapes = plain.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.shape);
        Assert.Equal(shapes, zero.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.shape));
        // The material channel changes only the first encoder and the last decoder layer's width.
        var changed = materials.state_dict().Where(kv => !kv.Value.shape.SequenceEqual(shapes[kv.Key])).Select(kv => kv.Key).ToArray();
        Assert.Equal(shapes.Keys.Order(), materials.state_dict().Keys.Order());
        Assert.Equal(new[] { "decoder._net.up1.weight", "decoder._net.up1.bias", "encoder._net.down0.weight" }.Order(), changed.Order());
        Assert.DoesNotContain("materials", System.Text.Json.JsonSerializer.Serialize(TinyModels.VqVae), StringComparison.OrdinalIgnoreCase);
        Assert.Throws<InvalidOperationException>(() => plain.DecodeWithMaterials(zeros(new long[] { 1, 4, 4, 4 }, ScalarType.Int64)));
    }

    [Fact]
    public void An_occupancy_autoencoder_grown_to_the_material_channel_starts_with_its_codes_and_its_occupancy()
    {
        torch.manual_seed(21);
        using var plain = new VqVae3d(TinyModels.VqVae with { ReserveEmptyCode = true });
        using var grown = new VqVae3d(Tiny with { ReserveEmptyCode = true, CodebookSize = 2 * TinyModels.VqVae.CodebookSize });
        AutoencoderGrowth.Grow(plain, grown);
        // The codebook's new half starts dead (the reserved empty code is not counted), so that training restarts it.
        Assert.Equal(31f / 63f, grown.Quantizer.LiveFraction(), 5);
        plain.eval();
        grown.eval();
        using var scope = NewDisposeScope();
        var grids = new[] { TwoBlockBox(6, 8, 4, BlockMaterial.Stone, BlockMaterial.Glass), TwoBlockBox(4, 10, 3, BlockMaterial.OakLog, BlockMaterial.Sandstone) };
        var x = MaterialTensors.Input(grids, Tiny.Materials);
        using (no_grad())
        {
            // The blocks are read (7 input channels) but weigh nothing yet: the same codes as occupancy alone.
            var codes = grown.Encode(x);
            Assert.True(codes.eq(plain.Encode(x.narrow(1, 0, 1))).all().item<bool>());
            Assert.True(codes.ne(VqVaeConfig.EmptyCode).any().item<bool>());
            var logits = grown.DecodeLogits(codes);
            Assert.True(logits.narrow(1, 0, 1).allclose(plain.DecodeLogits(codes), rtol: 1e-5, atol: 1e-6));
            // The block logits start from their bias alone: the same at every voxel until trained.
            var blocks = logits.narrow(1, 1, Tiny.Materials);
            Assert.True(blocks.sub(blocks.narrow(2, 0, 1).narrow(3, 0, 1).narrow(4, 0, 1)).abs().max().item<float>() < 1e-6f);
        }
        // It only grows: a material model does not shrink back to occupancy.
        Assert.Throws<InvalidOperationException>(() => AutoencoderGrowth.Grow(grown, plain));
        // The first training step restarts the dead codes from encoder outputs.
        grown.train();
        grown.LossParts(x).Total.Dispose();
        Assert.Equal(1f, grown.Quantizer.LiveFraction());
    }

    [Fact]
    public void The_block_loss_counts_occupied_voxels_only()
    {
        torch.manual_seed(21);
        using var model = new VqVae3d(Tiny);
        using var scope = NewDisposeScope();
        var (_, _, _, empty) = model.LossParts(MaterialTensors.Input([new MaterialGrid(16)], Tiny.Materials));
        Assert.Equal(0f, empty);
        var (_, _, _, some) = model.LossParts(MaterialTensors.Input([TwoBlockBox(6, 6, 3, BlockMaterial.Stone, BlockMaterial.Glass)], Tiny.Materials));
        Assert.True(some > 0.5f, $"an untrained model guesses blocks badly, got {some}"); // about ln 6 = 1.8
    }

    [Fact]
    public void Training_a_tiny_autoencoder_with_a_material_channel_learns_the_blocks()
    {
        torch.manual_seed(22);
        // 8^3 grids, one downsampling: 4^3 codes, as small as the mechanics allow.
        var config = new VqVaeConfig { GridSize = 8, Downsamplings = 1, Channels = 16, CodebookSize = 32, CodeDim = 8, Materials = BlockMaterials.Count - 1 };
        using var model = new VqVae3d(config);
        // Which block is low and which high differs between twins of the same shape: only the input tells.
        var data = new List<MaterialGrid>();
        foreach (int w in new[] { 2, 4, 6 })
        {
            data.Add(Box(w, 6, 3, BlockMaterial.Stone, BlockMaterial.OakPlanks));
            data.Add(Box(w, 6, 3, BlockMaterial.OakPlanks, BlockMaterial.Stone));
            data.Add(Box(w, 8, 5, BlockMaterial.Sandstone, BlockMaterial.Glass));
        }
        using var optimizer = optim.Adam(model.parameters(), lr: 1e-2);
        var material = new List<float>();
        model.train();
        for (int step = 0; step < 40; step++)
        {
            using var s = NewDisposeScope();
            var x = MaterialTensors.Input(data, config.Materials);
            optimizer.zero_grad();
            var (loss, _, _, m) = model.LossParts(x);
            loss.backward();
            optimizer.step();
            material.Add(m);
        }
        // Measured here: 1.41 -> 0.06 in 40 steps, blocks right on all 956 voxels; asked: a
        // third of the loss, and 80% (an input-blind model tops out near 2/3: stone and planks swap between twins).
        Assert.True(material.TakeLast(10).Average() < 0.35 * material.Take(10).Average(),
            $"block loss from {material.Take(10).Average():F3} to {material.TakeLast(10).Average():F3}");

        // The reconstructions' blocks on the voxels occupied in both.
        model.eval();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var codes = model.Encode(MaterialTensors.Input(data, config.Materials));
        var (occupancy, classes) = model.DecodeWithMaterials(codes);
        var rebuilt = MaterialTensors.ToGrids(occupancy, classes);
        int both = 0, same = 0;
        for (int i = 0; i < data.Count; i++)
            for (int v = 0; v < data[i].Volume; v++)
                if (data[i].At(v) != BlockMaterial.Air && rebuilt[i].At(v) != BlockMaterial.Air)
                {
                    both++;
                    if (data[i].At(v) == rebuilt[i].At(v)) same++;
                }
        Assert.True(both > 0);
        Assert.True(same > 0.8 * both, $"blocks right on {same} of {both} voxels");
    }

    /// <summary>A centred 8^3 box of <paramref name="width"/> x <paramref name="height"/>: <paramref name="low"/> below layer <paramref name="split"/>, <paramref name="high"/> from it up.</summary>
    private static MaterialGrid Box(int width, int height, int split, BlockMaterial low, BlockMaterial high)
    {
        var grid = new MaterialGrid(8);
        int x0 = (8 - width) / 2;
        grid.FillBox(x0, 0, x0, x0 + width - 1, split - 1, x0 + width - 1, low);
        grid.FillBox(x0, split, x0, x0 + width - 1, height - 1, x0 + width - 1, high);
        return grid;
    }

    [Fact]
    public void A_model_with_a_material_channel_answers_blocks_and_says_which()
    {
        torch.manual_seed(23);
        var tokenizer = DescriptionTokenizer.Fit(["a stone tower", "a glass hut"]);
        var header = new CheckpointHeader
        {
            ModelVersion = "test-materials", VqVae = Tiny, Prior = TinyModels.Prior(tokenizer.VocabularySize),
            TokenizerBpeIds = tokenizer.BpeIds.ToArray(), Stage = "done",
        };
        var vqvae = new VqVae3d(header.VqVae);
        var prior = new TextConditionedPrior(header.Prior!);
        string dir = Path.Combine(AppContext.BaseDirectory, "material-channel-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string path = Path.Combine(dir, "model.ckpt");
            ModelCheckpoint.Save(path, header, vqvae, prior);
            using var model = OccupancyModel.FromModules(header, vqvae, prior, CPU);
            using var loaded = OccupancyModel.Load(path, "cpu");
            Assert.Equal(BlockMaterials.Blocks, model.Info.MaterialPalette);
            Assert.Equal(BlockMaterials.Blocks, loaded.Info.MaterialPalette);

            var request = new GenerationRequest("a stone tower", new SamplingOptions { Seed = 1, Samples = 2 });
            var result = model.Generate([request])[0];

            Assert.NotNull(result.Blocks);
            Assert.Equal(2, result.Blocks!.Count);
            for (int i = 0; i < 2; i++) Assert.Equal(result.Grids[i], result.Blocks[i].ToOccupancy());
            Assert.Equal(result.Blocks, loaded.Generate([request])[0].Blocks!); // the channel survives the checkpoint
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
