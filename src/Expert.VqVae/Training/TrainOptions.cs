using System.Text.Json.Serialization;
using Expert.VqVae.Model;

namespace Expert.VqVae.Training;

/// <summary>
/// Everything `vqvae train` needs. The defaults are the embedded defaults that produced the
/// shipped checkpoint (see TRAINING.md); every field can be set from the command line.
/// </summary>
public sealed record TrainOptions
{
    /// <summary>Folder for checkpoints, metrics and plots (checkpoint-latest.ckpt, model.ckpt, ...).</summary>
    public string OutputDir { get; init; } = "runs/vqvae";
    /// <summary>A corpus in the JSON-lines format of Corpus/CORPUS_FORMAT.md; null = generate the built-in corpus.</summary>
    public string? CorpusPath { get; init; }
    public int CorpusSeed { get; init; } = 2024;
    public int CorpusCount { get; init; } = 48000;
    /// <summary>Training records set aside (by id hash) to pick the best checkpoint.</summary>
    public int ValidationCount { get; init; } = 256;

    public int VqVaeSteps { get; init; } = 4000;
    public int VqVaeBatch { get; init; } = 32;
    public float VqVaeLearningRate { get; init; } = 2e-3f;

    public int PriorSteps { get; init; } = 6000;
    public int PriorBatch { get; init; } = 64;
    public float PriorLearningRate { get; init; } = 1e-3f;
    public int PriorWarmupSteps { get; init; } = 100;
    public float PriorWeightDecay { get; init; } = 0.01f;
    /// <summary>Share of prior examples with every code masked (text alone); the rest follow MaskGIT's cosine ratio.</summary>
    public double PriorFullMaskFraction { get; init; } = 0.5;
    /// <summary>
    /// Share of prior examples with a <b>half mask</b>: one x-half of the code grid (left or right, drawn) is given whole and
    /// the prior predicts the other half's codes at the usual ratio, so it learns to complete one side from the other (a
    /// symmetric text: its mirror image), as a decode that settles one half first asks (MODEL.md, mirror-tied decoding).
    /// 0 (the default) draws exactly the masks it always drew.
    /// </summary>
    public double PriorHalfMaskFraction { get; init; }
    /// <summary>
    /// Share of prior examples whose text is dropped (no tokens), so the prior also learns
    /// p(codes) without text: classifier-free guidance (PriorConfig.Guidance) needs it.
    /// </summary>
    public double PriorTextDropout { get; init; } = 0.1;
    /// <summary>
    /// Continue the prior of this finished checkpoint (a new schedule of PriorSteps steps) on its
    /// frozen autoencoder and tokenizer: a prior fine-tune, e.g. with text dropout for guidance.
    /// Ignored when the run folder already has a checkpoint to resume.
    /// </summary>
    public string? PriorFrom { get; init; }

    public int EvalEvery { get; init; } = 1000;
    public int Seed { get; init; } = 1;
    public string Device { get; init; } = "auto";
    /// <summary>libtorch threads; 0 = one per core.</summary>
    public int Threads { get; init; }
    /// <summary>Continue from OutputDir/checkpoint-latest.ckpt when it exists.</summary>
    public bool Resume { get; init; } = true;
    /// <summary>
    /// Start from the autoencoder of this checkpoint, whatever its shape, and train only the prior (a new text model on a
    /// trained VQ-VAE). Ignored when the run folder already has a checkpoint to resume.
    /// </summary>
    public string? AutoencoderFrom { get; init; }
    /// <summary>
    /// Start the autoencoder from this checkpoint's weights (its shape, its codebook and the codebook's averages) and
    /// train both stages as usual; with --materials, an occupancy-only source grows the material channel
    /// (<see cref="AutoencoderGrowth"/>: the grown model starts computing the source's occupancy exactly). Ignored when
    /// the run folder already has a checkpoint to resume.
    /// </summary>
    public string? AutoencoderInit { get; init; }

