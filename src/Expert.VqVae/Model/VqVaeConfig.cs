using System.Text.Json.Serialization;

namespace Expert.VqVae.Model;

/// <summary>
/// Shape of the 3D VQ-VAE. The encoder halves the grid <see cref="Downsamplings"/> times, so a
/// 32^3 grid becomes a (32 / 2^d)^3 grid of codes, each an index into a codebook of
/// <see cref="CodebookSize"/> vectors of width <see cref="CodeDim"/>.
/// </summary>
public sealed record VqVaeConfig
{
    public int GridSize { get; init; } = 32;
    public int Downsamplings { get; init; } = 2;
    public int Channels { get; init; } = 32;
    public int CodebookSize { get; init; } = 512;
    public int CodeDim { get; init; } = 64;
    /// <summary>Weight of the commitment term ||z_e - sg(z_q)||^2.</summary>
    public float CommitmentCost { get; init; } = 0.25f;
    /// <summary>Decay of the codebook's exponential moving averages.</summary>
    public float EmaDecay { get; init; } = 0.99f;
    /// <summary>A code whose EMA usage falls below this is restarted from a random encoder output.</summary>
    public float DeadCodeThreshold { get; init; } = 0.03f;
    /// <summary>Weight of occupied voxels in the reconstruction loss (buildings are sparse).</summary>
    public float PositiveWeight { get; init; } = 2.0f;

    /// <summary>
    /// Code 0 is reserved for blocks whose voxels are all empty: the encoder's output there is not
    /// quantised but replaced by code 0, which nothing else may take. The code grids are then exactly
    /// what the prior learns and generates, and every other code carries its own block's content.
    /// False in checkpoints from before this option (they read it as absent).
    /// </summary>
    public bool ReserveEmptyCode { get; init; }

    /// <summary>
    /// Width of the decoder's trunk at the code grid's resolution; 0 = <see cref="Channels"/>, the
    /// decoder the autoencoder was trained with. The decoder fine-tuning stage (Training/TRAINING.md)
    /// may train a wider one on the frozen code grids. Not written when 0, so a header of an older
    /// checkpoint reads, compares and re-writes exactly as before.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int DecoderChannels { get; init; }

    /// <summary>Residual blocks of the decoder's trunk; 0 = the original two. Not written when 0.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int DecoderResBlocks { get; init; }

    /// <summary>
    /// Residual blocks after each upsampling but the last (at 16^3 for a 32^3 grid): the original
    /// decoder has none, so its last two layers are thin and linear in what they see. Not written when 0.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int DecoderUpResBlocks { get; init; }

    /// <summary>
    /// Material channel (imagination v2, MODEL.md "Materials"): the number of block classes the
    /// autoencoder carries besides occupancy, the blocks of <see cref="Expert.VqVae.Materials.BlockMaterial"/> in value
    /// order from 1 (6 = all of them); 0 = occupancy only, the shape of every checkpoint before it. The
    /// encoder then reads 1 + Materials channels (occupancy and the one-hot block of each occupied voxel),
    /// the decoder writes as many logits (occupancy, then the block classes), and the codes on the same
    /// code grid carry the blocks. Not written when 0.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int Materials { get; init; }

    /// <summary>Weight of the block cross-entropy (on occupied voxels) against the occupancy loss.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public float MaterialWeight { get; init; }

    /// <summary>Channels the encoder reads and the decoder writes: occupancy plus <see cref="Materials"/>.</summary>
    [JsonIgnore]
    public int VoxelChannels => 1 + Materials;

    /// <summary>The material loss weight in effect (<see cref="MaterialWeight"/>, or 1 when unset).</summary>
    [JsonIgnore]
    public float EffectiveMaterialWeight => MaterialWeight > 0 ? MaterialWeight : 1f;

    /// <summary>The decoder's effective trunk width (<see cref="DecoderChannels"/> or <see cref="Channels"/>).</summary>
    [JsonIgnore]
    public int DecoderWidth => DecoderChannels > 0 ? DecoderChannels : Channels;

    /// <summary>The decoder's effective number of trunk residual blocks.</summary>
    [JsonIgnore]
    public int DecoderDepth => DecoderResBlocks > 0 ? DecoderResBlocks : 2;

    /// <summary>The reserved empty-space code.</summary>
    public const int EmptyCode = 0;

    public int CodeGridSize => GridSize >> Downsamplings;

    public void Validate()
    {
        if (GridSize < 8 || (GridSize & (GridSize - 1)) != 0) throw new ArgumentException($"GridSize must be a power of two >= 8, got {GridSize}.");
        if (Downsamplings is < 1 or > 3) throw new ArgumentException($"Downsamplings must be 1..3, got {Downsamplings}.");
        if (CodeGridSize < 2) throw new ArgumentException("The code grid must be at least 2 per edge.");
        if (CodebookSize is < 2 or > 65536) throw new ArgumentException($"CodebookSize must be 2..65536, got {CodebookSize}.");
        if (Channels < 8 || CodeDim < 4) throw new ArgumentException("Channels must be >= 8 and CodeDim >= 4.");
        if (DecoderChannels != 0 && (DecoderChannels < 8 || DecoderChannels % 2 != 0)) throw new ArgumentException($"DecoderChannels must be 0 (= Channels) or an even number >= 8, got {DecoderChannels}.");
        if (DecoderResBlocks is < 0 or > 8) throw new ArgumentException($"DecoderResBlocks must be 0 (= 2) to 8, got {DecoderResBlocks}.");
        if (DecoderUpResBlocks is < 0 or > 4) throw new ArgumentException($"DecoderUpResBlocks must be 0..4, got {DecoderUpResBlocks}.");
        if (EmaDecay is <= 0f or >= 1f) throw new ArgumentException("EmaDecay must be in (0, 1).");
        if (Materials < 0 || Materials > Expert.VqVae.Materials.BlockMaterials.Count - 1)
            throw new ArgumentException($"Materials must be 0 (occupancy only) to {Expert.VqVae.Materials.BlockMaterials.Count - 1} (every block), got {Materials}.");
        if (MaterialWeight < 0 || float.IsNaN(MaterialWeight)) throw new ArgumentException($"MaterialWeight must be 0 (= 1) or more, got {MaterialWeight}.");
    }
}
