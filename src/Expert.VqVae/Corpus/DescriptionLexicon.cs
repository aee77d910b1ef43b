using System.Collections.Frozen;

namespace Expert.VqVae.Corpus;

/// <summary>
/// The words descriptions are made of, shared by <see cref="DescriptionWriter"/> (which writes them) and
/// <see cref="DescriptionParser"/> (which reads attributes back). Each list has training words and
/// held-out words: held-out words, templates and intros appear only in the test split (and only in
/// records marked as held-out phrasing), never in training data.
/// </summary>
public static class DescriptionLexicon
{
    /// <summary>A word list split into what training may use and what only the test split may use.</summary>
    public sealed record Words(IReadOnlyList<string> Training, IReadOnlyList<string> HeldOut)
    {
        public IEnumerable<string> All => Training.Concat(HeldOut);
    }

    private static Words W(string[] training, params string[] heldOut) => new(training, heldOut);

    /// <summary>Nouns per family; the first is the plain name.</summary>
    public static FrozenDictionary<BuildingFamily, Words> Nouns { get; } = new Dictionary<BuildingFamily, Words>
    {
        [BuildingFamily.House] = W(["house", "cottage", "home", "dwelling"]),
        [BuildingFamily.Tower] = W(["tower", "spire", "turret"]),
        [BuildingFamily.Pagoda] = W(["pagoda"]),
        [BuildingFamily.Pyramid] = W(["pyramid", "step pyramid", "ziggurat"]),
        [BuildingFamily.Wall] = W(["wall", "rampart", "city wall", "defensive wall"]),
        [BuildingFamily.Bridge] = W(["bridge", "footbridge", "viaduct"]),
        [BuildingFamily.Arch] = W(["arch", "archway", "triumphal arch"]),
        [BuildingFamily.Keep] = W(["castle keep", "keep", "castle", "donjon"]),
        [BuildingFamily.Lighthouse] = W(["lighthouse", "beacon"]),
        [BuildingFamily.Hut] = W(["hut", "shack", "cabin", "shed"]),
        [BuildingFamily.Temple] = W(["temple", "shrine", "colonnaded temple"]),
        [BuildingFamily.Well] = W(["well", "wishing well", "water well"]),
        [BuildingFamily.Obelisk] = W(["obelisk", "monument"]),
    }.ToFrozenDictionary();

    public static FrozenDictionary<HeightClass, Words> HeightAdjectives { get; } = new Dictionary<HeightClass, Words>
    {
        [HeightClass.Low] = W(["low", "squat", "short", "low-rise"], "stumpy"),
        [HeightClass.Medium] = W(["medium-height", "mid-height"], "mid-rise"),
        [HeightClass.Tall] = W(["tall", "high", "towering", "lofty"], "soaring"),
    }.ToFrozenDictionary();

    /// <summary>Height-class phrases that follow the noun.</summary>
    public static FrozenDictionary<HeightClass, Words> HeightPostPhrases { get; } = new Dictionary<HeightClass, Words>
    {
        [HeightClass.Low] = W(["that is low", "that stands low"]),
        [HeightClass.Medium] = W(["of medium height", "of moderate height"]),
        [HeightClass.Tall] = W(["that is tall", "that stands tall"]),
    }.ToFrozenDictionary();

    public static FrozenDictionary<FootprintClass, Words> FootprintAdjectives { get; } = new Dictionary<FootprintClass, Words>
    {
        [FootprintClass.Small] = W(["small", "little", "compact", "tiny"], "petite"),
        [FootprintClass.Medium] = W(["medium-sized", "mid-sized"], "moderately sized"),
        [FootprintClass.Large] = W(["large", "big", "huge", "sprawling"], "vast"),
    }.ToFrozenDictionary();

    public static FrozenDictionary<SymmetryKind, Words> SymmetryAdjectives { get; } = new Dictionary<SymmetryKind, Words>
    {
        [SymmetryKind.Symmetric] = W(["symmetric", "symmetrical", "balanced", "mirror-symmetric"], "mirrored"),
        [SymmetryKind.Asymmetric] = W(["asymmetric", "asymmetrical", "lopsided", "irregular", "unbalanced"], "off-kilter"),
    }.ToFrozenDictionary();

    /// <summary>Storey nouns (plural, singular) and the compound-adjective forms ("five-storey").</summary>
    public static Words StoreyNouns { get; } = W(["storeys", "floors", "levels", "stories"], "tiers");

    public static Words StoreyAdjectiveSuffixes { get; } = W(["storey", "story", "floor", "level"], "tiered");

