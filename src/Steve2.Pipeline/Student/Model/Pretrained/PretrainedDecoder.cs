using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Steve2.Pipeline.Student.Model.Pretrained;

/// <summary>
/// A pretrained causal LM in the Llama/Qwen2 layout as the student's decoder (STUDENT.md, "A pretrained decoder").
/// Module names follow the Hugging Face tensor names (<c>model.embed_tokens</c>, <c>model.layers.N...</c>,
/// <c>model.norm</c>, <c>lm_head</c>), so a checkpoint's safetensors load by name (<see cref="Load"/>, through
/// TorchSharp.PyBridge). Positions are rotary and count real tokens only, as in <see cref="LanguageDecoder"/>, with the
/// same masks (<see cref="CausalMask"/>) and <see cref="KvCache"/>. Weights are kept in float32 (bf16/f16 files are
/// converted). The image slots' id is <see cref="PretrainedDecoderConfig.VocabularySize"/>, one past the table: it is
/// embedded as the last row and replaced by the projected image tokens (<see cref="StudentModel"/>).
/// </summary>
public sealed class PretrainedDecoder : nn.Module, IStudentDecoder
{
    private readonly LlamaBody model;
#pragma warning disable IDE0044, CS0649   // null when the head is tied to the embedding table
    private readonly Linear? lm_head;
#pragma warning restore IDE0044, CS0649

    public PretrainedDecoder(PretrainedDecoderConfig config, PretrainedTokenizer tokenizer) : base(nameof(PretrainedDecoder))
    {
        Config = config.Validated();
        Tokenizer = tokenizer;
        model = new LlamaBody("model", config);
        if (!config.TieEmbeddings) lm_head = nn.Linear(config.Hidden, config.VocabularySize, hasBias: false);
        RegisterComponents();
        if (config.Frozen)
            foreach (var p in parameters()) p.requires_grad = false;
    }

    public PretrainedDecoderConfig Config { get; }
    public PretrainedTokenizer Tokenizer { get; }
    public int Depth => Config.Layers;

    /// <summary>The id of an image slot: one past the vocabulary.</summary>
    public int ImageTokenId => Config.VocabularySize;

    /// <summary>Reads the decoder (config, tokenizer, weights) from <paramref name="folder"/>; with <paramref name="expected"/>, first checks the files are the same.</summary>
    public static PretrainedDecoder Load(string folder, bool frozen, PretrainedDecoderConfig? expected = null)
    {
        var config = PretrainedDecoderConfig.Read(folder, frozen);
        if (expected is not null) config.CheckSameFiles(expected);
        var decoder = new PretrainedDecoder(config, PretrainedTokenizer.Load(config.Folder));
        decoder.LoadWeights();
        return decoder;
    }

    /// <summary>
    /// Copies the safetensors weights into the modules by name (shape checked; converted to float32). Every module
    /// tensor must be in the files (but <c>lm_head</c> when tied); a file tensor the model lacks is an error, except
    /// the rotary tables some exporters leave in.
    /// </summary>
    public void LoadWeights()
    {
        var targets = state_dict();
        var loaded = new HashSet<string>(StringComparer.Ordinal);
        using (no_grad())
            foreach (string file in PretrainedDecoderConfig.WeightFiles(Config.Folder))
            {
                var tensors = Safetensors.LoadStateDict(file);
                try
                {
                    foreach (var (name, source) in tensors)
                    {
                        if (name.EndsWith("rotary_emb.inv_freq", StringComparison.Ordinal) || (Config.TieEmbeddings && name == "lm_head.weight")) continue;
                        if (!targets.TryGetValue(name, out Tensor? target))
                            throw new ArgumentException($"{file}: the tensor '{name}' has no place in a {Config.ModelType} decoder of {Config.Layers} layers.");
                        if (!target.shape.SequenceEqual(source.shape))
                            throw new ArgumentException($"{file}: '{name}' is [{string.Join(", ", source.shape)}], the config says [{string.Join(", ", target.shape)}].");
                        target.copy_(source.to(target.dtype));
                        loaded.Add(name);
                    }
                }
                finally
                {
                    foreach (var t in tensors.Values) t.Dispose();
                }
            }
        var missing = targets.Keys.Where(k => !loaded.Contains(k)).ToList();
        if (missing.Count > 0) throw new ArgumentException($"The pretrained decoder in {Config.Folder} lacks {missing.Count} tensors: {string.Join(", ", missing.Take(5))}...");
    }

    public Tensor Embed(Tensor ids) => model.Embed(ids.clamp(0, Config.VocabularySize - 1));

    public Tensor Forward(Tensor embeddings, Tensor keyMask, KvCache? cache = null, Tensor? at = null, Tensor? ids = null)
    {
        using var scope = NewDisposeScope();
        var (positionIds, allKeys, mask) = CausalMask.Build(keyMask, cache, Config.MaxPositions);
        var (cos, sin) = Rotary.Angles(positionIds, Config.HeadDim, Config.RopeTheta);
        Tensor h = model.Forward(embeddings, cos, sin, mask, cache);
        if (at is not null) h = h[at];
        Tensor logits = lm_head is null ? matmul(h, model.EmbeddingTable.t()) : lm_head.forward(h);
        if (cache is not null)
            cache.Advance(allKeys.MoveToOuterDisposeScope(), (positionIds[.., -1] + 1).MoveToOuterDisposeScope());
        return logits.MoveToOuterDisposeScope();
    }
}

/// <summary>The LM body (<c>model.</c> in the tensor names): <c>embed_tokens</c>, <c>layers</c>, <c>norm</c>.</summary>
public sealed class LlamaBody : nn.Module
{
    private readonly Embedding embed_tokens;
    private readonly ModuleList<LlamaBlock> layers;
    private readonly RmsNorm norm;

    public LlamaBody(string name, PretrainedDecoderConfig c) : base(name)
    {
        embed_tokens = nn.Embedding(c.VocabularySize, c.Hidden);
        layers = nn.ModuleList(Enumerable.Range(0, c.Layers).Select(i => new LlamaBlock($"{i}", c)).ToArray());
        norm = new RmsNorm("norm", c.Hidden, c.RmsNormEps);
        RegisterComponents();
    }

    public Tensor EmbeddingTable => embed_tokens.weight!;

    public Tensor Embed(Tensor ids) => embed_tokens.forward(ids);

    /// <summary>The final hidden states [B, T, Hidden] (after the last norm).</summary>
    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, Tensor mask, KvCache? cache)
    {
        using var scope = NewDisposeScope();
        for (int i = 0; i < layers.Count; i++) x = layers[i].Forward(x, cos, sin, mask, cache, i);
        return norm.forward(x).MoveToOuterDisposeScope();
    }
}
