using Expert.VqVae.Composition;
using Expert.VqVae.Corpus;
using Expert.VqVae.Evaluation;
using Expert.VqVae.Inference;
using Expert.VqVae.Materials;
using Expert.VqVae.MlCore.Runtime;
using Expert.VqVae.Model;
using Expert.VqVae.Persistence;
using Expert.VqVae.Text;
using Expert.VqVae.Voxels;
using TorchSharp;
using static TorchSharp.torch;

namespace Expert.VqVae.Tests.Model;

/// <summary>
/// <see cref="OccupancyModel"/> with a material painter: the blocks of generations and reconstructions come from the
/// painter (its palette, its words), over a material channel too, and `eval --composed` measures them. Untrained tiny
/// models: these are the mechanics, not what a trained painter paints.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class PainterInferenceTests
{
    public PainterInferenceTests() => TorchRuntime.Initialize();

    private static readonly string[] Texts = ["a stone tower with an oak roof", "a sandstone hut", "a glass dome on cobblestone walls"];

    /// <summary>A tiny 16^3 model with a painter of <paramref name="blocks"/> classes over an autoencoder with <paramref name="materials"/> channels.</summary>
    private static OccupancyModel Painted(int materials, int blocks, int seed)
    {
        torch.manual_seed(seed);
        var tokenizer = DescriptionTokenizer.Fit(Texts);
        var painterTokenizer = DescriptionTokenizer.Fit(Texts.Append("made of logs"));
        var header = new CheckpointHeader
        {
            ModelVersion = "test-painted",
            VqVae = TinyModels.VqVae with { Materials = materials, ReserveEmptyCode = true },
            Prior = TinyModels.Prior(tokenizer.VocabularySize),
            TokenizerBpeIds = tokenizer.BpeIds.ToArray(),
            Stage = "done",
            EmptyCode = VqVaeConfig.EmptyCode,
            Painter = MaterialPainterTests.Tiny(painterTokenizer.VocabularySize) with { Blocks = blocks },
            PainterTokenizerBpeIds = painterTokenizer.BpeIds.ToArray(),
        };
        var vqvae = new VqVae3d(header.VqVae);
        using (no_grad())
            vqvae.state_dict()["decoder._net.up1.bias"][0].fill_(0.5f);   // an untrained decoder builds about half the voxels, not none
        return OccupancyModel.FromModules(header, vqvae, new TextConditionedPrior(header.Prior!), CPU, new MaterialPainter(header.Painter!));
    }

    [Fact]
    public void Generations_are_painted_in_the_painters_blocks_and_the_painter_wins_over_a_material_channel()
    {
        using var model = Painted(materials: BlockMaterials.Count - 1, blocks: 3, seed: 50);
        Assert.True(model.HasPainter);
        Assert.Equal(BlockMaterials.Blocks.Take(3), model.Info.MaterialPalette);      // the painter's 3, not the channel's 6

        var requests = Texts.Select((t, i) => new GenerationRequest(t, new SamplingOptions { Seed = (ulong)i, Samples = 2 })).ToList();
        var results = model.Generate(requests);
        var grids = results.SelectMany(r => r.Grids).ToList();
        var painted = model.Paint(grids, requests.SelectMany(r => Enumerable.Repeat(r.Description, 2)).ToList());
        var blocks = results.SelectMany(r => r.Blocks!).ToList();
        Assert.True(grids.Sum(g => g.Count()) > 0, "the untrained decoder builds something");
        for (int i = 0; i < grids.Count; i++)
        {
            Assert.Equal(grids[i], blocks[i].ToOccupancy());
            Assert.Equal(painted[i], blocks[i]);                                       // the painter's blocks, from the request's words
            Assert.All(blocks[i].Histogram().Skip(4), n => Assert.Equal(0, n));        // nothing outside its palette
        }
    }

    [Fact]
    public void A_grid_is_painted_the_same_alone_or_in_a_batch()
    {
        using var model = Painted(materials: 0, blocks: BlockMaterials.Count - 1, seed: 51);
        var grids = new[] { TinyModels.Box(16, 6, 9), TinyModels.Ring(16, 8, 5), TinyModels.Box(16, 4, 12) };
        var together = model.Paint(grids, Texts);
        for (int i = 0; i < grids.Length; i++)
        {
            Assert.Equal(together[i], model.Paint([grids[i]], [Texts[i]])[0]);
            Assert.Equal(grids[i], together[i].ToOccupancy());
        }
        Assert.Throws<ArgumentException>(() => model.Paint(grids, Texts.Take(2).ToList()));
    }

    [Fact]
    public void A_reconstruction_is_painted_from_its_description()
    {
        using var model = Painted(materials: 0, blocks: BlockMaterials.Count - 1, seed: 52);
        var truth = new[] { MaterialGrid.Uniform(TinyModels.Box(16, 6, 9), BlockMaterial.Stone), MaterialGrid.Uniform(TinyModels.Ring(16, 8, 5), BlockMaterial.OakPlanks) };
        var refused = Assert.Throws<ArgumentException>(() => model.ReconstructWithMaterials(truth));
        Assert.Contains("description", refused.Message);
        var rebuilt = model.ReconstructWithMaterials(truth, Texts.Take(2).ToList());
        var occupancy = model.Reconstruct(truth.Select(t => t.ToOccupancy()).ToList());
        for (int i = 0; i < truth.Length; i++)
        {
            Assert.Equal(occupancy[i], rebuilt[i].ToOccupancy());                      // the autoencoder's occupancy
            Assert.Equal(model.Paint([occupancy[i]], [Texts[i]])[0], rebuilt[i]);     // the painter's blocks
        }
    }

    [Fact]
    public void The_composed_evaluation_measures_a_painted_model_on_generations_and_reconstructions()
    {
        var records = CompositionCorpusGenerator.Generate(new CompositionCorpusOptions { Seed = 5, Count = 6, Split = CorpusSplit.Test }).ToList();
        torch.manual_seed(53);
        var tokenizer = DescriptionTokenizer.Fit(records.Select(r => r.Description));
        // A 32^3 model (the corpus's grid), as small as it goes: an occupancy-only autoencoder and a painter.
        var header = new CheckpointHeader
        {
            ModelVersion = "test-painted-32",
            VqVae = new VqVaeConfig { Channels = 8, CodebookSize = 16, CodeDim = 4, ReserveEmptyCode = true },
            Prior = new PriorConfig { CodebookSize = 16, VocabularySize = tokenizer.VocabularySize, ModelDim = 16, Layers = 1, Heads = 2, CodeEmbedDim = 4, Dropout = 0f },
            TokenizerBpeIds = tokenizer.BpeIds.ToArray(),
            Stage = "done",
            EmptyCode = VqVaeConfig.EmptyCode,
            Painter = new PainterConfig { VocabularySize = tokenizer.VocabularySize, Channels = 4, ModelDim = 16, Heads = 2, TextLayers = 1, Layers = 1 },
            PainterTokenizerBpeIds = tokenizer.BpeIds.ToArray(),
        };
        using var model = OccupancyModel.FromModules(header, new VqVae3d(header.VqVae), new TextConditionedPrior(header.Prior!), CPU, new MaterialPainter(header.Painter!));

        var report = CompositionEvaluator.Evaluate(model, records);

        Assert.Equal(BlockMaterials.Blocks.Select(BlockMaterials.Name), report.MaterialPalette);
        Assert.Equal(records.Count, report.Summary.WithMaterials);                      // every generation painted
        Assert.Equal(records.Count, report.ReconstructionSummary!.WithMaterials);       // every reconstruction painted
        Assert.False(double.IsNaN(report.ReconstructionMaterialAccuracy), "an occupancy-only autoencoder with a painter is measured, not skipped");
        Assert.DoesNotContain("occupancy only", CompositionEvaluator.ToMarkdown(report));
    }
}
