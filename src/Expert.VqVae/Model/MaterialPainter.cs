using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Expert.VqVae.Model;

/// <summary>
/// The material painter (MODEL.md, "4. Materials from words"): the block of every voxel of an occupancy grid, from the
/// grid and its description. Shapes stay with the autoencoder and the prior; the painter reads the geometry (which
/// voxels are roof, tower, chimney, wall) and the words ("stone walls, a roof of oak boards") and ties each part's
/// block to the words that name it through cross-attention from the voxels to the tokens.
/// <code>
/// occupancy [B, 1, G, G, G] -> stem 3^3 (C) -> s0 [B, C, G^3]
///   -> down0 2^3/2 (2C) -> s1 [B, 2C, (G/2)^3] -> down1 2^3/2 (4C) -> s2 [B, 4C, g^3], g = G/4
///   -> cells [B, g^3, D] (+ a learned position per cell)
/// text [B, T] -> [null ; tokens] + positions -> TextLayers transformer blocks (padding masked) -> context [B, 1 + T, D]
/// Layers x (cross-attention cells -> context, self-attention over the cells) -> layer norm -> cells' [B, g^3, D]
/// fine:   cells' -> [B, 4C, g^3] + s2 -> up1 2^3/2 (2C) + s1 -> mix 1^3 -> up0 2^3/2 (C) + s0 -> mix 1^3 -> head 1^3 (K)
/// coarse: cells' -> K logits a cell, repeated over its (G/g)^3 voxels
/// logits = fine + coarse  [B, K, G, G, G]
/// </code>
/// <b>Factored</b> (<see cref="PainterConfig.Slots"/> S &gt; 0, MODEL.md "4b"): the cells skip the cross-attention, so the grid
/// path, blind to the words, gives every voxel S slot logits (<see cref="SlotLogits"/>); S learned queries, blind to the grid,
/// point at the words and one head shared by every slot gives each K block logits (<see cref="SlotReader"/>,
/// <see cref="SlotBlocks"/>); a voxel's block distribution is the mixture (<see cref="Mix"/>). Which part a
/// voxel is and which block the text gives that part are learnt apart, so a pairing never seen in training (sandstone
/// walls under a pitched roof) is two things seen.
/// The null token is a learned key that every row has, so a description of no tokens still has something to attend
/// to (and each voxel can attend to "nothing said"). Class c of the logits is block value c + 1
/// (<see cref="Expert.VqVae.Materials.BlockMaterial"/>), read only where a voxel is occupied.
/// </summary>
public sealed class MaterialPainter : nn.Module
{
    private readonly Conv3d stem;
    private readonly Conv3d down0;
    private readonly Conv3d down1;
    private readonly Linear to_model;
    private readonly Parameter cell_pos;
    private readonly Embedding token_embed;
    private readonly Parameter null_token;
    private readonly Parameter text_pos;
    private readonly ModuleList<TransformerBlock> text_blocks;
    private readonly LayerNorm text_ln;
    private readonly ModuleList<CrossAttentionBlock>? cross_blocks;        // unfactored: the cells read the words
    private readonly SlotReader? slot_reader;                                // factored: each slot's block, read from the words
    private readonly ModuleList<TransformerBlock> cell_blocks;
    private readonly LayerNorm ln_f;
    private readonly Linear from_model;
    private readonly ConvTranspose3d up1;
    private readonly Conv3d mix1;
    private readonly ConvTranspose3d up0;
    private readonly Conv3d mix0;
    private readonly Conv3d head;
    private readonly Linear coarse_head;
    private readonly Dropout drop;

