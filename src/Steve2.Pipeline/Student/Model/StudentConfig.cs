namespace Steve2.Pipeline.Student.Model;

/// <summary>The ViT over the agent's egocentric image: square patches, a learned position per patch, pre-norm blocks.</summary>
/// <param name="ImageSize">Side of the (square, RGB) image in pixels: 64, the world's egocentric view.</param>
/// <param name="PatchSize">Side of a patch; the image becomes (ImageSize / PatchSize)^2 tokens.</param>
public sealed record VisionConfig(int ImageSize, int PatchSize, int Width, int Depth, int Heads)
{
    public int PatchesPerSide => ImageSize / PatchSize;
    public int Tokens => PatchesPerSide * PatchesPerSide;
}

/// <summary>The causal decoder: a token embedding, positions, pre-norm blocks, a final norm, a tied head and a copy head.</summary>
/// <param name="VocabularySize">Rows of the embedding table (the tokenizer's VocabularySize).</param>
/// <param name="MaxPositions">The longest sequence (prompt, image tokens and answer) the model reads.</param>
/// <param name="Rotary">Rotary positions on every layer's queries and keys (<see cref="Model.Rotary"/>) instead of a learned
/// position table added to the input. An answer copies places and names from its prompt (<c>goto 12 10 66</c> from
/// <c>deep floor: 12 10 66</c>); attention that sees relative offsets learns that copy, where a learned table had to
/// be learned for every absolute position (STUDENT.md, "The model"). Checkpoints written before it read as false.</param>
/// <param name="Copy">A <see cref="CopyHead"/> mixes a pointer over the tokens read so far into the vocabulary's distribution:
/// the answer's places, counts and names are copied, not regenerated. Checkpoints written before it read as false.</param>
public sealed record DecoderConfig(int VocabularySize, int Width, int Depth, int Heads, int MaxPositions, bool Rotary = false, bool Copy = false);

/// <summary>
/// The student's resolved configuration, written in every checkpoint header (nanoGPT's rule): the vision
/// encoder, the projector's hidden width (vision width to decoder width through one GELU layer), the decoder,
/// and the text budgets of the prompt's segments (tokens kept from the start of each).
/// </summary>
public sealed record StudentConfig(
    string Preset,
    VisionConfig Vision,
    int ProjectorHidden,
    DecoderConfig Decoder,
    int MaxInstructionTokens,
    int MaxStateTokens,
    int MaxMemoryTokens,
    int MaxActionTokens)
{
    /// <summary>
    /// The pretrained decoder this student was made around (its config and the SHA-256 of its files), or null for the
    /// from-scratch decoder. The vision encoder and the text budgets still come from <see cref="Preset"/>.
    /// </summary>
    public Pretrained.PretrainedDecoderConfig? Pretrained { get; init; }

    /// <summary>The preset names: tiny (tests, seconds), small (the CPU default), base (for a GPU).</summary>
    public static IReadOnlyList<string> Presets { get; } = ["tiny", "small", "base"];

    /// <summary>The longest prompt: bos, role, the three text segments with their markers, the image tokens and the action marker.</summary>
    public int MaxPromptTokens => 2 + 3 + MaxInstructionTokens + MaxStateTokens + MaxMemoryTokens + Vision.Tokens + 1;

    /// <summary>A preset for a vocabulary of <paramref name="vocabularySize"/> ids, with the preset's memory budget or <paramref name="memoryTokens"/>.</summary>
    public static StudentConfig ForPreset(string preset, int vocabularySize, int? memoryTokens = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(vocabularySize, 8);
        StudentConfig c = preset switch
        {
            "tiny" => new(preset, new VisionConfig(64, 16, 32, 1, 2), 64, new DecoderConfig(vocabularySize, 32, 1, 2, 0, Rotary: true, Copy: true), 32, 64, 96, 48),
            "small" => new(preset, new VisionConfig(64, 8, 96, 2, 4), 192, new DecoderConfig(vocabularySize, 192, 4, 4, 0, Rotary: true, Copy: true), 40, 160, 192, 64),
            "base" => new(preset, new VisionConfig(64, 8, 256, 6, 8), 512, new DecoderConfig(vocabularySize, 512, 8, 8, 0, Rotary: true, Copy: true), 48, 256, 256, 96),
            _ => throw new ArgumentException($"Unknown student preset '{preset}': use {string.Join(", ", Presets)}.", nameof(preset)),
        };
        if (memoryTokens is int m) c = c with { MaxMemoryTokens = m };
        return c with { Decoder = c.Decoder with { MaxPositions = c.MaxPromptTokens + c.MaxActionTokens + 1 } };
    }

    /// <summary>Throws with what is wrong when the sizes cannot work together.</summary>
    public StudentConfig Validated()
    {
        if (Vision.ImageSize % Vision.PatchSize != 0) throw new ArgumentException($"The patch size {Vision.PatchSize} does not divide the image size {Vision.ImageSize}.");
        if (Vision.Width % Vision.Heads != 0) throw new ArgumentException($"The vision width {Vision.Width} is not a multiple of its {Vision.Heads} heads.");
        if (Decoder.Width % Decoder.Heads != 0) throw new ArgumentException($"The decoder width {Decoder.Width} is not a multiple of its {Decoder.Heads} heads.");
        if (Decoder.Rotary && Decoder.Width / Decoder.Heads % 2 != 0) throw new ArgumentException($"Rotary positions rotate pairs: the decoder's head width {Decoder.Width / Decoder.Heads} must be even.");
        if (Decoder.MaxPositions < MaxPromptTokens + MaxActionTokens + 1)
            throw new ArgumentException($"The decoder's {Decoder.MaxPositions} positions cannot hold a {MaxPromptTokens}-token prompt and a {MaxActionTokens}-token answer.");
        return this;
    }
}
