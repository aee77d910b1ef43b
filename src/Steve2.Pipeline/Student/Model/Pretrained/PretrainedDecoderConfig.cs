using System.Security.Cryptography;
using System.Text.Json;

namespace Steve2.Pipeline.Student.Model.Pretrained;

/// <summary>
/// A pretrained causal LM in the Llama/Qwen2 layout (Hugging Face's <c>config.json</c> field names) and its identity:
/// the folder it was read from and the SHA-256 of every file read (config, weights, tokenizer files). Kept in the
/// student checkpoint's config, so a checkpoint names exactly the decoder it was trained around, and loading it
/// checks that the files are still the same.
/// </summary>
/// <param name="Folder">The decoder's folder (absolute).</param>
/// <param name="Architecture">config.json's first <c>architectures</c> entry (e.g. Qwen2ForCausalLM).</param>
/// <param name="ModelType">config.json's <c>model_type</c>: llama or qwen2.</param>
/// <param name="HeadDim">Width of one attention head (<c>head_dim</c>, else hidden / heads).</param>
/// <param name="AttentionBias">Whether q/k/v projections have biases (Qwen2: yes; Llama: <c>attention_bias</c>).</param>
/// <param name="Files">SHA-256 (lower-case hex) of each file read, by name.</param>
/// <param name="Frozen">Whether the decoder's weights stay fixed while the ViT and projector train (then the student
/// checkpoint holds no decoder weights: they are read from <see cref="Folder"/>).</param>
public sealed record PretrainedDecoderConfig(
    string Folder,
    string Architecture,
    string ModelType,
    int VocabularySize,
    int Hidden,
    int Layers,
    int Heads,
    int KeyValueHeads,
    int HeadDim,
    int Intermediate,
    double RmsNormEps,
    double RopeTheta,
    int MaxPositions,
    bool TieEmbeddings,
    bool AttentionBias,
    int? BosId,
    int EosId,
    IReadOnlyDictionary<string, string> Files,
    bool Frozen)
{
    public const string ConfigFile = "config.json";
    public const string WeightsFile = "model.safetensors";
    public const string WeightsIndexFile = "model.safetensors.index.json";
    public const string VocabFile = "vocab.json";
    public const string MergesFile = "merges.txt";

    /// <summary>Reads <c>config.json</c> of <paramref name="folder"/> and hashes the files the decoder is made of.</summary>
    /// <exception cref="ArgumentException">A missing file, another architecture, or a setting this decoder does not implement.</exception>
    public static PretrainedDecoderConfig Read(string folder, bool frozen)
    {
        folder = Path.GetFullPath(folder);
        string configPath = Path.Combine(folder, ConfigFile);
        if (!File.Exists(configPath)) throw new ArgumentException($"No {ConfigFile} in {folder}: give the folder of a Llama/Qwen2 checkpoint (config.json, model.safetensors, vocab.json, merges.txt).");
        using var doc = JsonDocument.Parse(File.ReadAllText(configPath));
        var c = doc.RootElement;
        string modelType = Str(c, "model_type") ?? "";
        if (modelType is not ("llama" or "qwen2"))
            throw new ArgumentException($"{configPath}: model_type '{modelType}' is not supported; the pretrained decoder reads the llama and qwen2 layouts.");
        if (c.TryGetProperty("rope_scaling", out var scaling) && scaling.ValueKind != JsonValueKind.Null)
            throw new ArgumentException($"{configPath}: rope_scaling is set; this decoder implements plain rotary positions only (Qwen2, Llama 2, SmolLM, TinyLlama).");
        string architecture = c.TryGetProperty("architectures", out var a) && a.ValueKind == JsonValueKind.Array && a.GetArrayLength() > 0 ? a[0].GetString() ?? modelType : modelType;
        int hidden = Int(c, "hidden_size")!.Value, heads = Int(c, "num_attention_heads")!.Value;
        int? eos = IntOrFirst(c, "eos_token_id");
        if (eos is null) throw new ArgumentException($"{configPath} has no eos_token_id: the student needs the token that ends an answer.");
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal) { [ConfigFile] = Sha256(configPath) };
        foreach (string f in WeightFiles(folder).Append(Path.Combine(folder, VocabFile)).Append(Path.Combine(folder, MergesFile)))
        {
            if (!File.Exists(f)) throw new ArgumentException($"The pretrained decoder's file {f} is missing.");
            files[Path.GetFileName(f)] = Sha256(f);
        }
        return new PretrainedDecoderConfig(folder, architecture, modelType,
            Int(c, "vocab_size")!.Value, hidden, Int(c, "num_hidden_layers")!.Value, heads, Int(c, "num_key_value_heads") ?? heads,
            Int(c, "head_dim") ?? hidden / heads, Int(c, "intermediate_size")!.Value,
            Dbl(c, "rms_norm_eps") ?? 1e-6, Dbl(c, "rope_theta") ?? 10000.0, Int(c, "max_position_embeddings") ?? 4096,
            Bool(c, "tie_word_embeddings") ?? false, modelType == "qwen2" || (Bool(c, "attention_bias") ?? false),
            IntOrFirst(c, "bos_token_id"), eos.Value, files, frozen).Validated();
    }

    /// <summary>The weight files: the shards named by model.safetensors.index.json, else model.safetensors.</summary>
    public static IReadOnlyList<string> WeightFiles(string folder)
    {
        string index = Path.Combine(folder, WeightsIndexFile);
        if (!File.Exists(index)) return [Path.Combine(folder, WeightsFile)];
        using var doc = JsonDocument.Parse(File.ReadAllText(index));
        return doc.RootElement.GetProperty("weight_map").EnumerateObject().Select(p => p.Value.GetString()!).Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal).Select(f => Path.Combine(folder, f)).ToList();
    }

    public PretrainedDecoderConfig Validated()
    {
        if (Heads % KeyValueHeads != 0) throw new ArgumentException($"{Heads} attention heads are not a multiple of {KeyValueHeads} key/value heads.");
        if (HeadDim % 2 != 0) throw new ArgumentException($"Rotary positions need an even head width, not {HeadDim}.");
        if (EosId < 0 || EosId >= VocabularySize) throw new ArgumentException($"eos_token_id {EosId} is outside the vocabulary of {VocabularySize}.");
        return this;
    }

    /// <summary>Throws when the files on disk are not those <paramref name="expected"/> was made from.</summary>
    public void CheckSameFiles(PretrainedDecoderConfig expected)
    {
        foreach (var (name, hash) in expected.Files)
            if (!Files.TryGetValue(name, out string? now) || now != hash)
                throw new ArgumentException($"The pretrained decoder's {name} in {Folder} is not the one this student was trained around (SHA-256 {hash[..12]}..., now {(now is null ? "missing" : now[..12] + "...")}).");
    }

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream)).ToLowerInvariant();
    }

    private static string? Str(JsonElement c, string name) => c.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
    private static int? Int(JsonElement c, string name) => c.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : null;
    private static double? Dbl(JsonElement c, string name) => c.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
    private static bool? Bool(JsonElement c, string name) => c.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : null;
    private static int? IntOrFirst(JsonElement c, string name) => !c.TryGetProperty(name, out var v) ? null
        : v.ValueKind == JsonValueKind.Number ? v.GetInt32()
        : v.ValueKind == JsonValueKind.Array && v.GetArrayLength() > 0 ? v[0].GetInt32() : null;
}
