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
        var (quantized, codes, commitment) = quantizer.forward(latents);
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
        var (quantized, codes, commitment) = quantizer.forward(latents);
        quantized.Dispose();
        commitment.Dispose();
        return codes;
    }

    /// <summary>Codes [B, g, g, g] to occupancy probabilities [B, 1, G, G, G].</summary>
    public Tensor Decode(Tensor codes)
    {
        using var latents = quantizer.Lookup(codes);
        using var logits = decoder.forward(latents);
        return logits.sigmoid();
    }
}