    public MaterialPainter(PainterConfig config) : base("painter")
    {
        config.Validate();
        Config = config;
        int c = config.Channels, d = config.ModelDim;
        stem = nn.Conv3d(1, c, kernel_size: 3, padding: 1);
        down0 = nn.Conv3d(c, 2 * c, kernel_size: 2, stride: 2);
        down1 = nn.Conv3d(2 * c, 4 * c, kernel_size: 2, stride: 2);
        to_model = nn.Linear(4 * c, d);
        cell_pos = nn.Parameter(randn(1, config.CoarseCells, d) * 0.02f);
        token_embed = nn.Embedding(config.VocabularySize, d, padding_idx: TextTokenIds.Pad);
        null_token = nn.Parameter(randn(1, 1, d) * 0.02f);
        text_pos = nn.Parameter(randn(1, config.MaxTextTokens + 1, d) * 0.02f);
        text_blocks = nn.ModuleList(Enumerable.Range(0, config.TextLayers)
            .Select(i => new TransformerBlock($"text{i}", d, config.Heads, config.Dropout)).ToArray());
        text_ln = nn.LayerNorm(d);
        if (config.Slots == 0)
            cross_blocks = nn.ModuleList(Enumerable.Range(0, config.Layers)
                .Select(i => new CrossAttentionBlock($"cross{i}", d, config.Heads, config.Dropout)).ToArray());
        else
        {
            slot_reader = new SlotReader("slots", config.Slots, d, config.Heads, config.Blocks, config.SlotReading);
        }
        int outputs = config.Slots == 0 ? config.Blocks : config.Slots;
        cell_blocks = nn.ModuleList(Enumerable.Range(0, config.Layers)
            .Select(i => new TransformerBlock($"cells{i}", d, config.Heads, config.Dropout)).ToArray());
        ln_f = nn.LayerNorm(d);
        from_model = nn.Linear(d, 4 * c);
        up1 = nn.ConvTranspose3d(4 * c, 2 * c, kernel_size: 2, stride: 2);
        mix1 = nn.Conv3d(2 * c, 2 * c, kernel_size: 1);
        mix0 = nn.Conv3d(c, c, kernel_size: 1);
        up0 = nn.ConvTranspose3d(2 * c, c, kernel_size: 2, stride: 2);
        head = nn.Conv3d(c, outputs, kernel_size: 1);
        coarse_head = nn.Linear(d, outputs);
        drop = nn.Dropout(config.Dropout);
        using (no_grad())
        {
            token_embed.weight!.normal_(0, 0.02);   // small embeddings (GPT-2 init), as the prior's
            // He initialisation for the convolutions that a ReLU follows (libtorch's default, variance 1/(3 fan-in), shrinks
            // a signal about 2.4 times a layer), so that the occupancy's features keep their scale down and up the grid.
            foreach (var conv in new[] { stem, down0, down1, mix1, mix0 })
            {
                var w = conv.weight!;
                w.normal_(0, Math.Sqrt(2.0 / (w.shape[1] * w.shape[2] * w.shape[3] * w.shape[4])));
                conv.bias!.zero_();
            }
            foreach (var up in new[] { up1, up0 })
            {
                up.weight!.normal_(0, Math.Sqrt(2.0 / up.weight.shape[0]));   // 2^3 stride 2: an output reads one tap of each input channel
                up.bias!.zero_();
            }
        }
        RegisterComponents();
    }

    public PainterConfig Config { get; }

    /// <summary>Block logits of every voxel (factored: log-probabilities, the mixture of <see cref="Mix"/>).</summary>
    /// <param name="occupancy">[B, 1, G, G, G] 0/1 floats in storage order (y, z, x).</param>
    /// <param name="text">[B, T] token ids of the painter's tokenizer (T &lt;= MaxTextTokens), <see cref="TextTokenIds.Pad"/> after the end (<see cref="TextTensor"/>).</param>
    /// <returns>[B, K, G, G, G]; meaningful where a voxel is occupied.</returns>
    public Tensor forward(Tensor occupancy, Tensor text)
    {
        if (Config.Slots > 0)
        {
            using var slots = SlotLogits(occupancy);
            using var blocks = SlotBlocks(text);
            return Mix(slots, blocks);
        }
        var (context, keyMask) = EncodeText(text);
        using (context)
        using (keyMask)
            return Grid(occupancy, context, keyMask);
    }

