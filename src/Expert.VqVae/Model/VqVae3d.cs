using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Expert.VqVae.Model;

/// <summary>
/// The 3D VQ-VAE: encoder, codebook, decoder. Occupancy tensors are [B, 1, Y, Z, X] with values
/// 0/1, the grid's storage order (see Voxels/LAYOUT.md); codes are [B, g, g, g] in the same axis order.
/// With a material channel (<see cref="VqVaeConfig.Materials"/> = K > 0) the voxel tensors are
/// [B, 1 + K, Y, Z, X]: occupancy, then the one-hot block of each occupied voxel (zeros where empty);
/// the decoder's logits have the same channels (<see cref="MaterialTensors"/> converts).
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
        var (total, reconstruction, commitment, _) = LossParts(occupancy);
        return (total, reconstruction, commitment);
    }

    /// <summary>
    /// The loss and its parts: weighted BCE of the occupancy, commitment, and with a material channel
    /// the cross-entropy of the block classes on the occupied voxels only (weighted by
    /// <see cref="VqVaeConfig.EffectiveMaterialWeight"/>; 0 without a material channel).
    /// </summary>
    public (Tensor Total, float Reconstruction, float Commitment, float Material) LossParts(Tensor voxels)
    {
        var (logits, codes, commitment) = forward(voxels);
        using (logits) using (codes) using (commitment)
        {
            using var occupancy = voxels.narrow(1, 0, 1);
            using var occupancyLogits = logits.narrow(1, 0, 1);
            using var weight = occupancy * (Config.PositiveWeight - 1f) + 1f;
            using var recon = functional.binary_cross_entropy_with_logits(occupancyLogits, occupancy, weight: weight);
            var total = recon + Config.CommitmentCost * commitment;
            if (Config.Materials == 0) return (total, recon.item<float>(), commitment.item<float>(), 0f);
            using var oneHot = voxels.narrow(1, 1, Config.Materials);
            using var classes = MaterialTensors.ClassOfVoxels(oneHot);                     // [B, G, G, G]
            using var blockLogits = logits.narrow(1, 1, Config.Materials);                 // [B, K, G, G, G]
            using var mask = occupancy.squeeze(1);
            using var material = MaterialTensors.OccupiedCrossEntropy(blockLogits, classes, mask);
            using var withMaterial = total + Config.EffectiveMaterialWeight * material;
            total.Dispose();
            return (withMaterial.alias(), recon.item<float>(), commitment.item<float>(), material.item<float>());
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

    /// <summary>
    /// Voxels [B, C, G, G, G] encoded, quantised and decoded: occupancy probabilities [B, 1, G, G, G] (occupied above 0.5),
    /// through the same canonical code grids the prior generates when <paramref name="emptyCode"/> is a code (>= 0) and
    /// the codebook reserves none (<see cref="CanonicalCodes"/>). What inference reconstructs and the painter stage's
    /// <c>--painter-input reconstructed</c> paints.
    /// </summary>
    public Tensor ReconstructedOccupancy(Tensor voxels, long emptyCode)
    {
        using var codes = emptyCode >= 0 && !Config.ReserveEmptyCode ? CanonicalCodes(voxels, emptyCode) : Encode(voxels);
        return Decode(codes);
    }

    /// <summary>Codes [B, g, g, g] to occupancy probabilities [B, 1, G, G, G].</summary>
    public Tensor Decode(Tensor codes)
    {
        using var logits = DecodeLogits(codes);
        if (Config.Materials == 0) return logits.sigmoid();
        using var occupancy = logits.narrow(1, 0, 1);
        return occupancy.sigmoid();
    }

    /// <summary>
    /// Codes [B, g, g, g] to occupancy probabilities [B, 1, G, G, G] and block classes [B, G, G, G]
    /// (int64, 0-based: class c is <see cref="Expert.VqVae.Materials.BlockMaterial"/> value c + 1; only
    /// meaningful where the voxel is occupied). Needs a material channel.
    /// </summary>
    public (Tensor Occupancy, Tensor Classes) DecodeWithMaterials(Tensor codes)
    {
        if (Config.Materials == 0) throw new InvalidOperationException("This autoencoder has no material channel (VqVaeConfig.Materials = 0).");
        using var logits = DecodeLogits(codes);
        using var occupancyLogits = logits.narrow(1, 0, 1);
        using var blockLogits = logits.narrow(1, 1, Config.Materials);
        return (occupancyLogits.sigmoid(), MaterialTensors.ClassOfVoxels(blockLogits));
    }

    /// <summary>Codes [B, g, g, g] to logits [B, C, G, G, G] (occupancy, then block classes with a material channel).</summary>
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

    /// <summary>[B, C, G, G, G] voxels to [B, g, g, g]: true where a code's block has no voxel (channel 0, occupancy).</summary>
    public Tensor EmptyBlocks(Tensor occupancy)
    {
        int cell = Config.GridSize / Config.CodeGridSize;
        using var channel = occupancy.narrow(1, 0, 1);
        using var pooled = functional.max_pool3d(channel, new long[] { cell, cell, cell });
        return pooled.squeeze(1).le(0.5);
    }
}
