using Expert.VqVae.Model;
using Expert.VqVae.MlCore.Runtime;
using Expert.VqVae.Training;
using Expert.VqVae.Voxels;
using TorchSharp;
using static TorchSharp.torch;

namespace Expert.VqVae.Tests.Model;

[Collection(TorchCollection.Name)]
public class VqVaeTests
{
    public VqVaeTests() => TorchRuntime.Initialize();

    [Fact]
    public void Shapes_follow_the_config()
    {
        torch.manual_seed(1);
        using var model = new VqVae3d(TinyModels.VqVae);
        using var scope = NewDisposeScope();
        var x = ImaginationTrainer.GridTensor([TinyModels.Box(16, 6, 10), TinyModels.Ring(16, 8, 4)], 16, CPU);
        var (logits, codes, commitment) = model.forward(x);
        Assert.Equal(new long[] { 2, 1, 16, 16, 16 }, logits.shape);
        Assert.Equal(new long[] { 2, 4, 4, 4 }, codes.shape);
        Assert.Equal(0, commitment.dim());
        using var decoded = model.Decode(codes);
        Assert.Equal(new long[] { 2, 1, 16, 16, 16 }, decoded.shape);
    }

    [Fact]
    public void Codes_index_the_codebook_and_lookup_returns_its_vectors()
    {
        torch.manual_seed(2);
        using var model = new VqVae3d(TinyModels.VqVae);
        model.eval();
        using var scope = NewDisposeScope();
        var codes = randint(0, 32, new long[] { 1, 4, 4, 4 });
        var latents = model.Quantizer.Lookup(codes);                                  // [1, D, 4, 4, 4]
        // Quantising a codebook vector gives back its own index.
        var (quantized, again, _) = model.Quantizer.forward(latents);
        Assert.True(again.eq(codes).all().item<bool>());
        Assert.True(quantized.allclose(latents));
    }

    [Fact]
    public void Dead_codes_are_restarted_from_encoder_outputs()
    {
        torch.manual_seed(3);
        var config = TinyModels.VqVae with { DeadCodeThreshold = 0.5f, EmaDecay = 0.5f };
        using var quantizer = new VectorQuantizer("q", config);
        quantizer.train();
        using var scope = NewDisposeScope();
        // All inputs near one point: every code but one falls out of use and must be restarted.
        var latents = randn(new long[] { 4, config.CodeDim, 4, 4, 4 }) * 0.01f + 3f;
        for (int i = 0; i < 4; i++) quantizer.forward(latents);
        Assert.True(quantizer.Restarts > 0);
        // Restarted codes were copied from the (unit-normalised) inputs, so they now sit next to them.
        var direction = nn.functional.normalize(latents.permute(0, 2, 3, 4, 1).reshape(-1, config.CodeDim), dim: 1).mean(new long[] { 0 });
        var nearInputs = (quantizer.Codebook - direction).abs().lt(0.05f).all(1).to(ScalarType.Float32).mean().item<float>();
        Assert.True(nearInputs > 0.5f, $"only {nearInputs:P0} of codes were moved to the data");
    }

    [Fact]
    public void Training_a_tiny_autoencoder_lowers_its_loss_and_reconstructs()
    {
        torch.manual_seed(4);
        var config = TinyModels.VqVae with { Channels = 24, CodebookSize = 64, CodeDim = 16 };
        using var model = new VqVae3d(config);
        var shapes = new List<OccupancyGrid>();
        for (int w = 4; w <= 10; w += 2)
            for (int h = 2; h <= 12; h += 5) { shapes.Add(TinyModels.Box(16, w, h)); shapes.Add(TinyModels.Ring(16, w, h)); }
        using var optimizer = optim.Adam(model.parameters(), lr: 5e-3);
        float first = 0, last = 0;
        model.train();
        for (int step = 0; step < 120; step++)
        {
            using var s = NewDisposeScope();
            var x = ImaginationTrainer.GridTensor(shapes, 16, CPU);
            optimizer.zero_grad();
            var (loss, recon, _) = model.Loss(x);
            loss.backward();
            optimizer.step();
            if (step == 0) first = recon;
            last = recon;
        }
        Assert.True(last < first * 0.5f, $"reconstruction loss went from {first} to {last}");
        double iou = ImaginationTrainer.ReconstructionIoU(model, shapes, CPU);
        Assert.True(iou > 0.6, $"reconstruction IoU {iou:F3}");
    }
}
