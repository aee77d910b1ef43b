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
        if (EmaDecay is <= 0f or >= 1f) throw new ArgumentException("EmaDecay must be in (0, 1).");
    }
}