    /// <summary>Factored painter: the slot logits [B, S, G, G, G] of every voxel, from the grid alone (no words reach them).</summary>
    public Tensor SlotLogits(Tensor occupancy)
    {
        RequireFactored();
        return Grid(occupancy, null, null);
    }

    /// <summary>Factored painter: each slot's block logits [B, S, K], its query pointing at the words (the grid is not seen).</summary>
    public Tensor SlotBlocks(Tensor text)
    {
        RequireFactored();
        if (Config.SlotReading is SlotReading.Local or SlotReading.Neighbours)
        {
            // The keys are a window over the words' own embeddings: the text encoder is not run (its weights stay in the
            // checkpoint, untrained: MODEL.md 4b).
            using var words = Words(text);
            using var mask = KeyMask(text);
            return slot_reader!.forward(words, words, mask);
        }
        var (context, keyMask) = EncodeText(text);
        using (context)
        using (keyMask)
        {
            if (Config.SlotReading == SlotReading.Encoded) return slot_reader!.forward(context, context, keyMask);
            using var words = Words(text);
            return slot_reader!.forward(context, words, keyMask);
        }
    }

    /// <summary>[B, 1 + T] bool: true on the null token (always) and on every token that is not padding.</summary>
    private static Tensor RealTokens(Tensor text)
    {
        using var textMask = text.ne(TextTokenIds.Pad);                           // [B, T]
        using var always = ones(text.shape[0], 1, dtype: ScalarType.Bool, device: text.device);
        return cat(new[] { always, textMask }, 1);
    }

    /// <summary>[B, 1, 1, 1 + T] the attention mask of <see cref="EncodeText"/>, without encoding.</summary>
    private static Tensor KeyMask(Tensor text)
    {
        using var keys = RealTokens(text);
        return keys.view(text.shape[0], 1, 1, text.shape[1] + 1);
    }

    /// <summary>[B, 1 + T, D] each position's own embedding (the null token first), before positions and neighbours reach it.</summary>
    private Tensor Words(Tensor text)
    {
        using var tokens = token_embed.forward(text);
        using var nulls = null_token.expand(text.shape[0], 1, Config.ModelDim);
        return cat(new[] { nulls, tokens }, 1);
    }

    /// <summary>
    /// Factored: log p(block k | voxel) = log sum over slots s of p(s | voxel) p(k | s), from [B, S, G, G, G] slot logits and
    /// [B, S, K] block logits, as [B, K, G, G, G] log-probabilities: logits whose soft max is themselves, so the loss and the
    /// arg max of the unfactored painter apply unchanged. Summed in log space, so a confident wrong slot still has a gradient.
    /// </summary>
    public static Tensor Mix(Tensor slotLogits, Tensor blockLogits)
    {
        long b = slotLogits.shape[0], k = blockLogits.shape[2];
        if (blockLogits.shape[0] != b || blockLogits.shape[1] != slotLogits.shape[1])
            throw new ArgumentException($"Slot logits [{string.Join(", ", slotLogits.shape)}] and block logits [{string.Join(", ", blockLogits.shape)}] disagree on the batch or the slots.");
        var spatial = slotLogits.shape.Skip(2).ToArray();
        using var logSlot = functional.log_softmax(slotLogits.flatten(2), 1);   // [B, S, V]
        using var logBlock = functional.log_softmax(blockLogits, 2);           // [B, S, K]
        using var joint = logSlot.unsqueeze(2) + logBlock.unsqueeze(3);         // [B, S, K, V]
        using var mixed = joint.logsumexp(1);                                   // [B, K, V]
        return mixed.view(new long[] { b, k }.Concat(spatial).ToArray());
    }

