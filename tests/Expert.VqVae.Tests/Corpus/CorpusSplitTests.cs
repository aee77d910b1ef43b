using System.Text.RegularExpressions;
using Expert.VqVae.Corpus;

namespace Expert.VqVae.Tests.Corpus;

public class CorpusSplitTests
{
    [Fact]
    public void AboutTwelvePercentOfEachFamilysCombinationsAreHeldOut()
    {
        foreach (var family in BuildingCatalog.Families)
        {
            int test = CorpusSplits.Combinations(family, CorpusSplit.Test).Count;
            int train = CorpusSplits.Combinations(family, CorpusSplit.Train).Count;
            Assert.Equal(BuildingCatalog.Combinations(family).Count, test + train);
            Assert.True(test >= 1, $"{family} has no held-out combination");
            Assert.InRange(test / (double)(test + train), 0.08, 0.2);
            Assert.True(train > test);
        }
    }

    [Fact]
    public void TrainingDataNeverContainsAHeldOutCombinationOrItsGrid()
    {
        var testGrids = BuildingCatalog.AllCombinations().Where(CorpusSplits.IsTestCombination).Select(s => s.Build()).ToHashSet();
        Assert.NotEmpty(testGrids);
        int seen = 0;
        foreach (long seed in new long[] { 1, 2 })
            foreach (var r in CorpusGenerator.Generate(new CorpusOptions { Seed = seed, Count = 3000, Split = CorpusSplit.Train }))
            {
                Assert.Equal(CorpusSplit.Train, r.Split);
                Assert.False(CorpusSplits.IsTestCombination(r.Spec!), $"{r.Id} uses held-out {r.Spec!.Key}");
                Assert.DoesNotContain(r.Grid, testGrids);
                seen++;
            }
        Assert.Equal(6000, seen);
    }

    [Fact]
    public void TrainingDataNeverContainsAHeldOutTemplateWordOrIntro()
    {
        Assert.True(DescriptionLexicon.HeldOutWords.Count >= 10);
        var heldOut = new Regex(string.Join("|", DescriptionLexicon.HeldOutWords.Select(w => $@"(?<![\w-]){Regex.Escape(w)}(?![\w-])")), RegexOptions.IgnoreCase);
        // The held-out templates' own marks: "The x is ...", "It has", parentheses, a leading "With".
        var marks = new Regex(@"^(?:the |with |picture )|\bit (?:has|is)\b|[()]", RegexOptions.IgnoreCase);
        foreach (var r in CorpusGenerator.Generate(new CorpusOptions { Seed = 9, Count = 6000, Split = CorpusSplit.Train }))
        {
            Assert.DoesNotContain(r.Template, DescriptionLexicon.HeldOutTemplates);
            Assert.Contains(r.Template, DescriptionLexicon.TrainingTemplates);
            Assert.DoesNotMatch(marks, r.Description);
            Assert.DoesNotMatch(heldOut, r.Description);
        }
    }

    [Fact]
    public void TheTestSplitUsesOnlyHeldOutCombinationsAndSomeHeldOutPhrasing()
    {
        var records = CorpusGenerator.Generate(new CorpusOptions { Seed = 9, Count = 2000, Split = CorpusSplit.Test }).ToList();
        Assert.All(records, r => Assert.True(CorpusSplits.IsTestCombination(r.Spec!)));
        Assert.All(records, r => Assert.Equal(CorpusSplit.Test, r.Split));
        int heldOutTemplates = records.Count(r => DescriptionLexicon.HeldOutTemplates.Contains(r.Template));
        Assert.InRange(heldOutTemplates / (double)records.Count, 0.2, 0.5);
        var heldOutWord = new Regex(string.Join("|", DescriptionLexicon.HeldOutWords.Select(w => $@"(?<![\w-]){Regex.Escape(w)}(?![\w-])")), RegexOptions.IgnoreCase);
        Assert.Contains(records, r => heldOutWord.IsMatch(r.Description));
        Assert.Contains(records, r => r.FullySpecified);
        Assert.Contains(records, r => !r.FullySpecified);
    }

    [Fact]
    public void TheSplitIsStableAndByCombination()
    {
        var spec = BuildingCatalog.Combinations(BuildingFamily.House)[0];
        Assert.Equal(CorpusSplits.SplitOf(spec), CorpusSplits.SplitOf(spec with { }));
        Assert.Equal(CorpusSplits.IsTestCombination(spec), CorpusSplits.SplitOf(spec) == CorpusSplit.Test);
        Assert.True(CorpusSplits.TryParse("test", out var t) && t == CorpusSplit.Test);
        Assert.False(CorpusSplits.TryParse("validation", out _));
    }
}
