using Expert.VqVae.Composition;
using Expert.VqVae.Corpus;
using Expert.VqVae.Materials;
using Expert.VqVae.Voxels;

namespace Expert.VqVae.Tests.Composition;

public class MaterialDefaultsTests
{
    private static readonly IReadOnlyList<CorpusRecord> Train =
        CompositionCorpusGenerator.Generate(new CompositionCorpusOptions { Seed = 11, Count = 400, Split = CorpusSplit.Train }).ToList();

    private static readonly IReadOnlyList<CorpusRecord> Test =
        CompositionCorpusGenerator.Generate(new CompositionCorpusOptions { Seed = 11, Count = 160, Split = CorpusSplit.Test }).ToList();

    public static TheoryData<string> Splits => new() { "train", "test" };

    [Theory]
    [MemberData(nameof(Splits))]
    public void TheWordsDecideEveryBlock_AnOracleOfTheWordsScoresEveryOccupiedVoxel(string split)
    {
        var records = split == "train" ? Train : Test;
        int partial = 0, unsaidSlots = 0;
        foreach (var r in records)
        {
            var parsed = ComposedDescriptionParser.Parse(r.Description);
            if (r.Family != ComposedSpec.FamilyName)
            {
                // A v1 family building "made of X": every voxel is X, the main block the words give.
                Assert.Equal(MaterialGrid.Uniform(r.Grid, MaterialDefaults.MainBlock(parsed.Materials)), r.Blocks);
                continue;
            }
            Assert.True(ComposedSpec.TryFromParams(r.Params!, out var truth, out var error), error);
            // The true shape with the blocks of the words: the parser's stated slots, the convention for the rest.
            var fromWords = MaterialDefaults.Apply(truth!, parsed);
            Assert.True(fromWords.IsValid(out var why), $"{r.Id}: {why}: {r.Description}");
            Assert.True(CompositionCatalog.Build(fromWords).Blocks.Equals(r.Blocks), $"{r.Id}: the blocks differ from the words': {r.Description}");
            Assert.Equal(truth!.Key, fromWords.Key);
            if (!r.FullySpecified)
            {
                partial++;
                unsaidSlots += truth.UsedSlots().Count(s => !parsed.Materials.ContainsKey(s));
            }
        }
        Assert.True(partial > 20, $"only {partial} partial records");
        Assert.True(unsaidSlots > 40, $"only {unsaidSlots} unsaid slots");
    }

    [Fact]
    public void FullySpecifiedRecordsHoldEveryStatedBlock()
    {
        foreach (var r in Train.Concat(Test).Where(r => r.Family == ComposedSpec.FamilyName && r.FullySpecified))
        {
            Assert.True(ComposedSpec.TryFromParams(r.Params!, out var spec, out var error), error);
            foreach (var slot in spec!.UsedSlots())
            {
                Assert.True(r.Materials!.TryGetValue(Slots.Name(slot), out var stated), $"{r.Id}: {Slots.Name(slot)} unsaid");
                Assert.Equal(BlockMaterials.Name(spec.MaterialOf(slot)), stated);
            }
            Assert.Equal(spec, MaterialDefaults.Apply(spec, ComposedDescriptionParser.Parse(r.Description)));
        }
    }

    [Fact]
    public void UnsaidSlotsTakeTheMainBlockOrItsKin()
    {
        foreach (var main in ComposedSpec.Allowed(MaterialSlot.Walls))
            foreach (var slot in Enum.GetValues<MaterialSlot>())
            {
                var block = MaterialDefaults.For(slot, main);
                Assert.Contains(block, ComposedSpec.Allowed(slot));
                Assert.NotEqual(BlockMaterial.Glass, block);
                if (ComposedSpec.Allowed(slot).Contains(main)) Assert.Equal(main, block);
            }
        Assert.Equal(BlockMaterial.OakLog, MaterialDefaults.For(MaterialSlot.Towers, BlockMaterial.OakPlanks));
        Assert.Equal(BlockMaterial.OakPlanks, MaterialDefaults.For(MaterialSlot.Roof, BlockMaterial.OakLog));
        Assert.Equal(BlockMaterial.Stone, MaterialDefaults.For(MaterialSlot.Columns, BlockMaterial.Cobblestone));
        Assert.Equal(BlockMaterial.Stone, MaterialDefaults.For(MaterialSlot.Chimney, BlockMaterial.Sandstone));
        Assert.Equal(BlockMaterial.Cobblestone, MaterialDefaults.For(MaterialSlot.Chimney, BlockMaterial.OakLog));

        // A user's prompt: "a stone castle with four corner towers" has stone towers and a stone roof; with no block at all, oak planks.
        var castle = ComposedDescriptionParser.Parse("a stone castle with four corner towers, battlements and a gate");
        var blocks = MaterialDefaults.Resolve(castle.Materials);
        Assert.All(Enum.GetValues<MaterialSlot>(), s => Assert.Equal(BlockMaterial.Stone, blocks[s]));
        var plain = MaterialDefaults.Resolve(ComposedDescriptionParser.Parse("a house with a chimney and a porch on two columns").Materials);
        Assert.Equal(BlockMaterial.OakPlanks, plain[MaterialSlot.Walls]);
        Assert.Equal(BlockMaterial.OakPlanks, plain[MaterialSlot.Roof]);
        Assert.Equal(BlockMaterial.Cobblestone, plain[MaterialSlot.Chimney]);
        Assert.Equal(BlockMaterial.OakLog, plain[MaterialSlot.Columns]);
        var stated = MaterialDefaults.Resolve(ComposedDescriptionParser.Parse("a sandstone hall with a stone roof and a chimney").Materials);
        Assert.Equal(BlockMaterial.Sandstone, stated[MaterialSlot.Walls]);
        Assert.Equal(BlockMaterial.Stone, stated[MaterialSlot.Roof]);
        Assert.Equal(BlockMaterial.Stone, stated[MaterialSlot.Chimney]);
    }
}
