using System.Text.Json;
using Expert.VqVae.Materials;
using Expert.VqVae.MlCore.Runtime;
using Expert.VqVae.Model;
using Expert.VqVae.Persistence;
using Expert.VqVae.Text;
using Expert.VqVae.Voxels;
using TorchSharp;
using static TorchSharp.torch;

namespace Expert.VqVae.Tests.Model;

/// <summary>The material painter (MODEL.md, "4. Materials from words"): shapes, the occupied-only loss, its config, and that it reads the words.</summary>
[Collection(TorchCollection.Name)]
public sealed class MaterialPainterTests
{
    public MaterialPainterTests() => TorchRuntime.Initialize();

    /// <summary>A painter small enough for seconds-long tests: 16^3 grids (4^3 cells), 16 tokens.</summary>
    internal static PainterConfig Tiny(int vocabulary, int gridSize = 16) => new()
    {
        GridSize = gridSize, VocabularySize = vocabulary, MaxTextTokens = 16, Channels = 8, ModelDim = 32, Heads = 2, TextLayers = 1, Layers = 1,
    };

    [Fact]
    public void Logits_cover_every_voxel_and_block_and_the_text_window_is_fixed()
    {
        torch.manual_seed(30);
        var tokenizer = DescriptionTokenizer.Fit(["a stone tower", "an oak hut with a glass dome"]);
        using var painter = new MaterialPainter(Tiny(tokenizer.VocabularySize));
        using var scope = NewDisposeScope();
        var grids = new[] { TinyModels.Box(16, 6, 8), TinyModels.Ring(16, 8, 5) };
        var occupancy = Occupancy(grids);
        var text = painter.TextTensor([tokenizer.Encode("a stone tower", 16), tokenizer.Encode("an oak hut with a glass dome", 16)]);
        Assert.Equal(new long[] { 2, 16 }, text.shape);                       // padded to the full window, whatever the lengths

        var logits = painter.forward(occupancy, text);
        Assert.Equal(new long[] { 2, BlockMaterials.Count - 1, 16, 16, 16 }, logits.shape);
        Assert.Equal(new long[] { 2, 16, 16, 16 }, painter.Paint(occupancy, text).shape);
        var (context, keyMask) = painter.EncodeText(text);
        Assert.Equal(new long[] { 2, 17, 32 }, context.shape);               // the null token, then the window
        Assert.Equal(new long[] { 2, 1, 1, 17 }, keyMask.shape);
        Assert.Equal(1 + 3, keyMask[0].sum().item<long>());                  // the null token is always a key

        // No words at all still paints: the null token is a key every row has (no NaN from an all-masked row).
        var silent = painter.forward(occupancy, painter.TextTensor([[], []]));
        Assert.False(silent.isnan().any().item<bool>());
        Assert.Throws<ArgumentException>(() => painter.TextTensor([new int[17]]));
    }

