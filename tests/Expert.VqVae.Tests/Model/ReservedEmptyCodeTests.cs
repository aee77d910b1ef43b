using Expert.VqVae.Model;
using Expert.VqVae.Voxels;
using static TorchSharp.torch;

namespace Expert.VqVae.Tests.Model;

/// <summary>Code 0 belongs to empty blocks alone (VqVaeConfig.ReserveEmptyCode, Model/MODEL.md).</summary>
[Collection(TorchCollection.Name)]
public class ReservedEmptyCodeTests
{
    private static VqVaeConfig Config => TinyModels.VqVae with { ReserveEmptyCode = true };

    [Fact]
    public void Empty_blocks_get_code_zero_and_built_blocks_never_do_even_while_the_codebook_trains()
    {
        manual_seed(3);
        using var quantizer = new VectorQuantizer("q", Config with { DeadCodeThreshold = 0.5f, EmaDecay = 0.5f });
        quantizer.train();
        using var reservedBefore = quantizer.Codebook[VqVaeConfig.EmptyCode].clone();
        for (int round = 0; round < 20; round++)
        {
            using var scope = NewDisposeScope();
            var latents = randn(new long[] { 4, Config.CodeDim, 4, 4, 4 }) * 0.05 + 1;   // one direction: most codes go unused and die
            var empty = rand(new long[] { 4, 4, 4, 4 }).lt(0.6);
            var (_, codes, _) = quantizer.forward(latents, empty);
            Assert.True(codes.masked_select(empty).eq(VqVaeConfig.EmptyCode).all().item<bool>());
            Assert.False(codes.masked_select(empty.logical_not()).eq(VqVaeConfig.EmptyCode).any().item<bool>());
        }
        Assert.True(quantizer.Restarts > 0, $"the dead-code restarts ran {quantizer.Restarts} live {quantizer.LiveFraction()} training {quantizer.training}");
        Assert.True(quantizer.Codebook[VqVaeConfig.EmptyCode].eq(reservedBefore).all().item<bool>(), "the reserved vector never moves");
    }

    [Fact]
    public void The_autoencoder_encodes_exactly_the_all_empty_blocks_to_code_zero()
    {
        manual_seed(4);
        using var model = new VqVae3d(Config);
        model.eval();
        var grid = new OccupancyGrid(16);
        grid[1, 1, 1] = true;                                  // block (x 0, y 0, z 0)
        grid[13, 9, 6] = true;                                 // block (x 3, y 2, z 1)
        using var input = tensor(grid.ToFloats(), new long[] { 1, 1, 16, 16, 16 });
        using var codes = model.Encode(input);
        var flat = codes.reshape(-1).data<long>().ToArray();   // storage order y, z, x
        int a = 0, b = 3 + 4 * (1 + 4 * 2);
        for (int i = 0; i < flat.Length; i++)
        {
            if (i == a || i == b) Assert.NotEqual(VqVaeConfig.EmptyCode, flat[i]);
            else Assert.Equal(VqVaeConfig.EmptyCode, flat[i]);
        }
    }

    [Fact]
    public void A_reserving_quantiser_refuses_to_run_without_the_empty_blocks()
    {
        using var quantizer = new VectorQuantizer("q", Config);
        using var latents = randn(new long[] { 1, Config.CodeDim, 4, 4, 4 });
        Assert.Throws<ArgumentException>(() => quantizer.forward(latents));
    }
}
