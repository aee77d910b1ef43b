using Expert.VqVae.Composition;
using Expert.VqVae.Corpus;

namespace Expert.VqVae.Tests.Composition;

public class CompositionSplitTests
{
    private static readonly IReadOnlyList<CorpusRecord> Train =
        CompositionCorpusGenerator.Generate(new CompositionCorpusOptions { Seed = 3, Count = 600, Split = CorpusSplit.Train }).ToList();

    private static readonly IReadOnlyList<CorpusRecord> Test =
        CompositionCorpusGenerator.Generate(new CompositionCorpusOptions { Seed = 3, Count = 120, Split = CorpusSplit.Test }).ToList();

    private static ComposedSpec SpecOf(CorpusRecord r)
    {
        Assert.True(ComposedSpec.TryFromParams(r.Params!, out var spec, out var error), error);
        return spec!;
    }

    [Fact]
    public void NoTrainingBuildingCombinesAHeldOutPairAndEveryTestBuildingDoes()
    {
        var composed = Train.Where(r => r.Family == ComposedSpec.FamilyName).ToList();
        Assert.True(composed.Count > 300);
        foreach (var r in composed)
        {
            var tokens = SpecOf(r).Tokens();
            foreach (var (a, b) in CompositionSplits.HeldOutPairs)
                Assert.False(tokens.Contains(a) && tokens.Contains(b), $"{r.Id} combines {a} and {b}: {r.Description}");
        }
        var testComposed = Test.Where(r => r.Family == ComposedSpec.FamilyName).ToList();
        foreach (var r in testComposed) Assert.True(CompositionSplits.IsTest(SpecOf(r)), r.Id);
        // Every held-out pair is tested.
        foreach (var pair in CompositionSplits.HeldOutPairs)
            Assert.Contains(testComposed, r => CompositionSplits.HeldOutPairsOf(SpecOf(r)).Contains(pair));
    }

    [Fact]
    public void EachFeatureOfAHeldOutPairIsSeenInTrainingWithOtherPartners()
    {
        Assert.DoesNotContain(Train, r => r.Family == ComposedSpec.FamilyName && SpecOf(r).Tokens().Contains("towers=oak_log"));
        var tokens = Train.Where(r => r.Family == ComposedSpec.FamilyName).SelectMany(r => SpecOf(r).Tokens()).ToHashSet();
        foreach (var (a, b) in CompositionSplits.HeldOutPairs)
        {
            Assert.Contains(Seen(a), tokens);
            Assert.Contains(Seen(b), tokens);
        }

        // A part's material ("towers=oak_log") is a combination in itself: its block is seen on other parts.
        static string Seen(string token) => token.Contains('=') ? "material:" + token[(token.IndexOf('=') + 1)..] : token;
    }

    [Fact]
    public void NoTestBuildingOrGridAppearsInTraining()
    {
        var trainBlocks = Train.Select(r => r.Blocks!).ToHashSet();
        var trainKeys = Train.Where(r => r.Family == ComposedSpec.FamilyName).Select(r => SpecOf(r).Key).ToHashSet();
        foreach (var r in Test)
        {
            Assert.Equal(CorpusSplit.Test, r.Split);
            Assert.DoesNotContain(r.Blocks!, trainBlocks);
            if (r.Family == ComposedSpec.FamilyName) Assert.DoesNotContain(SpecOf(r).Key, trainKeys);
            else Assert.True(CorpusSplits.IsTestCombination(r.Spec!), $"{r.Id}: a v1 family building of the training split");
        }
        foreach (var r in Train.Where(r => r.Family != ComposedSpec.FamilyName))
            Assert.False(CorpusSplits.IsTestCombination(r.Spec!), $"{r.Id}: a held-out v1 combination in training");
    }
}
