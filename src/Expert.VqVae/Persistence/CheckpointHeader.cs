using System.Text.Json;
using System.Text.Json.Serialization;
using Expert.VqVae.Model;

namespace Expert.VqVae.Persistence;

/// <summary>What a checkpoint says about itself: the resolved config beside the weights.</summary>
public sealed record CheckpointHeader
{
    public const int CurrentFormat = 1;

    public int Format { get; init; } = CurrentFormat;
    /// <summary>A short name for logs and gRPC responses, e.g. "vqvae-prior-20261126-a1b2c3".</summary>
    public required string ModelVersion { get; init; }
    public required VqVaeConfig VqVae { get; init; }
    /// <summary>Null while only the autoencoder has been trained.</summary>
    public PriorConfig? Prior { get; init; }
    /// <summary>The tokenizer's compact vocabulary (see Text/DescriptionTokenizer.cs).</summary>
    public int[] TokenizerBpeIds { get; init; } = [];
    /// <summary>"vqvae" (pre-training the autoencoder), "prior" (text fine-tuning), "decoder" (decoder fine-tuning), "painter" (the material painter) or "done".</summary>
    public required string Stage { get; init; }
    public int VqVaeStep { get; init; }
    public int PriorStep { get; init; }
    /// <summary>Steps of the decoder fine-tuning stage (Training/DecoderTrainer.cs); 0 and not written when it never ran.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int DecoderStep { get; init; }
    /// <summary>The model version whose frozen encoder, codebook and prior a fine-tuned decoder was trained under.</summary>
    public string? DecoderFrom { get; init; }
    /// <summary>
    /// The one code the prior was trained to use for all-empty blocks (see
    /// Training/ImaginationTrainer.CanonicalizeEmptyBlocks); null before the prior stage.
    /// </summary>
    public long? EmptyCode { get; init; }
    /// <summary>
    /// The material painter's shape (Model/MaterialPainter.cs, MODEL.md "4. Materials from words"); null, and not
    /// written, when the checkpoint has no painter (every checkpoint before it). With a painter its state follows the
    /// prior's in the file (Persistence/ModelCheckpoint.cs).
    /// </summary>
    public PainterConfig? Painter { get; init; }
    /// <summary>The painter's own tokenizer (compact BPE ids, as <see cref="TokenizerBpeIds"/>); null and not written without a painter.</summary>
    public int[]? PainterTokenizerBpeIds { get; init; }
    /// <summary>Steps of the painter stage (Training/PainterTrainer.cs); 0 and not written when it never ran.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int PainterStep { get; init; }
    /// <summary>The model version whose autoencoder, prior and tokenizer the painter was trained beside.</summary>
    public string? PainterFrom { get; init; }
    /// <summary>Best validation metric so far (stage dependent; see TRAINING.md).</summary>
    public double BestMetric { get; init; }
    public Dictionary<string, double> Metrics { get; init; } = new();
    /// <summary>The training options that produced the checkpoint, as JSON.</summary>
    public JsonElement? TrainingOptions { get; init; }
    /// <summary>
    /// The painter stage's own run options, as JSON: written by that stage beside <see cref="TrainingOptions"/> and kept by
    /// the stages after it (a prior or decoder run from a painted checkpoint records its own options in
    /// <see cref="TrainingOptions"/>), so what taught the painter stays readable. Null, and not written, without a painter
    /// and in checkpoints from before it (Training/PainterTrainer.cs reads those from <see cref="TrainingOptions"/> when a
    /// painter run wrote them).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? PainterTrainingOptions { get; init; }
    /// <summary>
    /// The model version whose weights this checkpoint carries unchanged with other decoding defaults (the prior config's
    /// steps, guidance, guidance start, mirror tie; `vqvae decoding`, Persistence/DecodingDefaults.cs); null, and not
    /// written, when its defaults are those its training run recorded.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? DecodingFrom { get; init; }
    /// <summary>True when the optimiser state of the current stage follows the weights (resume).</summary>
    public bool HasOptimizerState { get; init; }
    /// <summary>
    /// What a resumed run needs besides weights and optimiser state to go on exactly as an
    /// uninterrupted one (Training/ImaginationTrainer.cs): written in the resume points of stages
    /// <c>vqvae</c> and <c>prior</c>, null (and not written) elsewhere.
    /// </summary>
    public ResumeState? Resume { get; init; }
    public DateTimeOffset SavedAt { get; init; } = DateTimeOffset.UtcNow;
}

/// <summary>Where a run stood, past its weights and optimiser state, when a resume point was written.</summary>
/// <param name="TorchCpuGenerator">libtorch's default CPU generator state (base64), which dropout and
/// the codebook's dead-code restarts draw from; a resumed run restores it instead of reseeding.</param>
/// <param name="CodebookRestarts">The quantiser's restart count (logged as <c>codebook/restarts</c>), which is not a weight.</param>
public sealed record ResumeState(string TorchCpuGenerator, long CodebookRestarts);