    /// <summary>
    /// "all" (the default): the autoencoder, then the prior. "decoder": only a decoder, trained on
    /// the frozen code grids of the finished checkpoint <see cref="From"/>. "painter": only a material
    /// painter, trained beside the frozen autoencoder and prior of <see cref="From"/> (TRAINING.md).
    /// </summary>
    public string Stage { get; init; } = AllStages;
    /// <summary>
    /// --from: the finished checkpoint a --stage decoder or painter run starts from; the decoder stage keeps its encoder,
    /// codebook, prior and tokenizer, the painter stage its whole autoencoder, prior and tokenizer.
    /// </summary>
    public string? From { get; init; }
    public int DecoderSteps { get; init; } = 3000;
    public int DecoderBatch { get; init; } = 32;
    public float DecoderLearningRate { get; init; } = 1e-3f;
    /// <summary>The new decoder's trunk width; null = the source checkpoint's.</summary>
    public int? DecoderChannels { get; init; }
    /// <summary>The new decoder's trunk residual blocks; null = the source checkpoint's.</summary>
    public int? DecoderResBlocks { get; init; }
    /// <summary>Residual blocks after each inner upsampling; null = the source checkpoint's.</summary>
    public int? DecoderUpResBlocks { get; init; }
    /// <summary>
    /// Start the decoder from fresh weights. Without it a decoder of the source's shape continues
    /// the source's, and a wider or deeper one grows from it (it starts computing what the
    /// source's did; Training/DecoderTrainer.GrowDecoder); a narrower one always starts fresh.
    /// </summary>
    public bool DecoderFresh { get; init; }

    /// <summary>Steps of the painter stage (batches of (occupancy, blocks, description) triples).</summary>
    public int PainterSteps { get; init; } = 3000;
    public int PainterBatch { get; init; } = 16;
    /// <summary>Peak learning rate of the painter (AdamW, warm-up then cosine decay).</summary>
    public float PainterLearningRate { get; init; } = 2e-3f;
    /// <summary>The painter's shape; its grid comes from the source's autoencoder and its vocabulary from its tokenizer at training time.</summary>
    public PainterConfig Painter { get; init; } = new();
    /// <summary>
    /// The occupancy the painter is given in training and validation: the corpus's true shapes (the default), or the
    /// frozen autoencoder's reconstructions of them, the imperfect shapes it paints at inference (TRAINING.md, stage painter).
    /// </summary>
    public PainterInput PainterInput { get; init; } = PainterInput.True;
    /// <summary>
    /// Weight of the factored painter's slot loss (<c>--painter-slot-weight</c>): the cross-entropy of its slot logits against
    /// the part that set each voxel (walls, roof, towers, chimney, columns, stairs, windows: <see cref="Composition.VoxelOwner"/>),
    /// on the occupied voxels of composed records; 0 leaves the slots latent. Needs <c>--painter-slots</c> of at least 7.
    /// </summary>
    public float PainterSlotWeight { get; init; }
    /// <summary>
    /// With the slot loss (<c>--painter-window-positions</c>): the windows slot is where windows go, whether or not the
    /// building has them (the wall voxels the grammar would glaze), and its block is glass when it has them, else the
    /// walls' block; so the occupancy decides the place and the words decide the glass (MODEL.md "4b"). Off: the windows
    /// slot is the glass panes only, which the occupancy cannot tell from the wall around them.
    /// </summary>
    public bool PainterWindowPositions { get; init; }

    public const string AllStages = "all";
    public const string DecoderStage = "decoder";
    public const string PainterStage = "painter";

    public VqVaeConfig VqVae { get; init; } = new() { ReserveEmptyCode = true };
    /// <summary>The prior's shape; its vocabulary size is set from the tokenizer at training time.</summary>
    public PriorConfig Prior { get; init; } = new();

