using Steve2.Pipeline.Student.Model.Pretrained;
using TorchSharp;
using static TorchSharp.torch;

namespace Steve2.Pipeline.Student.Model;

/// <summary>
/// The student (paper: ViT encoder, MLP projector, LLM decoder): the image goes through the
/// <see cref="VisionEncoder"/> and the <see cref="ModalityProjector"/> into the decoder's embedding space,
/// where its tokens take the places of the sequence's image slots (the <c>&lt;image&gt;</c> token id, exactly
/// <see cref="VisionConfig.Tokens"/> of them in every row that has an image); the <see cref="LanguageDecoder"/>
/// reads the whole sequence causally and predicts the next token. One model for every role: the role is a token
/// of the prompt (Student/Data/StudentPrompt.cs).
/// </summary>
public sealed class StudentModel : nn.Module
{
    private readonly VisionEncoder vision;
    private readonly ModalityProjector projector;
    private readonly nn.Module decoder;    // an IStudentDecoder: LanguageDecoder, or PretrainedDecoder

    /// <summary>A student with a from-scratch <see cref="LanguageDecoder"/> (the presets).</summary>
    public StudentModel(StudentConfig config, int imageTokenId) : this(config, imageTokenId, new LanguageDecoder(config.Decoder))
    {
    }

    private StudentModel(StudentConfig config, int imageTokenId, nn.Module decoder) : base(nameof(StudentModel))
    {
        Config = config.Validated();
        ImageTokenId = imageTokenId;
        vision = new VisionEncoder(config.Vision);
        projector = new ModalityProjector(config.Vision.Width, config.ProjectorHidden, config.Decoder.Width);
        this.decoder = decoder;
        RegisterComponents();
    }

    /// <summary>
    /// A student around a pretrained decoder: the ViT of <paramref name="config"/>'s preset, a projector into the LM's
    /// width (hidden layer as wide as the LM), the LM's vocabulary and positions; the image slots' id is one past the LM's
    /// vocabulary. The config records the decoder's identity (<see cref="StudentConfig.Pretrained"/>).
    /// </summary>
    public static StudentModel WithPretrained(StudentConfig config, PretrainedDecoder decoder)
    {
        var p = decoder.Config;
        config = config with
        {
            ProjectorHidden = p.Hidden,
            Decoder = new DecoderConfig(p.VocabularySize, p.Hidden, p.Layers, p.Heads, p.MaxPositions),
            Pretrained = p,
        };
        return new StudentModel(config, decoder.ImageTokenId, decoder);
    }

    /// <summary>
    /// The same weights with another memory budget (<see cref="StudentConfig.MaxMemoryTokens"/>, and the positions to
    /// hold it): a new model, this one untouched. Only a from-scratch decoder with rotary positions has no weight that
    /// depends on the prompt's length; any other throws.
    /// </summary>
    public StudentModel WithMemoryTokens(int memoryTokens)
    {
        if (Config.Pretrained is not null || !Config.Decoder.Rotary)
            throw new ArgumentException("Only a preset student with rotary positions can change its memory budget: a learned position table or a pretrained decoder has a fixed length.");
        var config = Config with { MaxMemoryTokens = memoryTokens };
        config = config with { Decoder = config.Decoder with { MaxPositions = config.MaxPromptTokens + config.MaxActionTokens + 1 } };
        var wider = new StudentModel(config, ImageTokenId);
        wider.to(parameters().First().device);
        wider.load_state_dict(state_dict());
        return wider;
    }

    /// <summary>The decoder (from scratch or pretrained).</summary>
    public IStudentDecoder Decoder => (IStudentDecoder)decoder;

    public StudentConfig Config { get; }

    /// <summary>The token id that marks an image slot in a sequence.</summary>
    public int ImageTokenId { get; }

    /// <summary>The modules in checkpoint order (Student/Training/StudentCheckpoint.cs); a frozen pretrained decoder is
    /// not saved (it is read from its folder).</summary>
    public IReadOnlyList<nn.Module> Parts => Config.Pretrained is { Frozen: true } ? [vision, projector] : [vision, projector, decoder];

    /// <summary>
    /// Next-token logits [B, T, V] (with a copy head, <see cref="DecoderConfig.Copy"/>, normalised log-probabilities: read
    /// them as logits). <paramref name="ids"/> [B, T] (int64), <paramref name="keyMask"/> [B, T] true at real
    /// tokens, <paramref name="images"/> [B, 3, S, S] float 0..1 (null when no row has image slots, e.g. a cached decoding step).
    /// With <paramref name="at"/> ([B, T] bool) only those positions' logits, [N, V] (training scores the answer's positions
    /// only; generation reads the last one).
    /// </summary>
    public Tensor Logits(Tensor ids, Tensor keyMask, Tensor? images, KvCache? cache = null, Tensor? at = null)
    {
        using var scope = NewDisposeScope();
        Tensor embeddings = Decoder.Embed(ids);
        if (images is not null)
        {
            long b = ids.shape[0], t = ids.shape[1], n = Config.Vision.Tokens, d = Config.Decoder.Width;
            Tensor imageTokens = projector.forward(vision.forward(images));                    // [B, N, D]
            Tensor isImage = ids.eq(ImageTokenId);
            Tensor rank = isImage.to(ScalarType.Int64).cumsum(1) - 1;
            Tensor own = arange(b * t, device: ids.device).view(b, t);
            Tensor fromImage = (arange(b, device: ids.device).unsqueeze(1) * n + rank.clamp_min(0)).add(b * t);
            Tensor source = where(isImage, fromImage, own).view(-1);
            Tensor table = cat([embeddings.view(b * t, d), imageTokens.reshape(b * n, d)], 0);
            embeddings = table.index_select(0, source).view(b, t, d);
        }
        return Decoder.Forward(embeddings, keyMask, cache, at, ids).MoveToOuterDisposeScope();
    }

    /// <summary>A new cache for incremental decoding with this model.</summary>
    public KvCache NewCache() => new(Decoder.Depth);

    /// <summary>The number of parameters.</summary>
    public long ParameterCount => parameters().Sum(p => p.numel());
}
