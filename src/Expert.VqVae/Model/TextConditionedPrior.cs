using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Expert.VqVae.Model;

/// <summary>
/// p(codes | text): a bidirectional transformer over [text tokens ; code groups]. Each code-group
/// position embeds its <see cref="PriorConfig.CodesPerGroup"/> codes (masked codes use the MASK
/// id), and its output predicts every code of the group through the code embedding table (tied
/// output). Trained MaskGIT-style: random codes masked, cross-entropy on the masked ones.
/// </summary>
public sealed class TextConditionedPrior : nn.Module
{
    private readonly Embedding token_embed;
    private readonly Parameter text_pos;
    private readonly Embedding code_embed;
    private readonly Linear group_in;
    private readonly Parameter group_pos;
    private readonly ModuleList<TransformerBlock> blocks;
    private readonly LayerNorm ln_f;
    private readonly Linear group_out;
    private readonly Parameter code_bias;
    private readonly Dropout drop;

    public TextConditionedPrior(PriorConfig config) : base("prior")
    {
        config.Validate();
        Config = config;
        int d = config.ModelDim;
        token_embed = nn.Embedding(config.VocabularySize, d, padding_idx: TextTokenIds.Pad);
        text_pos = nn.Parameter(randn(1, config.MaxTextTokens, d) * 0.02f);
        code_embed = nn.Embedding(config.CodebookSize + 1, config.CodeEmbedDim);
        group_in = nn.Linear(config.CodesPerGroup * config.CodeEmbedDim, d);
        group_pos = nn.Parameter(randn(1, config.Groups, d) * 0.02f);
        var list = new List<TransformerBlock>();
        for (int i = 0; i < config.Layers; i++) list.Add(new TransformerBlock($"block{i}", d, config.Heads, config.Dropout));
        blocks = nn.ModuleList(list.ToArray());
        ln_f = nn.LayerNorm(d);
        group_out = nn.Linear(d, config.CodesPerGroup * config.CodeEmbedDim);
        code_bias = nn.Parameter(zeros(config.CodebookSize));
        drop = nn.Dropout(config.Dropout);
        using (no_grad())
        {
            // Small embeddings (GPT-2 init): with the tied output, logits start near zero.
            token_embed.weight!.normal_(0, 0.02);
            code_embed.weight!.normal_(0, 0.02);
        }
        RegisterComponents();
    }

    public PriorConfig Config { get; }

    /// <summary>
    /// Logits over the codebook for every code.
    /// </summary>
    /// <param name="text">[B, T] token ids (T &lt;= MaxTextTokens), <see cref="TextTokenIds.Pad"/> after the end.</param>
    /// <param name="groupedCodes">[B, Groups, CodesPerGroup] code ids, <see cref="PriorConfig.MaskId"/> where masked.</param>
    /// <returns>[B, Groups, CodesPerGroup, CodebookSize].</returns>
    public Tensor forward(Tensor text, Tensor groupedCodes)
    {
        using var features = CodeFeatures(text, groupedCodes);
        return CodeLogits(features);
    }

