using Expert.VqVae.Materials;
using Expert.VqVae.Model;
using Expert.VqVae.Voxels;

namespace Expert.VqVae.Inference;

/// <summary>Sampling knobs of one generation. Validate with <see cref="Validate"/>.</summary>
public sealed record SamplingOptions
{
    public const int MaxSamples = 8;
    public const int MaxDecodeSteps = 32;

    /// <summary>Same seed, same description, same knobs: the same grid.</summary>
    public ulong Seed { get; init; }

    /// <summary>Softmax temperature of the prior; 0 means greedy (arg max).</summary>
    public float Temperature { get; init; } = 1.0f;

    /// <summary>Only the k most likely codes are sampled; 0 means no cut.</summary>
    public int TopK { get; init; }

    /// <summary>How many grids to sample for the description (each from seed + i).</summary>
    public int Samples { get; init; } = 1;

    /// <summary>Parallel decoding steps of the prior; 0 means the model's default.</summary>
    public int DecodeSteps { get; init; }

    /// <summary>
    /// Classifier-free guidance weight: how much harder the prior follows the text (0 = off); null
    /// means the model's default (<see cref="PriorConfig.Guidance"/>).
    /// </summary>
    public float? Guidance { get; init; }

    /// <summary>
    /// Share of the decoding steps run before guidance starts, in [0, 1); null means the model's
    /// default (<see cref="PriorConfig.GuidanceStart"/>).
    /// </summary>
    public float? GuidanceStart { get; init; }

    /// <summary>
    /// Mirror-tied decoding for descriptions that state symmetry (<see cref="PriorConfig.MirrorTied"/>); null means the
    /// model's default.
    /// </summary>
    public bool? MirrorTied { get; init; }

    /// <summary>Mirror-tied decodes settle the left half first (<see cref="PriorConfig.MirrorHalfFirst"/>); null means the model's default.</summary>
    public bool? MirrorHalfFirst { get; init; }

    /// <summary>Returns one message per field that is out of range (field name, message).</summary>
    public IReadOnlyList<(string Field, string Message)> Validate()
    {
        var errors = new List<(string, string)>();
        if (!float.IsFinite(Temperature) || Temperature < 0f || Temperature > 5f)
            errors.Add(("temperature", "must be a finite number in [0, 5] (0 = greedy)."));
        if (TopK < 0 || TopK > 4096)
            errors.Add(("top_k", "must be in [0, 4096] (0 = no cut)."));
        if (Samples < 1 || Samples > MaxSamples)
            errors.Add(("samples", $"must be in [1, {MaxSamples}]."));
        if (DecodeSteps < 0 || DecodeSteps > MaxDecodeSteps)
            errors.Add(("decode_steps", $"must be in [0, {MaxDecodeSteps}] (0 = model default)."));
        if (Guidance is { } g && !PriorConfig.IsValidGuidance(g))
            errors.Add(("guidance", $"must be a finite number in [0, {PriorConfig.MaxGuidance}] (0 = off)."));
        if (GuidanceStart is { } start && !PriorConfig.IsValidGuidanceStart(start))
            errors.Add(("guidance_start", "must be a finite number in [0, 1)."));
        return errors;
    }
}

/// <summary>How a request decodes: its own knobs where it sets them, else the model's defaults.</summary>
/// <param name="Steps">Parallel decoding steps.</param>
/// <param name="Guidance">Classifier-free guidance weight (0 = off).</param>
/// <param name="GuidedFrom">The first guided step.</param>
/// <param name="MirrorTied">Whether a description that states symmetry decodes mirror-tied (<see cref="PriorConfig.MirrorTied"/>).</param>
/// <param name="MirrorHalfFirst">Whether a mirror-tied decode settles the left half first (<see cref="PriorConfig.MirrorHalfFirst"/>).</param>
public sealed record Decoding(int Steps, float Guidance, int GuidedFrom, bool MirrorTied = false, bool MirrorHalfFirst = false)
{
    public override string ToString() =>
        $"{Steps} decoding steps, " + (Guidance > 0f ? $"guidance {Guidance} from step {GuidedFrom}" : "no guidance")
        + (MirrorTied ? ", mirror-tied where the text states symmetry" + (MirrorHalfFirst ? " (left half first)" : "") : "");
}

/// <summary>One description to imagine, with its knobs.</summary>
public sealed record GenerationRequest(string Description, SamplingOptions Sampling);

/// <summary>The grids sampled for one request, in sample order.</summary>
/// <param name="Blocks">The block of every voxel of each grid (same order, same occupancy), or null when the
/// model imagines occupancy only: then no material is reported, never a guessed one.</param>
public sealed record GenerationResult(IReadOnlyList<OccupancyGrid> Grids, TimeSpan ModelTime, IReadOnlyList<MaterialGrid>? Blocks = null);

/// <summary>What a loaded model is, for logs and responses.</summary>
/// <param name="Materials">The blocks the model imagines; empty (the default) for an occupancy-only model.</param>
public sealed record ModelInfo(string Version, string Device, int GridSize, long Parameters, IReadOnlyList<BlockMaterial>? Materials = null)
{
    /// <summary>The blocks the model imagines (empty: occupancy only).</summary>
    public IReadOnlyList<BlockMaterial> MaterialPalette => Materials ?? [];
}

/// <summary>
/// Text to occupancy. Implementations are thread safe; a batch is answered in request order, and
/// a request's grids depend only on its own description and knobs, never on its batch mates.
/// </summary>
public interface IOccupancyGenerator
{
    ModelInfo Info { get; }

    IReadOnlyList<GenerationResult> Generate(IReadOnlyList<GenerationRequest> batch, CancellationToken cancellationToken = default);
}
