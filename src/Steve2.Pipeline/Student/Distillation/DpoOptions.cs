namespace Steve2.Pipeline.Student.Distillation;

/// <summary>
/// The DPO + MLE trainer's settings (kept in the run folder as dpo-options.json, so a resume uses the run's own). The
/// batch order is a pure function of <see cref="Seed"/> and the step, the rate a pure function of the step.
/// </summary>
public sealed record DpoOptions
{
    /// <summary>DPO's temperature beta (the implicit reward's scale).</summary>
    public double Beta { get; init; } = 0.1;

    /// <summary>The MLE term's factor lambda.</summary>
    public double Lambda { get; init; } = 0.1;

    /// <summary>
    /// The anchor term's factor: the MLE of the teacher's label at every labelled state of the rounds (the `labels/` folder
    /// beside each pair folder: DAgger's aggregated data, the states where the student already answered right included),
    /// a batch of them each step beside the pairs. 0 (the default) trains on the pairs alone.
    /// </summary>
    public double Anchor { get; init; }

    /// <summary>
    /// Recordings the reference was cloned from (a <c>steve2 record</c> folder): their training decisions join the anchor
    /// set, as DAgger aggregates the first demonstrations with every round's labels. Null: the rounds' labels alone.
    /// </summary>
    public string? AnchorData { get; init; }

    /// <summary>Every pair weight 1 (the ablation of the per-sample weights).</summary>
    public bool UniformWeights { get; init; }

    public int Steps { get; init; } = 300;

    /// <summary>
    /// Share of each pair folder's labelled episodes held out of training to choose the step kept (<see cref="DpoSelection"/>):
    /// the student is measured on their labelled states before the first step and at every checkpoint, and the best is
    /// kept. 0: no selection, the last step is kept.
    /// </summary>
    public double HoldoutFraction { get; init; } = 0.2;

    /// <summary>At most this many held-out states are measured (an even stride of them).</summary>
    public int SelectionLimit { get; init; } = 200;

    /// <summary>Pairs per step (each is two sequences).</summary>
    public int BatchSize { get; init; } = 8;
    public double LearningRate { get; init; } = 2e-4;
    public int WarmupSteps { get; init; } = 20;
    public double WeightDecay { get; init; } = 0.01;
    public int Seed { get; init; } = 1;
    public int CheckpointEvery { get; init; } = 50;

    public DpoOptions Validated()
    {
        if (Steps < 1 || BatchSize < 1 || CheckpointEvery < 1 || WarmupSteps < 0)
            throw new ArgumentException("DPO steps, batch size and checkpoint-every must be at least 1, warmup at least 0.");
        if (Beta <= 0 || Lambda < 0 || LearningRate <= 0) throw new ArgumentException("DPO's beta and learning rate must be positive, lambda at least 0.");
        if (Anchor < 0 || double.IsNaN(Anchor)) throw new ArgumentException($"The anchor factor must be at least 0, got {Anchor}.");
        if (!(HoldoutFraction >= 0 && HoldoutFraction < 1)) throw new ArgumentException($"The held-out share must be in [0, 1), got {HoldoutFraction}.");
        if (SelectionLimit < 1) throw new ArgumentException($"The selection limit must be at least 1, got {SelectionLimit}.");
        if (AnchorData is not null && Anchor == 0) throw new ArgumentException("--anchor-data needs --anchor above 0.");
        if (AnchorData is not null && !System.IO.Directory.Exists(AnchorData)) throw new ArgumentException($"--anchor-data {AnchorData}: no such folder.");
        return this;
    }
}