    public static FrozenDictionary<RoofKind, Words> RoofAdjectives { get; } = new Dictionary<RoofKind, Words>
    {
        [RoofKind.None] = W(["roofless", "open-topped"], "unroofed"),
        [RoofKind.Flat] = W(["flat-roofed", "flat-topped"]),
        [RoofKind.Pitched] = W(["gabled", "pitched-roof"]),
        [RoofKind.Pyramidal] = W(["pyramid-roofed"]),
    }.ToFrozenDictionary();

    /// <summary>Roof noun phrases, used after "with" or "has".</summary>
    public static FrozenDictionary<RoofKind, Words> RoofPhrases { get; } = new Dictionary<RoofKind, Words>
    {
        [RoofKind.None] = W(["no roof", "an open top"]),
        [RoofKind.Flat] = W(["a flat roof", "a flat top", "a flat rooftop"]),
        [RoofKind.Pitched] = W(["a pitched roof", "a gabled roof", "a sloped roof", "a peaked roof", "a gable roof"], "an a-frame roof"),
        [RoofKind.Pyramidal] = W(["a pyramidal roof", "a pyramid roof", "a pointed roof", "a four-sided pointed roof"], "a tented roof"),
    }.ToFrozenDictionary();

    /// <summary>Roof phrases that follow the noun without "with".</summary>
    public static FrozenDictionary<RoofKind, Words> RoofPostPhrases { get; } = new Dictionary<RoofKind, Words>
    {
        [RoofKind.None] = W(["open to the sky", "without a roof"]),
        [RoofKind.Flat] = W(["topped with a flat roof"]),
        [RoofKind.Pitched] = W(["under a pitched roof", "topped with a gabled roof"]),
        [RoofKind.Pyramidal] = W(["topped with a pyramidal roof", "under a pointed roof"]),
    }.ToFrozenDictionary();

    public static Words Materials { get; } = W(
        ["wooden", "oak", "spruce", "birch", "dark oak", "stone", "cobblestone", "stone-brick", "brick", "red brick",
         "sandstone", "quartz", "granite", "mossy stone", "deepslate"],
        "terracotta", "prismarine");

    /// <summary>Material nouns for "made of ..." phrases.</summary>
    public static Words MaterialNouns { get; } = W(
        ["oak planks", "spruce wood", "stone", "stone bricks", "cobblestone", "bricks", "sandstone", "quartz", "granite", "wood"],
        "terracotta", "prismarine");

    public static Words Intros { get; } = W(["build ", "make ", "create ", "generate ", "construct ", "i want ", "please build ", "a model of "],
        "imagine ", "could you build ", "show me ", "i would like ");

    /// <summary>Templates training data is written with.</summary>
    public static IReadOnlyList<string> TrainingTemplates { get; } = ["adjectives", "keywords", "that-has", "comma-list"];

    /// <summary>Templates only the test split uses (held-out phrasing).</summary>
    public static IReadOnlyList<string> HeldOutTemplates { get; } = ["sentences", "parenthetical", "fronted"];

    /// <summary>Every held-out word or phrase (synonyms and intros), as whole words to look for in text.</summary>
    public static IReadOnlyList<string> HeldOutWords { get; } =
        HeightAdjectives.Values.Concat(HeightPostPhrases.Values).Concat(FootprintAdjectives.Values).Concat(SymmetryAdjectives.Values)
            .Concat(RoofAdjectives.Values).Concat(RoofPhrases.Values).Concat(RoofPostPhrases.Values)
            .Concat([StoreyNouns, StoreyAdjectiveSuffixes, Materials, MaterialNouns, Intros])
            .Concat(Nouns.Values)
            .SelectMany(w => w.HeldOut).Select(w => w.Trim()).Distinct().ToArray();

    private static readonly string[] NumberWords =
    [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
        "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty", "twenty-one",
        "twenty-two", "twenty-three", "twenty-four", "twenty-five", "twenty-six", "twenty-seven", "twenty-eight",
        "twenty-nine", "thirty", "thirty-one", "thirty-two",
    ];

    /// <summary>The English word for 0..32 ("five", "twenty-four").</summary>
    public static string NumberWord(int n) =>
        n >= 0 && n < NumberWords.Length ? NumberWords[n] : throw new ArgumentOutOfRangeException(nameof(n), n, "0..32 only.");

    /// <summary>Parses a number written as digits or as a word from <see cref="NumberWord"/>.</summary>
    public static bool TryParseNumber(string text, out int n)
    {
        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out n)) return true;
        n = Array.IndexOf(NumberWords, text);
        return n >= 0;
    }

    /// <summary>Regex alternation matching a number as digits or words (longest words first).</summary>
    internal static string NumberPattern { get; } =
        @"\d+|" + string.Join("|", NumberWords.OrderByDescending(w => w.Length).Select(System.Text.RegularExpressions.Regex.Escape));
}