    private void RequireFactored()
    {
        if (Config.Slots == 0) throw new InvalidOperationException("This painter is not factored (Slots 0): its voxels read the words.");
    }

    /// <summary>
    /// The grid path: the occupancy down to the cells, <see cref="PainterConfig.Layers"/> layers at the cells (each reading
    /// the words first when a context is given: the unfactored painter), and back up: [B, K, G, G, G] block logits, or the
    /// factored painter's [B, S, G, G, G] slot logits.
    /// </summary>
    private Tensor Grid(Tensor occupancy, Tensor? context, Tensor? keyMask)
    {
        var cfg = Config;
        long b = occupancy.shape[0], n = cfg.CoarseCells, d = cfg.ModelDim;
        using var stemmed = stem.forward(occupancy);
        using var s0 = functional.relu(stemmed);                                  // [B, C, G, G, G]
        using var down0ed = down0.forward(s0);
        using var s1 = functional.relu(down0ed);                                  // [B, 2C, G/2, G/2, G/2]
        using var down1ed = down1.forward(s1);
        using var s2 = functional.relu(down1ed);                                  // [B, 4C, g, g, g]
        using var cells = s2.flatten(2).transpose(1, 2);                          // [B, g^3, 4C]
        using var cells0 = to_model.forward(cells);
        using var cells1 = cells0 + cell_pos;
        Tensor x = drop.forward(cells1);                                          // [B, g^3, D]
        using var rows = arange(b * n, dtype: ScalarType.Int64, device: occupancy.device);
        var layout = new PackedSequence(rows, b, n, null);                        // every cell is real
        for (int i = 0; i < cfg.Layers; i++)
        {
            var read = cross_blocks is null || context is null ? x.alias() : cross_blocks[i].forward(x, context, keyMask!);
            x.Dispose();
            using (read)
            {
                using var packed = read.reshape(b * n, d);
                using var mixed = cell_blocks[i].forward(packed, layout);
                x = mixed.view(b, n, d);
            }
        }
        using (x) return Decode(x, s0, s1, s2, b);
    }

    /// <summary>The cells back to the grid: [B, K, G, G, G] block logits (unfactored) or [B, S, G, G, G] part logits (factored).</summary>
    private Tensor Decode(Tensor x, Tensor s0, Tensor s1, Tensor s2, long b)
    {
        var cfg = Config;
        int g = cfg.CoarseSize, outputs = cfg.Slots == 0 ? cfg.Blocks : cfg.Slots;
        using var normed = ln_f.forward(x);
        using var back = from_model.forward(normed);                          // [B, g^3, 4C]
        using var grid = back.transpose(1, 2).reshape(b, 4 * cfg.Channels, g, g, g);
        using var u2 = grid + s2;
        using var u2a = functional.relu(u2);
        using var up1ed = up1.forward(u2a);
        using var u1 = up1ed + s1;
        using var u1a = functional.relu(u1);
        using var mixed = mix1.forward(u1a);
        using var u1b = functional.relu(mixed);                               // [B, 2C, G/2, G/2, G/2]
        using var up0ed = up0.forward(u1b);
        using var u0 = up0ed + s0;
        using var u0a = functional.relu(u0);
        using var mixed0 = mix0.forward(u0a);
        using var u0b = functional.relu(mixed0);                              // [B, C, G, G, G]
        using var fine = head.forward(u0b);
        // The cells' own block logits, repeated over their voxels: the words reach the logits one layer after the
        // attention, not only through the six of the upsampling path (without it the painter did not learn from the
        // words at all in its first 1,150 steps on the v2 corpus: MODEL.md).
        using var coarse0 = coarse_head.forward(normed);                      // [B, g^3, K]
        using var coarse1 = coarse0.transpose(1, 2).reshape(b, outputs, g, g, g);
        int f = cfg.GridSize / g;
        using var coarse2 = coarse1.repeat_interleave(f, 2).repeat_interleave(f, 3).repeat_interleave(f, 4);
        return fine + coarse2;
    }

