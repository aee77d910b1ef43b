using System.Text.Json.Serialization;
using Expert.VqVae.Materials;

namespace Expert.VqVae.Model;

/// <summary>
/// Shape of the material painter (<see cref="MaterialPainter"/>, MODEL.md "4. Materials from words"): a 3D
/// convolutional path over the occupancy that halves the grid twice (widths <see cref="Channels"/>, 2x, 4x) down to
/// the coarse grid (<see cref="GridSize"/> / 4 per edge), a text encoder of <see cref="TextLayers"/> bidirectional
/// blocks, <see cref="Layers"/> pairs of cross-attention (voxels read the words) and self-attention (voxels read each
/// other) at the coarse grid, and transposed convolutions back to the grid with the skips, to <see cref="Blocks"/>
/// logits a voxel. Saved in a checkpoint's header (<c>painter</c>); validated in the painter's constructor.
/// </summary>
public sealed record PainterConfig
{
    /// <summary>Edge of the occupancy grid (the autoencoder's <see cref="VqVaeConfig.GridSize"/>).</summary>
    public int GridSize { get; init; } = 32;
    /// <summary>Block classes K: class c is <see cref="BlockMaterial"/> value c + 1 (6 = every block of the world).</summary>
    public int Blocks { get; init; } = BlockMaterials.Count - 1;
    /// <summary>The painter's own tokenizer's vocabulary (set from it at training time).</summary>
    public int VocabularySize { get; init; } = 1024;
    /// <summary>Text tokens read; the rest is cut (the v2 corpus's longest descriptions are about 70 word pieces).</summary>
    public int MaxTextTokens { get; init; } = 96;
    /// <summary>Width of the convolutional path at the grid's resolution; twice that at half, four times at a quarter.</summary>
    public int Channels { get; init; } = 16;
    /// <summary>Width of the text encoder and of the attention at the coarse grid.</summary>
    public int ModelDim { get; init; } = 64;
    public int Heads { get; init; } = 4;
    /// <summary>Bidirectional transformer blocks over the text tokens.</summary>
    public int TextLayers { get; init; } = 2;
    /// <summary>Pairs of (cross-attention to the text, self-attention over the voxels) at the coarse grid.</summary>
    public int Layers { get; init; } = 2;
    public float Dropout { get; init; }
    /// <summary>
    /// 0: the painter of MODEL.md section 4, whose voxels read the words. N &gt; 0: the <b>factored</b> painter of section
    /// 4b: the voxels, blind to the words, choose among N latent parts; N learned queries, blind to the grid, read the words
    /// and give each part a block; a voxel's block is the mixture. Left out of the header when 0, so every checkpoint
    /// from before it re-saves byte for byte.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int Slots { get; init; }
    /// <summary>
    /// Factored painter only: how a slot's query reads the words (MODEL.md "4b", <see cref="Model.SlotReading"/>): where it
    /// points (the keys) and what it reads there (the values). Left out of the header when <see cref="SlotReading.Encoded"/>,
    /// so earlier checkpoints re-save byte for byte.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public SlotReading SlotReading { get; init; }

    /// <summary>Edge of the coarse grid the attention works on (two halvings).</summary>
    [JsonIgnore]
    public int CoarseSize => GridSize / 4;

    /// <summary>Positions of the coarse grid (512 for a 32^3 grid).</summary>
    [JsonIgnore]
    public int CoarseCells => CoarseSize * CoarseSize * CoarseSize;

    public void Validate()
    {
        if (GridSize < 8 || (GridSize & (GridSize - 1)) != 0) throw new ArgumentException($"GridSize must be a power of two >= 8, got {GridSize}.");
        if (Blocks < 1 || Blocks > BlockMaterials.Count - 1) throw new ArgumentException($"Blocks must be 1 to {BlockMaterials.Count - 1} (every block), got {Blocks}.");
        if (VocabularySize < 3) throw new ArgumentException("VocabularySize must be at least 3 (pad, unknown, one token).");
        if (MaxTextTokens < 1) throw new ArgumentException("MaxTextTokens must be positive.");
        if (Channels < 4) throw new ArgumentException($"Channels must be at least 4, got {Channels}.");
        if (Heads < 1 || ModelDim < Heads || ModelDim % Heads != 0) throw new ArgumentException($"ModelDim ({ModelDim}) must be a positive multiple of Heads ({Heads}).");
        if (TextLayers < 1) throw new ArgumentException("TextLayers must be at least 1 (the words must see each other to tie a block to a part).");
        if (Layers < 1) throw new ArgumentException("Layers must be at least 1.");
        if (Slots is < 0 or > 32) throw new ArgumentException($"Slots must be 0 (the unfactored painter) to 32, got {Slots}.");
        if (!Enum.IsDefined(SlotReading)) throw new ArgumentException($"SlotReading must be Encoded, Words, Local or Neighbours, got {SlotReading}.");
        if (SlotReading != SlotReading.Encoded && Slots == 0) throw new ArgumentException("SlotReading is for the factored painter (Slots > 0): the unfactored painter has no slots to read the words.");
        if (Dropout is < 0f or >= 1f || float.IsNaN(Dropout)) throw new ArgumentException("Dropout must be in [0, 1).");
    }
}

/// <summary>How the factored painter's slot queries read the words (<see cref="PainterConfig.SlotReading"/>, MODEL.md "4b").</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SlotReading>))]
public enum SlotReading
{
    /// <summary>Keys and values from the text encoder's output (every painter before 2026-12-07 afternoon).</summary>
    Encoded,
    /// <summary>Keys from the text encoder's output; values the words' own embeddings, before positions or neighbours reach them.</summary>
    Words,
    /// <summary>
    /// Keys from a window of <see cref="SlotReader.Window"/> tokens either side of each word (two convolutions over the
    /// words' embeddings, no positions); values the words' own embeddings. Where a slot points then depends only on a
    /// word's neighbours ("four sandstone towers", "a dome of glass"), never on which other parts the text names.
    /// </summary>
    Local,
    /// <summary>
    /// Keys from the <see cref="SlotReader.Window"/> tokens either side of each word but not the word itself (one
    /// convolution with its centre tap held at zero), plus one score per word from its own embedding that every slot shares
    /// (is it a material word at all); values the words' own embeddings. A slot then cannot learn to avoid a block's word,
    /// only to look beside the name of its part.
    /// </summary>
    Neighbours,
}