    /// <summary>
    /// The output vector of every code before the tied output layer: [B, Groups, CodesPerGroup,
    /// CodeEmbedDim]. <see cref="CodeLogits"/> turns any of them into logits, so a decoder can ask
    /// for the logits of the codes it still has to draw only.
    /// </summary>
    /// <remarks>
    /// Padding is removed before the transformer: the per-position layers (layer norms, projections,
    /// MLPs) run on the rows of real tokens and code groups only, packed together, and only attention
    /// sees the padded [B, Groups + T] layout, where padded keys are masked. Short descriptions in a
    /// 64-token window are mostly padding, so this halves the work of a typical decoding step, and a
    /// sample's rows are computed the same way whatever the lengths of its batch mates. The code
    /// groups come first (attention does not depend on the order; positions are learned embeddings),
    /// so a real key's place in the layout does not change when a batch mate's longer text widens the
    /// window: the padding of a wider window only adds keys at the end.
    /// </remarks>
    public Tensor CodeFeatures(Tensor text, Tensor groupedCodes)
    {
        var c = Config;
        long b = text.shape[0], t = text.shape[1], length = t + c.Groups;
        using var textMask = text.ne(TextTokenIds.Pad);                       // [B, T]
        using var codeKeys = ones(b, c.Groups, dtype: ScalarType.Bool, device: text.device);
        using var keys = cat(new[] { codeKeys, textMask }, 1);                // [B, G + T]
        using var attentionMask = keys.view(b, 1, 1, -1);
        using var rows = keys.reshape(-1).nonzero().squeeze(1);               // [R] real rows of the flat [B * (G + T)] layout
        var layout = new PackedSequence(rows, b, length, attentionMask);

        using var tokens = token_embed.forward(text);
        using var textPos = text_pos.narrow(1, 0, t);
        using var textIn = tokens + textPos;

        using var codeVectors = code_embed.forward(groupedCodes);             // [B, G, P, E]
        using var flatGroups = codeVectors.reshape(b, c.Groups, -1);
        using var groupsIn0 = group_in.forward(flatGroups);
        using var groupsIn = groupsIn0 + group_pos;

        using var seq0 = cat(new[] { groupsIn, textIn }, 1);                   // [B, G + T, D]
        using var packed = seq0.reshape(b * length, -1).index_select(0, rows); // [R, D]
        Tensor x = drop.forward(packed);
        foreach (var block in blocks)
        {
            var next = block.forward(x, layout);
            x.Dispose();
            x = next;
        }
        using (x)
        {
            using var unpacked = layout.Unpack(x).view(b, length, -1);
            using var groupsOut = unpacked.narrow(1, 0, c.Groups);
            using var normed = ln_f.forward(groupsOut);
            return group_out.forward(normed).view(b, c.Groups, c.CodesPerGroup, c.CodeEmbedDim);
        }
    }

    /// <summary>Code output vectors [..., CodeEmbedDim] to logits [..., CodebookSize] (the tied output layer).</summary>
    public Tensor CodeLogits(Tensor features)
    {
        using var table = code_embed.weight!.narrow(0, 0, Config.CodebookSize);  // [K, E], tied output
        using var logits = features.matmul(table.t());
        return logits + code_bias;
    }

    /// <summary>[B, g, g, g] code grid to [B, Groups, CodesPerGroup] (groups in y, z, x order).</summary>
    public Tensor Group(Tensor codes)
    {
        int n = Config.GroupsPerEdge, e = Config.GroupEdge;
        long b = codes.shape[0];
        using var split = codes.reshape(b, n, e, n, e, n, e);
        using var moved = split.permute(0, 1, 3, 5, 2, 4, 6);
        return moved.reshape(b, Config.Groups, Config.CodesPerGroup);
    }

    /// <summary>
    /// [Codes] true where the code at a group-order position (<see cref="Group"/>'s flattened order) lies in the right
    /// x-half of the grid (x >= g / 2): the half masks of training and the half-first decode.
    /// </summary>
    public Tensor RightHalf(Device? device = null)
    {
        int g = Config.CodeGridSize;
        using var scope = NewDisposeScope();
        var x = arange(g, dtype: ScalarType.Int64, device: device).view(1, 1, 1, g).expand(1, g, g, g).contiguous();
        return Group(x).reshape(Config.Codes).ge(g / 2).MoveToOuterDisposeScope();
    }

    /// <summary>Inverse of <see cref="Group"/>.</summary>
    public Tensor Ungroup(Tensor grouped)
    {
        int n = Config.GroupsPerEdge, e = Config.GroupEdge, g = Config.CodeGridSize;
        long b = grouped.shape[0];
        using var split = grouped.reshape(b, n, n, n, e, e, e);
        using var moved = split.permute(0, 1, 4, 2, 5, 3, 6);
        return moved.reshape(b, g, g, g);
    }
}

/// <summary>Reserved token ids of the prior's vocabulary.</summary>
public static class TextTokenIds
{
    public const int Pad = 0;
    public const int Unknown = 1;
    public const int FirstWord = 2;
}