    /// <summary>
    /// The text as keys for the cells: [B, 1 + T, D] (the null token first, then each token; padded rows zero) and the
    /// key mask [B, 1, 1, 1 + T], true where a key is real (the null token always is).
    /// </summary>
    public (Tensor Context, Tensor KeyMask) EncodeText(Tensor text)
    {
        long b = text.shape[0], t = text.shape[1], length = t + 1, d = Config.ModelDim;
        if (t > Config.MaxTextTokens) throw new ArgumentException($"The painter reads at most {Config.MaxTextTokens} tokens, got {t}.", nameof(text));
        using var keys = RealTokens(text);                                         // [B, 1 + T]
        var keyMask = keys.view(b, 1, 1, length);
        using var rows = keys.reshape(-1).nonzero().squeeze(1);                   // real rows of the flat [B * (1 + T)] layout
        var layout = new PackedSequence(rows, b, length, keyMask);

        using var tokens = token_embed.forward(text);                             // [B, T, D]
        using var nulls = null_token.expand(b, 1, d);
        using var seq0 = cat(new[] { nulls, tokens }, 1);
        using var positions = text_pos.narrow(1, 0, length);
        using var seq = seq0 + positions;
        using var packed = seq.reshape(b * length, d).index_select(0, rows);      // [R, D]
        Tensor h = drop.forward(packed);
        foreach (var block in text_blocks)
        {
            var next = block.forward(h, layout);
            h.Dispose();
            h = next;
        }
        using (h)
        {
            using var unpacked = layout.Unpack(h).view(b, length, d);
            return (text_ln.forward(unpacked), keyMask);
        }
    }

    /// <summary>The most likely block class of every voxel: [B, G, G, G] int64 (class c is block value c + 1).</summary>
    public Tensor Paint(Tensor occupancy, Tensor text)
    {
        if (Config.Slots == 0)
        {
            using var logits = forward(occupancy, text);
            return MaterialTensors.ClassOfVoxels(logits);
        }
        // Factored: the arg max of the mixture's probabilities, one batched product ([B, K, S] x [B, S, V]), not the
        // log-space sum over [B, S, K, V] that training needs for its gradient: the same classes.
        using var slots = SlotLogits(occupancy);
        using var blocks = SlotBlocks(text);
        using var slotProbabilities = functional.softmax(slots.flatten(2), 1);
        using var blockProbabilities0 = functional.softmax(blocks, 2);
        using var blockProbabilities = blockProbabilities0.transpose(1, 2);
        using var mixed = blockProbabilities.bmm(slotProbabilities);
        using var grid = mixed.view(new long[] { occupancy.shape[0], Config.Blocks }.Concat(occupancy.shape.Skip(2)).ToArray());
        return MaterialTensors.ClassOfVoxels(grid);
    }

    /// <summary>
    /// Token rows (the painter's tokenizer, each at most <see cref="PainterConfig.MaxTextTokens"/> long) to [B, MaxTextTokens],
    /// padded with <see cref="TextTokenIds.Pad"/>. The window is always the full one, so a sample's blocks never depend on
    /// the length of its batch mates' descriptions.
    /// </summary>
    public Tensor TextTensor(IReadOnlyList<int[]> tokens, Device? device = null)
    {
        int window = Config.MaxTextTokens;
        var ids = new long[tokens.Count * window];
        for (int i = 0; i < tokens.Count; i++)
        {
            var row = tokens[i];
            if (row.Length > window) throw new ArgumentException($"Token row {i} has {row.Length} tokens; the painter reads at most {window}.", nameof(tokens));
            for (int j = 0; j < row.Length; j++) ids[i * window + j] = row[j];
        }
        return tensor(ids, new long[] { tokens.Count, window }, device: device);
    }
}