    [Fact]
    public void The_factored_painter_mixes_slots_read_from_the_grid_with_blocks_read_from_the_words()
    {
        // By hand: one voxel, two slots (p 0.25 and 0.75), slot 0 gives its two blocks 0.9 / 0.1, slot 1 0.2 / 0.8:
        // p(block 0) = 0.25 * 0.9 + 0.75 * 0.2 = 0.375, p(block 1) = 0.625.
        using (var scope = NewDisposeScope())
        {
            var slots = tensor(new[] { MathF.Log(0.25f), MathF.Log(0.75f) }, new long[] { 1, 2, 1 });
            var blocks = tensor(new[] { MathF.Log(0.9f), MathF.Log(0.1f), MathF.Log(0.2f), MathF.Log(0.8f) }, new long[] { 1, 2, 2 });
            var mixed = MaterialPainter.Mix(slots + 3f, blocks - 1f).exp();      // logits, not probabilities: any shift is the same
            Assert.Equal(new long[] { 1, 2, 1 }, mixed.shape);
            Assert.Equal(0.375f, mixed[0, 0, 0].item<float>(), 5);
            Assert.Equal(0.625f, mixed[0, 1, 0].item<float>(), 5);
            Assert.Throws<ArgumentException>(() => MaterialPainter.Mix(slots, blocks.narrow(1, 0, 1)));
        }

        torch.manual_seed(32);
        var tokenizer = DescriptionTokenizer.Fit(["a stone tower", "an oak hut with a glass dome"]);
        using var painter = new MaterialPainter(Tiny(tokenizer.VocabularySize) with { Slots = 3 });
        painter.eval();
        using var _ = no_grad();
        using var scope2 = NewDisposeScope();
        var occupancy = Occupancy([TinyModels.Box(16, 6, 8), TinyModels.Ring(16, 8, 5)]);
        var stone = painter.TextTensor([tokenizer.Encode("a stone tower", 16), tokenizer.Encode("a stone tower", 16)]);
        var oak = painter.TextTensor([tokenizer.Encode("an oak hut with a glass dome", 16), tokenizer.Encode("an oak hut with a glass dome", 16)]);

        var slotLogits = painter.SlotLogits(occupancy);                        // no words reach it
        Assert.Equal(new long[] { 2, 3, 16, 16, 16 }, slotLogits.shape);
        Assert.Equal(new long[] { 2, 3, BlockMaterials.Count - 1 }, painter.SlotBlocks(stone).shape);
        foreach (var text in new[] { stone, oak })
        {
            var logits = painter.forward(occupancy, text);
            Assert.Equal(new long[] { 2, BlockMaterials.Count - 1, 16, 16, 16 }, logits.shape);
            // The same slots under any words: the words change only what block each slot gets.
            Assert.True(logits.allclose(MaterialPainter.Mix(slotLogits, painter.SlotBlocks(text)), rtol: 1e-5, atol: 1e-5));
            Assert.True(logits.exp().sum(1).allclose(ones(2, 16, 16, 16), rtol: 1e-4, atol: 1e-4));   // log-probabilities
            Assert.True(painter.Paint(occupancy, text).eq(MaterialTensors.ClassOfVoxels(logits)).all().item<bool>());   // the product's arg max, the same classes
        }
        Assert.False(painter.forward(occupancy, painter.TextTensor([[], []])).isnan().any().item<bool>());

        using var plain = new MaterialPainter(Tiny(tokenizer.VocabularySize));
        Assert.Throws<InvalidOperationException>(() => plain.SlotLogits(occupancy));
        Assert.Throws<InvalidOperationException>(() => plain.SlotBlocks(stone));
    }

    [Fact]
    public void The_block_loss_counts_occupied_voxels_only()
    {
        torch.manual_seed(31);
        using var scope = NewDisposeScope();
        var blocks = new MaterialGrid(8);
        blocks.FillBox(2, 0, 2, 5, 3, 5, BlockMaterial.Stone);
        blocks.FillBox(2, 4, 2, 5, 5, 5, BlockMaterial.Glass);
        var (occupancy, classes) = MaterialTensors.Targets([blocks, new MaterialGrid(8)], BlockMaterials.Count - 1);
        Assert.Equal(new long[] { 2, 1, 8, 8, 8 }, occupancy.shape);
        Assert.Equal((long)BlockMaterial.Stone - 1, classes[0, 0, 2, 2].item<long>());   // class c is block value c + 1
        Assert.Equal((long)BlockMaterial.Glass - 1, classes[0, 5, 2, 2].item<long>());
        var occupied = occupancy.squeeze(1);

        var logits = randn(new long[] { 2, BlockMaterials.Count - 1, 8, 8, 8 });
        var loss = MaterialTensors.OccupiedCrossEntropy(logits, classes, occupied);
        // The mean over the occupied voxels of the first grid alone (the second is empty).
        var perVoxel = nn.functional.cross_entropy(logits, classes, reduction: nn.Reduction.None);
        var expected = perVoxel[0].masked_select(occupied[0].to(ScalarType.Bool)).mean();
        Assert.Equal(expected.item<float>(), loss.item<float>(), 5);
        // Logits of empty voxels do not count.
        var elsewhere = logits + (1 - occupancy) * randn_like(logits) * 100;
        Assert.Equal(loss.item<float>(), MaterialTensors.OccupiedCrossEntropy(elsewhere, classes, occupied).item<float>(), 5);
        // An all-empty batch adds 0, not NaN.
        var (emptyOccupancy, emptyClasses) = MaterialTensors.Targets([new MaterialGrid(8)], BlockMaterials.Count - 1);
        Assert.Equal(0f, MaterialTensors.OccupiedCrossEntropy(logits.narrow(0, 1, 1), emptyClasses, emptyOccupancy.squeeze(1)).item<float>());
        // A block outside the painter's classes is refused.
        Assert.Throws<ArgumentException>(() => MaterialTensors.Targets([blocks], 3));
    }

