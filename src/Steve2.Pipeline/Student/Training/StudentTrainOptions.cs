namespace Steve2.Pipeline.Student.Training;

/// <summary>
/// Behaviour cloning's settings (steve2 train-student). Everything a resume needs to be exact is here and is kept in
/// the checkpoint header: the batch order is a pure function of <see cref="Seed"/> and the step, the learning rate a
/// pure function of the step (warmup then cosine), and there is no dropout.
/// </summary>
public sealed record StudentTrainOptions
{
    public string Preset { get; init; } = "small";
    public int Steps { get; init; } = 2000;
    public int BatchSize { get; init; } = 16;
    public double LearningRate { get; init; } = 1e-3;
    public int WarmupSteps { get; init; } = 100;
    public double WeightDecay { get; init; } = 0.01;
    public int Seed { get; init; } = 1;
    /// <summary>Validate (and keep the best checkpoint) every this many steps, and at the end.</summary>
    public int ValidateEvery { get; init; } = 250;
    /// <summary>At most this many held-out examples are generated per validation (an even stride over them).</summary>
    public int ValidationLimit { get; init; } = 300;
    /// <summary>Write checkpoint-latest every this many steps (and at the end).</summary>
    public int CheckpointEvery { get; init; } = 100;

    /// <summary>A pretrained decoder's folder (Llama/Qwen2 layout: config.json, model.safetensors, vocab.json, merges.txt), or null for the preset's own decoder.</summary>
    public string? DecoderPath { get; init; }

    /// <summary>With <see cref="DecoderPath"/>: keep the decoder's weights fixed and train only the ViT and projector.</summary>
    public bool FreezeDecoder { get; init; } = true;

    /// <summary>
    /// Draw each example's role first, uniformly, then an example of that role: the manager answers about 2% of the
    /// recorded decisions, and a manager that never learned its answer leaves every agent idle (STUDENT.md, "Measured").
    /// Off: examples uniformly.
    /// </summary>
    public bool BalanceRoles { get; init; }

    /// <summary>
    /// Draw each example's task first, uniformly, then an example of that task (with <see cref="BalanceRoles"/>: a task's
    /// role): block search gives 39 % of the recorded decisions and object search 12 % (STUDENT.md, "Measured 13:22-15:30").
    /// Off: examples uniformly.
    /// </summary>
    public bool BalanceTasks { get; init; }

    /// <summary>A student checkpoint whose weights start a new run (fine-tuning); its config and tokenizer must match the run's.</summary>
    public string? InitFrom { get; init; }

    /// <summary>
    /// The memory segment's token budget (the prompt keeps its first tokens), or null for the preset's (with
    /// <see cref="InitFrom"/>: the checkpoint's). No weight of a rotary decoder depends on it, so a fine-tune may widen
    /// it: the small preset's 192 cut 22 % of the v10 memories, most of them conductors' (STUDENT.md, "Measured 10:37-11:50").
    /// </summary>
    public int? MemoryTokens { get; init; }

    public StudentTrainOptions Validated()
    {
        if (InitFrom is not null && !File.Exists(InitFrom)) throw new ArgumentException($"--init {InitFrom}: no such checkpoint.");
        if (Steps < 1 || BatchSize < 1 || ValidateEvery < 1 || CheckpointEvery < 1 || ValidationLimit < 1 || WarmupSteps < 0)
            throw new ArgumentException("Steps, batch size, validate-every, checkpoint-every and validation limit must be at least 1, warmup at least 0.");
        if (LearningRate <= 0) throw new ArgumentException("The learning rate must be positive.");
        if (MemoryTokens is < 16 or > 4096) throw new ArgumentException($"--memory-tokens {MemoryTokens}: give 16 to 4096 tokens.");
        if (MemoryTokens is not null && DecoderPath is not null) throw new ArgumentException("--memory-tokens applies to the presets' own decoder, not to a pretrained one (--decoder).");
        _ = Model.StudentConfig.ForPreset(Preset, 300);
        if (DecoderPath is not null && !File.Exists(Path.Combine(DecoderPath, Model.Pretrained.PretrainedDecoderConfig.ConfigFile)))
            throw new ArgumentException($"--decoder {DecoderPath}: no {Model.Pretrained.PretrainedDecoderConfig.ConfigFile} there (a Llama/Qwen2 checkpoint folder).");
        return this;
    }
}
