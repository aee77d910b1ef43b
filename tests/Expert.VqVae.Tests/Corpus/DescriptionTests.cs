using System.Text.RegularExpressions;
using Expert.VqVae.Corpus;

namespace Expert.VqVae.Tests.Corpus;

public class DescriptionTests
{
    private static readonly Lazy<List<CorpusRecord>> Train = new(() =>
        CorpusGenerator.Generate(new CorpusOptions { Seed = 5, Count = 4000, Split = CorpusSplit.Train }).ToList());

    private static readonly Lazy<List<CorpusRecord>> Test = new(() =>
        CorpusGenerator.Generate(new CorpusOptions { Seed = 5, Count = 3000, Split = CorpusSplit.Test }).ToList());

    public static TheoryData<string> Splits => new() { "train", "test" };

    private static List<CorpusRecord> Records(string split) => split == "train" ? Train.Value : Test.Value;

    [Theory]
    [MemberData(nameof(Splits))]
    public void FullySpecifiedDescriptionsStateEveryApplicableAttribute(string split)
    {
        var full = Records(split).Where(r => r.FullySpecified).ToList();
        Assert.True(full.Count > 1000);
        foreach (var r in full)
            Assert.Equal(BuildingCatalog.TrueAttributes(r.Spec!), r.Stated);
    }

    [Theory]
    [MemberData(nameof(Splits))]
    public void EveryDescriptionMentionsExactlyTheAttributesItsRecordStates(string split)
    {
        foreach (var r in Records(split))
        {
            var parsed = DescriptionParser.Parse(r.Description);
            Assert.True(parsed.Attributes == r.Stated, $"\"{r.Description}\" states {r.Stated} but reads as {parsed.Attributes}");
            Assert.Equal(r.Family, parsed.Family is { } f ? FamilyNames.Of(f) : null);
        }
    }

    [Theory]
    [MemberData(nameof(Splits))]
    public void FullySpecifiedDescriptionsPinTheShapeExactly(string split)
    {
        foreach (var r in Records(split))
        {
            var candidates = DescriptionParser.Candidates(r.Description);
            Assert.Contains(r.Spec!, candidates);
            if (r.FullySpecified)
                Assert.True(candidates.Count == 1, $"\"{r.Description}\" fits {candidates.Count} combinations: {string.Join("; ", candidates.Take(3).Select(c => c.Key))}");
        }
    }

    [Fact]
    public void PartialDescriptionsStateFewerAttributesAndLeaveTheShapeOpen()
    {
        var partial = Train.Value.Where(r => !r.FullySpecified).ToList();
        Assert.True(partial.Count > 1000);
        Assert.Contains(partial, r => r.Stated.Stated.Count == 0);
        Assert.True(partial.Average(r => r.Stated.Stated.Count) < 0.7 * Train.Value.Where(r => r.FullySpecified).Average(r => r.Stated.Stated.Count));
        Assert.True(partial.Average(r => DescriptionParser.Candidates(r.Description).Count) > 5);
    }

    [Fact]
    public void NumbersAppearBothAsDigitsAndAsWords()
    {
        var storeyDigits = new Regex(@"\b\d+[- ](?:storey|story|floor|level)");
        var storeyWords = new Regex(@"\b(?:two|three|four|five)[- ](?:storey|story|floor|level)");
        var sizeDigits = new Regex(@"\b\d+ (?:by|blocks)\b");
        var sizeWords = new Regex(@"\b(?:eight|ten|twelve|fourteen|sixteen|twenty|twenty-four|twenty-eight) (?:by|blocks)\b");
        var texts = Train.Value.Select(r => r.Description.ToLowerInvariant()).ToList();
        Assert.Contains(texts, storeyDigits.IsMatch);
        Assert.Contains(texts, storeyWords.IsMatch);
        Assert.Contains(texts, sizeDigits.IsMatch);
        Assert.Contains(texts, sizeWords.IsMatch);
        int digits = texts.Count(sizeDigits.IsMatch), words = texts.Count(sizeWords.IsMatch);
        Assert.InRange(digits / (double)(digits + words), 0.3, 0.7);
    }

    [Fact]
    public void PhrasingVariesAcrossTheCorpus()
    {
        var texts = Train.Value.Select(r => r.Description.ToLowerInvariant()).ToList();
        Assert.True(texts.Distinct().Count() > 0.95 * texts.Count);
        foreach (string word in new[] { "tower", "spire", "turret", "storeys", "floors", "levels", "tall", "high", "towering", "low", "squat", "wooden", "stone", "symmetric", "asymmetric" })
            Assert.Contains(texts, t => Regex.IsMatch(t, $@"(?<![\w-]){Regex.Escape(word)}(?![\w-])"));
        foreach (string template in DescriptionLexicon.TrainingTemplates)
            Assert.Contains(Train.Value, r => r.Template == template);
    }

    [Theory]
    [InlineData("a symmetric five-storey wooden pagoda with overhanging eaves", BuildingFamily.Pagoda)]
    [InlineData("a tall stone tower", BuildingFamily.Tower)]
    [InlineData("a low hut", BuildingFamily.Hut)]
    [InlineData("A lopsided 3-story house with a gabled roof", BuildingFamily.House)]
    [InlineData("an open-topped wishing well", BuildingFamily.Well)]
    [InlineData("a huge castle with a flat roof", BuildingFamily.Keep)]
    public void PromptsAUserWouldTypeAreUnderstood(string prompt, BuildingFamily family)
    {
        var parsed = DescriptionParser.Parse(prompt);
        Assert.Equal(family, parsed.Family);
        var candidates = DescriptionParser.Candidates(prompt);
        Assert.NotEmpty(candidates);
        Assert.Contains(candidates, c => CorpusSplits.SplitOf(c) == CorpusSplit.Train);

        // Every word of the prompt occurs in the training corpus, so the model has seen it.
        var vocabulary = Train.Value.SelectMany(r => Words(r.Description)).ToHashSet();
        foreach (string w in Words(prompt))
            Assert.True(vocabulary.Contains(w), $"'{w}' never occurs in training descriptions");
    }