    /// <summary>Throws with a message that says what to change.</summary>
    public void Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(OutputDir)) problems.Add("--output must name a folder.");
        if (CorpusPath is not null && !File.Exists(CorpusPath)) problems.Add($"--corpus '{CorpusPath}' does not exist.");
        if (AutoencoderFrom is not null && !File.Exists(AutoencoderFrom)) problems.Add($"--autoencoder-from '{AutoencoderFrom}' does not exist.");
        if (CorpusCount < 16) problems.Add("--corpus-count must be at least 16.");
        if (ValidationCount < 1) problems.Add("--validation must be at least 1.");
        if (VqVaeSteps < 0 || PriorSteps < 0) problems.Add("step counts cannot be negative.");
        if (VqVaeBatch < 1 || PriorBatch < 1) problems.Add("batch sizes must be at least 1.");
        if (!(VqVaeLearningRate > 0 && PriorLearningRate > 0)) problems.Add("learning rates must be positive.");
        if (PriorWarmupSteps < 0) problems.Add("the prior's warm-up steps cannot be negative.");
        if (PriorFullMaskFraction is < 0 or > 1) problems.Add("the full-mask fraction must be in [0, 1].");
        if (PriorHalfMaskFraction is < 0 or > 1) problems.Add("the half-mask fraction must be in [0, 1].");
        if (PriorTextDropout is < 0 or >= 1) problems.Add($"--text-dropout must be in [0, 1), got {PriorTextDropout}.");
        if (!PriorConfig.IsValidGuidance(Prior.Guidance)) problems.Add($"--guidance must be in [0, {PriorConfig.MaxGuidance}], got {Prior.Guidance}.");
        if (!PriorConfig.IsValidGuidanceStart(Prior.GuidanceStart)) problems.Add($"--guidance-start must be in [0, 1), got {Prior.GuidanceStart}.");
        if (AutoencoderInit is not null)
        {
            if (!File.Exists(AutoencoderInit)) problems.Add($"--autoencoder-init '{AutoencoderInit}' does not exist.");
            if (AutoencoderFrom is not null || PriorFrom is not null) problems.Add("--autoencoder-init trains the autoencoder: drop --autoencoder-from and --prior-from, which keep one frozen.");
            if (Stage != AllStages) problems.Add("--autoencoder-init starts both stages: drop --stage.");
        }
        if (PriorFrom is not null)
        {
            if (!File.Exists(PriorFrom)) problems.Add($"--prior-from '{PriorFrom}' does not exist.");
            if (AutoencoderFrom is not null) problems.Add("--prior-from already brings its autoencoder: drop --autoencoder-from.");
            if (Stage != AllStages) problems.Add("--prior-from is a prior stage: drop --stage.");
        }
        if (EvalEvery < 1) problems.Add("--eval-every must be at least 1.");
        if (Threads < 0) problems.Add("--threads cannot be negative (0 = one per core).");
        if (Prior.CodeGridSize != VqVae.CodeGridSize) problems.Add($"the prior's code grid ({Prior.CodeGridSize}) must match the VQ-VAE's ({VqVae.CodeGridSize}).");
        if (Prior.CodebookSize != VqVae.CodebookSize) problems.Add("the prior's codebook size must match the VQ-VAE's.");
        if (Prior.DecodeSteps is < 1 or > 32) problems.Add($"--decode-steps is {Prior.DecodeSteps}: set it to 1..32.");
        try { VqVae.Validate(); } catch (ArgumentException e) { problems.Add("VQ-VAE: " + e.Message); }
        if (VqVae.Materials > 0 && Stage == DecoderStage) problems.Add("--stage decoder does not support the material channel yet: drop --materials.");
        if (VqVae.Materials > 0 && Stage == PainterStage) problems.Add("--stage painter keeps the autoencoder of --from as it is (with or without a material channel): drop --materials.");
        if (Stage is not (AllStages or DecoderStage or PainterStage)) problems.Add($"--stage must be '{AllStages}', '{DecoderStage}' or '{PainterStage}', got '{Stage}'.");
        if (Stage is DecoderStage or PainterStage)
        {
            if (From is null) problems.Add($"--stage {Stage} needs --from CKPT (a finished checkpoint, e.g. src/Expert.VqVae/Checkpoints/default.ckpt).");
            else if (!File.Exists(From)) problems.Add($"--from '{From}' does not exist.");
        }
        if (Stage == PainterStage)
        {
            if (PainterSteps < 0) problems.Add("--painter-steps cannot be negative.");
            if (PainterBatch < 1) problems.Add("--painter-batch must be at least 1.");
            if (!(PainterLearningRate > 0) || !float.IsFinite(PainterLearningRate)) problems.Add("--painter-lr must be positive.");
            if (!Enum.IsDefined(PainterInput)) problems.Add($"--painter-input must be '{PainterInputs.True}' or '{PainterInputs.Reconstructed}', got {PainterInput}.");
            try { Painter.Validate(); } catch (ArgumentException e) { problems.Add("painter: " + e.Message); }
            if (!(PainterSlotWeight >= 0) || !float.IsFinite(PainterSlotWeight)) problems.Add("--painter-slot-weight must be 0 or positive.");
            else if (PainterSlotWeight > 0 && Painter.Slots < PainterSlots.Owners)
                problems.Add($"--painter-slot-weight teaches the slots the {PainterSlots.Owners} parts that own voxels: it needs --painter-slots {PainterSlots.Owners} or more, got {Painter.Slots}.");
            if (PainterWindowPositions && !(PainterSlotWeight > 0))
                problems.Add("--painter-window-positions teaches the windows slot through the slot loss: it needs --painter-slot-weight above 0.");
        }
        if (Stage == DecoderStage)
        {
            if (DecoderSteps < 0) problems.Add("--decoder-steps cannot be negative.");
            if (DecoderBatch < 1) problems.Add("--decoder-batch must be at least 1.");
            if (!(DecoderLearningRate > 0)) problems.Add("--decoder-lr must be positive.");
            if (DecoderChannels is { } dc && (dc < 8 || dc % 2 != 0)) problems.Add($"--decoder-channels must be an even number >= 8, got {dc}.");
            if (DecoderResBlocks is { } dr && dr is < 1 or > 8) problems.Add($"--decoder-res-blocks must be 1..8, got {dr}.");
            if (DecoderUpResBlocks is { } du && du is < 0 or > 4) problems.Add($"--decoder-up-res-blocks must be 0..4, got {du}.");
        }
        if (Stage == AllStages && From is not null) problems.Add("--from is for --stage decoder or painter; to train a new prior on an autoencoder use --autoencoder-from.");
        if (problems.Count > 0) throw new ArgumentException("Invalid training options: " + string.Join(" ", problems));
    }
}

