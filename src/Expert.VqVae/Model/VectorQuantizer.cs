using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Expert.VqVae.Model;

/// <summary>
/// The codebook. Encoder outputs and codes live on the unit sphere (l2-normalised, as in
/// ViT-VQGAN): nearest neighbour is then highest cosine similarity, the commitment term is bounded,
/// and the encoder cannot run away in scale with the codebook chasing it. Quantisation passes a
/// straight-through gradient; the codebook is not trained by gradient but by exponential moving
/// averages of the encoder outputs assigned to each code (VQ-VAE-2), re-normalised, and a code
/// that falls out of use (EMA count below <see cref="VqVaeConfig.DeadCodeThreshold"/>) is
/// restarted from a random encoder output of the current batch, so the codebook stays alive.
/// </summary>
public sealed class VectorQuantizer : nn.Module
{
    private readonly int _size;
    private readonly int _dim;
    private readonly float _decay;
    private readonly float _deadThreshold;
    private readonly bool _reserveEmpty;
    private const float Epsilon = 1e-5f;

    // Buffers (saved with the weights): the codebook and its moving averages.
    private readonly Tensor embed;
    private readonly Tensor cluster_size;
    private readonly Tensor embed_avg;

    public VectorQuantizer(string name, VqVaeConfig config) : base(name)
    {
        _size = config.CodebookSize;
        _dim = config.CodeDim;
        _decay = config.EmaDecay;
        _deadThreshold = config.DeadCodeThreshold;
        _reserveEmpty = config.ReserveEmptyCode;
        embed = nn.functional.normalize(randn(_size, _dim), dim: 1);
        cluster_size = ones(_size);
        embed_avg = embed.clone();
        RegisterComponents();
    }

    public int Size => _size;

    /// <summary>The codebook vectors, [K, D] (read only).</summary>
    public Tensor Codebook => embed;

    /// <summary>Restarts of dead codes since construction (training diagnostics); a resumed run sets it back to where it was.</summary>
    public long Restarts { get; internal set; }

    /// <summary>Quantises [B, D, g, g, g] latents.</summary>
    /// <returns>The straight-through quantised latents, the code indices [B, g, g, g] and the commitment loss.</returns>
    /// <param name="emptyBlocks">[B, g, g, g] true where the block's voxels are all empty; they get the reserved code when the config reserves one.</param>
    public (Tensor Quantized, Tensor Codes, Tensor Commitment) forward(Tensor rawLatents, Tensor? emptyBlocks = null)
    {
        using var latents = nn.functional.normalize(rawLatents, dim: 1);
        long b = latents.shape[0], g0 = latents.shape[2], g1 = latents.shape[3], g2 = latents.shape[4];
        using var flat = latents.permute(0, 2, 3, 4, 1).reshape(-1, _dim);
        if (_reserveEmpty && emptyBlocks is null)
            throw new ArgumentException("This quantiser reserves a code for empty blocks: pass which blocks are empty.", nameof(emptyBlocks));
        Tensor codes;
        using var empty = _reserveEmpty ? emptyBlocks!.reshape(-1) : null;
        using (no_grad())
        {
            codes = NearestCodes(flat);
            if (empty is not null)
            {
                using var reserved = full_like(codes, VqVaeConfig.EmptyCode);
                var replaced = where(empty, reserved, codes);
                codes.Dispose();
                codes = replaced;
            }
        }
        using var chosen = embed.index_select(0, codes);
        if (training)
        {
            using (no_grad())
            {
                if (empty is null) UpdateEma(flat, codes);
                else
                {
                    // Only built blocks move the codebook; the reserved code stays as it was.
                    using var built = empty.logical_not();
                    using var builtFlat = flat.index_select(0, built.nonzero().squeeze(1));
                    using var builtCodes = codes.masked_select(built);
                    if (builtCodes.shape[0] > 0) UpdateEma(builtFlat, builtCodes);
                }
            }
        }
        using var chosenGrid = chosen.reshape(b, g0, g1, g2, _dim).permute(0, 4, 1, 2, 3);
        var commitment = functional.mse_loss(latents, chosenGrid.detach());
        using var delta = (chosenGrid - latents).detach();
        var quantized = latents + delta;
        return (quantized, codes.reshape(b, g0, g1, g2), commitment);
    }

    /// <summary>Code indices [B, g, g, g] to latents [B, D, g, g, g].</summary>
    public Tensor Lookup(Tensor codes)
    {
        using var flat = codes.reshape(-1);
        using var picked = embed.index_select(0, flat);
        using var vectors = picked.reshape(codes.shape[0], codes.shape[1], codes.shape[2], codes.shape[3], _dim);
        return vectors.permute(0, 4, 1, 2, 3).contiguous();
    }

    private Tensor NearestCodes(Tensor flat)
    {
        // Both sides are unit vectors: the nearest code is the one with the highest cosine.
        using var similarity = flat.matmul(embed.t());
        if (_reserveEmpty) similarity.select(1, VqVaeConfig.EmptyCode).fill_(double.NegativeInfinity);
        return similarity.argmax(1);
    }

    private void UpdateEma(Tensor flat, Tensor codes)
    {
        using var onehot = functional.one_hot(codes, _size).to(flat.dtype);
        using var counts = onehot.sum(dim: 0);   // named: a bare 0 would bind to sum(ScalarType) and add up everything
        using var sums = onehot.t().matmul(flat);
        cluster_size.mul_(_decay).add_(counts, alpha: 1 - _decay);
        embed_avg.mul_(_decay).add_(sums, alpha: 1 - _decay);

        using var total = cluster_size.sum();
        using var smoothed = (cluster_size + Epsilon) / (total + _size * Epsilon) * total;
        using var mean = embed_avg / smoothed.unsqueeze(1);
        using var normalized = nn.functional.normalize(mean, dim: 1);
        using var reservedVector = _reserveEmpty ? embed[VqVaeConfig.EmptyCode].clone() : null;
        embed.copy_(normalized);
        if (reservedVector is not null) embed[VqVaeConfig.EmptyCode].copy_(reservedVector);

        using var dead = cluster_size.lt(_deadThreshold);
        if (_reserveEmpty) dead[VqVaeConfig.EmptyCode] = false;
        long deadCount = dead.sum().item<long>();
        if (deadCount == 0) return;
        using var deadIdx = dead.nonzero().squeeze(1);
        using var pick = randint(0, flat.shape[0], new long[] { deadCount }, device: flat.device);
        using var fresh = flat.index_select(0, pick);
        embed.index_copy_(0, deadIdx, fresh);
        embed_avg.index_copy_(0, deadIdx, fresh);
        using var one = ones(deadCount, device: flat.device);
        cluster_size.index_copy_(0, deadIdx, one);
        Restarts += deadCount;
    }

    /// <summary>
    /// Sets the usage of codes <paramref name="first"/> and above to 0, so the next training step restarts them from
    /// encoder outputs (a grown codebook's new codes: Training/AutoencoderGrowth).
    /// </summary>
    internal void MarkDeadFrom(int first)
    {
        using (no_grad()) cluster_size.narrow(0, first, _size - first).zero_();
    }

    /// <summary>Fraction of codes with EMA usage above the dead threshold.</summary>
    public float LiveFraction()
    {
        using var counted = _reserveEmpty ? cluster_size.narrow(0, 1, _size - 1) : cluster_size.alias();
        using var live = counted.ge(_deadThreshold).to(ScalarType.Float32).mean();
        return live.item<float>();
    }
}