    [Fact]
    public void UserPromptsParseToTheExpectedAttributes()
    {
        Assert.Equal(new AttributeValues(Storeys: 5, Symmetry: SymmetryKind.Symmetric),
            DescriptionParser.Parse("a symmetric five-storey wooden pagoda with overhanging eaves").Attributes);
        Assert.Equal(new AttributeValues(HeightClass: HeightClass.Tall), DescriptionParser.Parse("a tall stone tower").Attributes);
        Assert.Equal(new AttributeValues(HeightClass: HeightClass.Low), DescriptionParser.Parse("a low hut").Attributes);
        Assert.Equal(new AttributeValues(Storeys: 3, Symmetry: SymmetryKind.Asymmetric, Roof: RoofKind.Pitched),
            DescriptionParser.Parse("A lopsided 3-story house with a gabled roof").Attributes);
        Assert.Equal(new AttributeValues(Roof: RoofKind.Pyramidal), DescriptionParser.Parse("a house with a pyramid roof").Attributes);
        Assert.Equal(BuildingFamily.House, DescriptionParser.Parse("a house with a pyramid roof").Family);
        // Words for two different values cancel out rather than guess.
        Assert.Null(DescriptionParser.Parse("a tall low tower").Attributes.HeightClass);
    }

    [Fact]
    public void EveryLexiconWordReadsBackAsItsOwnValue()
    {
        foreach (var (value, words) in DescriptionLexicon.HeightAdjectives)
            foreach (var w in words.All) Assert.Equal(value, DescriptionParser.Parse($"a {w} hut").Attributes.HeightClass);
        foreach (var (value, words) in DescriptionLexicon.FootprintAdjectives)
            foreach (var w in words.All) Assert.Equal(value, DescriptionParser.Parse($"a {w} hut").Attributes.Footprint);
        foreach (var (value, words) in DescriptionLexicon.SymmetryAdjectives)
            foreach (var w in words.All) Assert.Equal(value, DescriptionParser.Parse($"a {w} hut").Attributes.Symmetry);
        foreach (var (value, words) in DescriptionLexicon.RoofPhrases)
            foreach (var w in words.All) Assert.Equal(value, DescriptionParser.Parse($"a hut with {w}").Attributes.Roof);
        foreach (var (value, words) in DescriptionLexicon.RoofAdjectives)
            foreach (var w in words.All) Assert.Equal(value, DescriptionParser.Parse($"a {w} hut").Attributes.Roof);
        foreach (var (value, words) in DescriptionLexicon.RoofPostPhrases)
            foreach (var w in words.All) Assert.Equal(value, DescriptionParser.Parse($"a hut {w}").Attributes.Roof);
        foreach (var (family, nouns) in DescriptionLexicon.Nouns)
            foreach (var n in nouns.All) Assert.Equal(family, DescriptionParser.Parse($"a small {n} with a flat roof").Family);
        foreach (var suffix in DescriptionLexicon.StoreyAdjectiveSuffixes.All)
            Assert.Equal(4, DescriptionParser.Parse($"a four-{suffix} tower").Attributes.Storeys);
        foreach (var noun in DescriptionLexicon.StoreyNouns.All)
            Assert.Equal(12, DescriptionParser.Parse($"a tower with 12 {noun}").Attributes.Storeys);
    }

    [Theory]
    [InlineData("eight-storey tower", "an")]
    [InlineData("8-storey tower", "an")]
    [InlineData("11 by 4 plan", "an")]
    [InlineData("one-storey hut", "a")]
    [InlineData("asymmetric hut", "an")]
    [InlineData("unbalanced hut", "an")]
    [InlineData("tall hut", "a")]
    [InlineData("12 by 8 plan", "a")]
    public void ArticlesFollowTheSoundOfTheNextWord(string next, string article) =>
        Assert.Equal(article, DescriptionWriter.Article(next));

    [Fact]
    public void NumberWordsRoundTrip()
    {
        for (int n = 0; n <= 32; n++)
        {
            Assert.True(DescriptionLexicon.TryParseNumber(DescriptionLexicon.NumberWord(n), out int back));
            Assert.Equal(n, back);
        }
        Assert.False(DescriptionLexicon.TryParseNumber("many", out _));
    }

    [Fact]
    public void TheSameSeedWritesTheSameDescription()
    {
        var spec = BuildingCatalog.Combinations(BuildingFamily.Pagoda)[3];
        Assert.Equal(DescriptionWriter.Write(spec, true, false, 99), DescriptionWriter.Write(spec, true, false, 99));
        var texts = Enumerable.Range(0, 20).Select(i => DescriptionWriter.Write(spec, true, false, (ulong)i).Text).Distinct().Count();
        Assert.True(texts > 15);
    }

    private static IEnumerable<string> Words(string text) =>
        Regex.Matches(text.ToLowerInvariant(), @"[a-z]+").Select(m => m.Value);
}