/// <summary>
/// What occupancy the painter stage paints in training and validation (<c>--painter-input</c>). Written by name in the
/// run's options (the checkpoint header's <c>trainingOptions.painterInput</c>; absent in runs from before it: <see cref="True"/>).
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<PainterInput>))]
public enum PainterInput
{
    /// <summary>The corpus's true shapes; loss and accuracy on every occupied voxel.</summary>
    True,
    /// <summary>
    /// The frozen source autoencoder's reconstruction of each true shape (encode, quantise, decode, probability above
    /// 0.5); loss and accuracy on the voxels occupied in both the reconstruction and the true shape.
    /// </summary>
    Reconstructed,
}

/// <summary>The command-line names of <see cref="PainterInput"/>.</summary>
public static class PainterInputs
{
    public const string True = "true";
    public const string Reconstructed = "reconstructed";

    public static string Name(PainterInput input) => input switch
    {
        PainterInput.True => True,
        PainterInput.Reconstructed => Reconstructed,
        _ => throw new ArgumentOutOfRangeException(nameof(input), input, "Not a painter input."),
    };

    /// <summary>"true" or "reconstructed" (case-insensitive); throws with the choices otherwise.</summary>
    public static PainterInput Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        True => PainterInput.True,
        Reconstructed => PainterInput.Reconstructed,
        _ => throw new ArgumentException($"--painter-input must be '{True}' or '{Reconstructed}', got '{name}'."),
    };
}
