namespace Expert.VqVae.Model;

/// <summary>
/// Shape of the text-conditioned prior over the code grid. The code grid (g^3 codes) is read in
/// groups of <see cref="GroupEdge"/>^3 neighbouring codes, one transformer position per group, so
/// a 8^3 code grid is 64 positions instead of 512; each position predicts all codes of its group.
/// Text tokens come first in the sequence; attention is bidirectional (MaskGIT-style decoding).
/// </summary>
public sealed record PriorConfig
{
    public int CodeGridSize { get; init; } = 8;
    public int GroupEdge { get; init; } = 2;
    public int CodebookSize { get; init; } = 512;
    public int VocabularySize { get; init; } = 1024;
    public int MaxTextTokens { get; init; } = 64;
    public int ModelDim { get; init; } = 128;
    public int Layers { get; init; } = 4;
    public int Heads { get; init; } = 4;
    public int CodeEmbedDim { get; init; } = 64;
    public float Dropout { get; init; } = 0.05f;
    /// <summary>
    /// Default number of parallel decoding steps at inference; each step is a full pass of the
    /// prior. 4 for a new run: unguided, the first checkpoints scored the same with 2 to 16 steps.
    /// The shipped checkpoint records 8, which scored best with guidance (TRAINING.md).
    /// </summary>
    public int DecodeSteps { get; init; } = 4;
    /// <summary>
    /// Default classifier-free guidance weight w at inference: the logits are
    /// cond + w * (cond - uncond), where uncond is the prior's prediction with no text. 0 = off
    /// (one pass a step); a weight above 0 costs a second, cheaper pass (code groups only). Only a
    /// prior trained with text dropout (TrainOptions.PriorTextDropout) has a meaningful uncond.
    /// </summary>
    public float Guidance { get; init; }
    /// <summary>
    /// Share of the decoding steps that run before guidance starts: of S steps, the first guided one
    /// is ceil(GuidanceStart * S). The early steps keep only the codes the prior is surest of, where
    /// guidance changed nothing measurable, and each guided step costs a second pass (TRAINING.md).
    /// </summary>
    public float GuidanceStart { get; init; }
    /// <summary>
    /// Default of mirror-tied decoding: when a description states symmetry (<c>DescriptionParser</c>), each code cell
    /// and its mirror across the x centre plane are decided built or empty together (MaskedCodeSampler.Job.MirrorX;
    /// MODEL.md). Off unless a checkpoint records it (`vqvae decoding --mirror-tied true`), so older checkpoints decode as
    /// they did; not written while off.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public bool MirrorTied { get; init; }
    /// <summary>
    /// With <see cref="MirrorTied"/>: a symmetric text's decode settles the left x-half first (the first half of the steps)
    /// and the right half after it, given the whole left half (MaskedCodeSampler.Job.HalfFirst). For a prior trained with
    /// half masks (TrainOptions.PriorHalfMaskFraction), which learned to complete one half from the other. Not written while off.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public bool MirrorHalfFirst { get; init; }

    /// <summary>
    /// This config with <paramref name="other"/>'s decoding defaults (steps, guidance, guidance start, mirror tie, left half
    /// first): what a run records from its options, and the one list of the fields that are decoding, not weights.
    /// </summary>
    public PriorConfig WithDecodingOf(PriorConfig other) => this with
    {
        DecodeSteps = other.DecodeSteps, Guidance = other.Guidance, GuidanceStart = other.GuidanceStart,
        MirrorTied = other.MirrorTied, MirrorHalfFirst = other.MirrorHalfFirst,
    };

    /// <summary>The first guided step of a decode of <paramref name="steps"/> steps that starts guidance at <paramref name="guidanceStart"/>.</summary>
    public static int FirstGuidedStep(float guidanceStart, int steps) => Math.Min(steps - 1, (int)Math.Ceiling(guidanceStart * steps - 1e-6));

    /// <summary>The largest guidance weight accepted (beyond it the shapes only get worse).</summary>
    public const float MaxGuidance = 10f;

    /// <summary>A guidance weight in [0, <see cref="MaxGuidance"/>].</summary>
    public static bool IsValidGuidance(float weight) => float.IsFinite(weight) && weight is >= 0f and <= MaxGuidance;

    /// <summary>A guidance start share in [0, 1).</summary>
    public static bool IsValidGuidanceStart(float start) => float.IsFinite(start) && start is >= 0f and < 1f;

    public int GroupsPerEdge => CodeGridSize / GroupEdge;
    public int Groups => GroupsPerEdge * GroupsPerEdge * GroupsPerEdge;
    public int CodesPerGroup => GroupEdge * GroupEdge * GroupEdge;
    public int Codes => CodeGridSize * CodeGridSize * CodeGridSize;
    /// <summary>The input id of a masked code.</summary>
    public int MaskId => CodebookSize;

    public void Validate()
    {
        if (CodeGridSize < 1 || GroupEdge < 1 || CodeGridSize % GroupEdge != 0)
            throw new ArgumentException($"CodeGridSize ({CodeGridSize}) must be a multiple of GroupEdge ({GroupEdge}).");
        if (ModelDim % Heads != 0) throw new ArgumentException($"ModelDim ({ModelDim}) must be a multiple of Heads ({Heads}).");
        if (VocabularySize < 3) throw new ArgumentException("VocabularySize must be at least 3 (pad, unknown, one token).");
        if (MaxTextTokens < 1) throw new ArgumentException("MaxTextTokens must be positive.");
        if (Layers < 1) throw new ArgumentException("Layers must be positive.");
        if (DecodeSteps < 1) throw new ArgumentException("DecodeSteps must be positive.");
        if (!IsValidGuidance(Guidance)) throw new ArgumentException($"Guidance must be in [0, {MaxGuidance}].");
        if (!IsValidGuidanceStart(GuidanceStart)) throw new ArgumentException("GuidanceStart must be in [0, 1).");
        if (Dropout is < 0f or >= 1f) throw new ArgumentException("Dropout must be in [0, 1).");
    }
}
