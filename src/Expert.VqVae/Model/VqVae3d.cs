using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Expert.VqVae.Model;

/// <summary>
/// The 3D VQ-VAE: encoder, codebook, decoder. Occupancy tensors are [B, 1, Y, Z, X] with values
/// 0/1, the grid's storage order (see Voxels/LAYOUT.md); codes are [B, g, g, g] in the same axis order.
/// </summary>
public sealed class VqVae3d : nn.Module
{
    private readonly VoxelEncoder encoder;
    private readonly VectorQuantizer quantizer;
    private readonly VoxelDecoder decoder;

    public VqVae3d(VqVaeConfig config) : base("vqvae")
    {
        config.Validate();
        Config = config;
        encoder = new VoxelEncoder("encoder", config);
        quantizer = new VectorQuantizer("quantizer", config);
        decoder = new VoxelDecoder("decoder", config);
        RegisterComponents();
    }

    public VqVaeConfig Config { get; }
    public VectorQuantizer Quantizer => quantizer;

    /// <summary>Reconstruction logits, codes and commitment loss for a batch of grids.</summary>
    public (Tensor Logits, Tensor Codes, Tensor Commitment) forward(Tensor occupancy)
    {
        using var latents = encoder.forward(occupancy);
        using var empty = Config.ReserveEmptyCode ? EmptyBlocks(occupancy) : null;
        var (quantized, codes, commitment) = quantizer.forward(latents, empty);
        using (quantized)
        {
            return (decoder.forward(quantized), codes, commitment);
        }
    }

    /// <summary>Reconstruction loss (weighted BCE) plus commitment; returns the total and its parts.</summary>
    public (Tensor Total, float Reconstruction, float Commitment) Loss(Tensor occupancy)
    {
        var (logits, codes, commitment) = forward(occupancy);
        using (logits) using (codes) using (commitment)
        {
            using var weight = occupancy * (Config.PositiveWeight - 1f) + 1f;
            using var recon = functional.binary_cross_entropy_with_logits(logits, occupancy, weight: weight);
            var total = recon + Config.CommitmentCost * commitment;
            return (total, recon.item<float>(), commitment.item<float>());
        }
    }

    /// <summary>Grids [B, 1, G, G, G] to codes [B, g, g, g].</summary>
    public Tensor Encode(Tensor occupancy)
    {
        using var latents = encoder.forward(occupancy);
        using var empty = Config.ReserveEmptyCode ? EmptyBlocks(occupancy) : null;
        var (quantized, codes, commitment) = quantizer.forward(latents, empty);
        quantized.Dispose();
        commitment.Dispose();
        return codes;
    }

    /// <summary>Codes [B, g, g, g] to occupancy probabilities [B, 1, G, G, G].</summary>
    public Tensor Decode(Tensor codes)
    {
        using var logits = DecodeLogits(codes);
        return logits.sigmoid();
    }

    /// <summary>Codes [B, g, g, g] to occupancy logits [B, 1, G, G, G].</summary>
    public Tensor DecodeLogits(Tensor codes)
    {
        using var latents = quantizer.Lookup(codes);
        return decoder.forward(latents);
    }

    /// <summary>The decoder's parameters alone (the decoder fine-tuning stage trains only these).</summary>
    public IEnumerable<TorchSharp.Modules.Parameter> DecoderParameters() => decoder.parameters();

    /// <summary>
    /// Codes [B, g, g, g] with every block whose voxels are all empty set to <paramref name="emptyCode"/>:
    /// the code grids the prior learns and generates (MODEL.md, "one code for empty space").
    /// </summary>
    public Tensor CanonicalCodes(Tensor occupancy, long emptyCode)
    {
        using var codes = Encode(occupancy);
        using var blockEmpty = EmptyBlocks(occupancy);
        using var empty = full_like(codes, emptyCode);
        return where(blockEmpty, empty, codes);
    }

    /// <summary>[B, 1, G, G, G] occupancy to [B, g, g, g]: true where a code's block has no voxel.</summary>
    public Tensor EmptyBlocks(Tensor occupancy)
    {
        int cell = Config.GridSize / Config.CodeGridSize;
        using var pooled = functional.max_pool3d(occupancy, new long[] { cell, cell, cell });
        return pooled.squeeze(1).le(0.5);
    }
}