    [Fact]
    public void The_config_is_validated_and_written_without_derived_fields()
    {
        var config = Tiny(40);
        string json = JsonSerializer.Serialize(config, ModelCheckpoint.Json);
        Assert.DoesNotContain("coarse", json, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(config, JsonSerializer.Deserialize<PainterConfig>(json, ModelCheckpoint.Json));
        Assert.Equal(4, config.CoarseSize);
        Assert.DoesNotContain("slots", json, StringComparison.OrdinalIgnoreCase);   // unfactored: the header of every painter before it
        var factored = config with { Slots = 8 };
        string factoredJson = JsonSerializer.Serialize(factored, ModelCheckpoint.Json);
        Assert.Contains("\"slots\":8", factoredJson);
        Assert.Equal(factored, JsonSerializer.Deserialize<PainterConfig>(factoredJson, ModelCheckpoint.Json));
        Assert.DoesNotContain("slotReading", factoredJson);                         // Encoded: the header of every factored painter before it
        var local = factored with { SlotReading = SlotReading.Neighbours };
        string localJson = JsonSerializer.Serialize(local, ModelCheckpoint.Json);
        Assert.Contains("\"slotReading\":\"Neighbours\"", localJson);
        Assert.Equal(local, JsonSerializer.Deserialize<PainterConfig>(localJson, ModelCheckpoint.Json));
        foreach (var bad in new[]
                 {
                     config with { GridSize = 12 }, config with { Blocks = 0 }, config with { Blocks = BlockMaterials.Count },
                     config with { ModelDim = 30, Heads = 4 }, config with { TextLayers = 0 }, config with { Layers = 0 },
                     config with { VocabularySize = 2 }, config with { Channels = 2 }, config with { Dropout = 1f },
                     config with { Slots = -1 }, config with { Slots = 33 },
                     config with { SlotReading = SlotReading.Local },                   // no slots to read with
                     factored with { SlotReading = (SlotReading)9 },
                 })
            Assert.Throws<ArgumentException>(() => new MaterialPainter(bad));
    }

    [Theory]
    [InlineData(SlotReading.Local, true)]
    [InlineData(SlotReading.Neighbours, true)]
    [InlineData(SlotReading.Words, false)]     // keys from the encoder, which sees positions: the order counts
    [InlineData(SlotReading.Encoded, false)]
    public void Slots_reading_a_window_of_the_words_do_not_care_where_a_phrase_stands(SlotReading reading, bool sameBlocks)
    {
        // "Z A Z B Z" and "Z B Z A Z", every run of filler Z longer than twice the window: every word has the same window
        // in both texts (the phrases and the filler beside them), so keys and values are the same set and each slot reads
        // the same blocks. Where a slot points then depends on a word's neighbours, never on which other phrases the text
        // holds or where (the held-out pairs put parts together that training never did).
        const int filler = 3;
        int run = 2 * SlotReader.Window + 1;
        int[] a = [4, 5], b = [6, 7, 8];
        int[] Text(int[] first, int[] second) =>
            [.. Enumerable.Repeat(filler, run), .. first, .. Enumerable.Repeat(filler, run), .. second, .. Enumerable.Repeat(filler, run)];
        torch.manual_seed(5);
        using var painter = new MaterialPainter(Tiny(12) with { Slots = 3, SlotReading = reading, MaxTextTokens = 48 });
        painter.eval();
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var blocks = painter.SlotBlocks(painter.TextTensor([Text(a, b), Text(b, a)]));
        Assert.Equal(new long[] { 2, 3, BlockMaterials.Count - 1 }, blocks.shape);
        Assert.Equal(sameBlocks, blocks[0].allclose(blocks[1], rtol: 1e-4, atol: 1e-5));
    }

    [Theory]
    [InlineData(0, SlotReading.Encoded, 1)]
    [InlineData(2, SlotReading.Encoded, 1)]      // factored: two slots (the walls, the roof) from the grid, each one's block from the words
    [InlineData(2, SlotReading.Neighbours, 2)]   // ... pointing by the words beside a material word, reading the word itself
    public void A_trained_tiny_painter_ties_each_part_to_the_word_that_names_its_block(int slots, SlotReading reading, int seed)
    {
        // Boxes whose lower half (the walls) is one block and upper half (the roof) another, described as "the X roof and
        // the Y walls". Every description has a twin with the same words in the other order on the same box, and every
        // material word stands after "the" (GPT-2 pieces: " stone" mid-sentence), so the twins hold the same tokens: a
        // model blind to the input tops out at 1/3, one that reads the words but not their order at 1/2. Measured here:
        // from seed 1 to 6, 160 to 290 Adam steps reach 99 % of the voxels right; the test takes 3 x 300 and asks 85 %.
        // Neighbours reading, no slot loss here: seeds 2 to 6 pass, seed 1 stays where both slots read both words (50 %,
        // loss log 2) for the 900 steps (measured 2026-12-07; the corpus's runs teach each slot its block and never stall).
        var words = new (BlockMaterial Block, string Word)[] { (BlockMaterial.Stone, "stone"), (BlockMaterial.OakPlanks, "oak"), (BlockMaterial.Sandstone, "sandstone") };
        var texts = new List<string>();
        var grids = new List<MaterialGrid>();
        foreach (var roof in words)
            foreach (var walls in words.Where(w => w != roof))
                foreach (int width in new[] { 2, 4, 6 })
                    foreach (int height in new[] { 4, 6, 8 })
                    {
                        var grid = new MaterialGrid(8);
                        int x0 = (8 - width) / 2;
                        grid.FillBox(x0, 0, x0, x0 + width - 1, height / 2 - 1, x0 + width - 1, walls.Block);
                        grid.FillBox(x0, height / 2, x0, x0 + width - 1, height - 1, x0 + width - 1, roof.Block);
                        grids.Add(grid);
                        texts.Add($"the {roof.Word} roof and the {walls.Word} walls");
                    }
        var tokenizer = DescriptionTokenizer.Fit(texts);
        var tokens = texts.Select(t => tokenizer.Encode(t, 16)).ToList();
        for (int i = 0; i < grids.Count; i++)
        {
            // The twin: the same box, the same tokens in another order, every voxel in the other block.
            int twin = Enumerable.Range(0, grids.Count).Single(j => j != i && grids[j].ToOccupancy().Equals(grids[i].ToOccupancy())
                && tokens[j].Order().SequenceEqual(tokens[i].Order()));
            Assert.All(Enumerable.Range(0, grids[i].Volume).Where(v => grids[i].At(v) != BlockMaterial.Air), v => Assert.NotEqual(grids[i].At(v), grids[twin].At(v)));
        }

        torch.manual_seed(seed);
        using var painter = new MaterialPainter(Tiny(tokenizer.VocabularySize, gridSize: 8) with { Slots = slots, SlotReading = reading });
        using var optimizer = optim.Adam(painter.parameters(), lr: 3e-3);
        var losses = new List<float>();
        painter.train();
        for (int step = 0; step < 900; step++)
        {
            using var scope = NewDisposeScope();
            var (occupancy, classes) = MaterialTensors.Targets(grids, painter.Config.Blocks);
            optimizer.zero_grad();
            var loss = MaterialTensors.OccupiedCrossEntropy(painter.forward(occupancy, painter.TextTensor(tokens)), classes, occupancy.squeeze(1));
            loss.backward();
            optimizer.step();
            losses.Add(loss.item<float>());
        }
        painter.eval();
        using var _ = no_grad();
        using var evaluation = NewDisposeScope();
        var (finalOccupancy, finalClasses) = MaterialTensors.Targets(grids, painter.Config.Blocks);
        var occupied = finalOccupancy.squeeze(1);
        var right = painter.Paint(finalOccupancy, painter.TextTensor(tokens)).eq(finalClasses).to(ScalarType.Float32) * occupied;
        double accuracy = right.sum().item<float>() / occupied.sum().item<float>();
        Assert.True(accuracy > 0.85, $"blocks right on {accuracy:P1} of the voxels (loss {losses.Take(10).Average():F3} to {losses.TakeLast(10).Average():F3})");
    }

    private static Tensor Occupancy(IReadOnlyList<OccupancyGrid> grids)
    {
        int size = grids[0].SizeX, volume = size * size * size;
        var data = new float[grids.Count * volume];
        for (int i = 0; i < grids.Count; i++) grids[i].ToFloats().CopyTo(data, i * volume);
        return tensor(data, new long[] { grids.Count, 1, size, size, size });
    }
}
