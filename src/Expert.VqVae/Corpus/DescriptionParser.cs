using System.Text.RegularExpressions;

namespace Expert.VqVae.Corpus;

/// <summary>What <see cref="DescriptionParser"/> reads from a description.</summary>
public sealed record ParsedDescription(BuildingFamily? Family, AttributeValues Attributes);

/// <summary>Parameter values a description states (null where it does not).</summary>
public sealed record ParsedParams(int? Width, int? Depth, int? Height, bool? Hollow, bool? Openings);

/// <summary>
/// Reads the family and the stated attributes back from free text, using the words of
/// <see cref="DescriptionLexicon"/> (training and held-out). An attribute whose words point to two
/// different values is left unstated. Useful to check a user's prompt ("a tall stone tower") against what
/// a generated grid measures, and used by the tests to prove every corpus description states exactly
/// the attributes its record lists.
/// </summary>
public static partial class DescriptionParser
{
    private const string B = @"(?<![\w-])", E = @"(?![\w-])";

    private static readonly Dictionary<string, BuildingFamily> FamilyByNoun =
        DescriptionLexicon.Nouns.SelectMany(kv => kv.Value.All.Select(noun => (noun, kv.Key))).ToDictionary(p => p.noun, p => p.Key);

    /// <summary>All family nouns, longest first; "pyramid" not when it names a roof ("a pyramid roof").</summary>
    private static readonly Regex FamilyPattern = new(
        B + "(?:" + string.Join("|", FamilyByNoun.Keys.OrderByDescending(n => n.Length).Select(Regex.Escape)) + ")" + E + @"(?![- ]roof)",
        RegexOptions.CultureInvariant | RegexOptions.Compiled);

    private static readonly (HeightClass Value, Regex Pattern)[] HeightPatterns =
        Patterns(DescriptionLexicon.HeightAdjectives.ToDictionary(kv => kv.Key,
            kv => kv.Value.All.Concat(DescriptionLexicon.HeightPostPhrases[kv.Key].All)));

    private static readonly (FootprintClass Value, Regex Pattern)[] FootprintPatterns =
        Patterns(DescriptionLexicon.FootprintAdjectives.ToDictionary(kv => kv.Key, kv => kv.Value.All));

    private static readonly (SymmetryKind Value, Regex Pattern)[] SymmetryPatterns =
        Patterns(DescriptionLexicon.SymmetryAdjectives.ToDictionary(kv => kv.Key, kv => kv.Value.All));

    private static readonly (RoofKind Value, Regex Pattern)[] RoofPatterns = Patterns(new Dictionary<RoofKind, IEnumerable<string>>
    {
        [RoofKind.None] = ["roofless", "open-topped", "unroofed", "no roof", "open top", "open to the sky", "without a roof"],
        [RoofKind.Flat] = ["flat", "flat-roofed", "flat-topped"],
        [RoofKind.Pitched] = ["pitched", "pitched-roof", "gabled", "gable", "sloped", "peaked", "a-frame"],
        [RoofKind.Pyramidal] = ["pyramidal", "pyramid roof", "pyramid-roofed", "pointed", "tented"],
    });

    private static readonly Regex StoreysPattern = new(
        B + "(?<n>" + DescriptionLexicon.NumberPattern + @")[- ](?:stor(?:ey|y|ie)s?|floors?|levels?|tiers?|tiered)" + E,
        RegexOptions.CultureInvariant | RegexOptions.Compiled);

    private static readonly Regex SingleStoreyPattern = new(
        B + @"single[- ](?:storey|story|floor|level|tier|tiered)" + E, RegexOptions.CultureInvariant | RegexOptions.Compiled);

    private static readonly string N = "(?<n>" + DescriptionLexicon.NumberPattern + ")";

    private static Regex R(string pattern) => new(B + pattern + E, RegexOptions.CultureInvariant | RegexOptions.Compiled);

    private static readonly Regex PairPattern = R("(?<a>" + DescriptionLexicon.NumberPattern + ") by (?<b>" + DescriptionLexicon.NumberPattern + ")");
    private static readonly Regex[] WidthPatterns =
        [R(N + " blocks wide"), R(N + "-block-wide (?:base|shaft)"), R(N + " blocks across"), R("a width of " + N + " blocks")];
    private static readonly Regex[] DepthPatterns = [R(N + " blocks deep"), R(N + " blocks thick"), R("a thickness of " + N + " blocks")];
    private static readonly Regex[] LengthPatterns =
        [R(N + " blocks long"), R("spanning " + N + " blocks"), R("a span of " + N + " blocks"), R("a length of " + N + " blocks")];
    private static readonly Regex[] HeightNumberPatterns =
    [
        R(N + " blocks in height"), R("rising " + N + " blocks"), R("a height of " + N + " blocks"), R("a deck at height " + N),
        R("deck " + N + " blocks up"), R(N + "-block (?:columns|shaft)"), R("(?:columns|a shaft) of " + N + " blocks"),
    ];
    private static readonly Regex NoOpenings = R("(?:no (?:windows|door|gate|entrance)|windowless|gateless|sealed|without (?:doors|a gate|an entrance))");
    private static readonly Regex AnyOpening = R("(?:doors?|doorway|windows|gate|gateway|entrance|entrance tunnel)");
    private static readonly Regex HollowWords = R("(?:hollow|empty interior)");
    private static readonly Regex SolidWords = R("solid");

    /// <summary>
    /// The parameter values the text states for a building of <paramref name="family"/>: sizes ("12 by 8",
    /// "24 blocks long", "a deck 4 blocks wide"), a height ("8 blocks in height", "6-block columns"),
    /// openings ("with a door and windows" / "windowless") and hollowness.
    /// </summary>
    public static ParsedParams ParseParams(string text, BuildingFamily family)
    {
        ArgumentNullException.ThrowIfNull(text);
        string t = text.ToLowerInvariant();
        var ps = BuildingCatalog.Parameters(family);
        int? width = null, depth = null, height = null;
        bool conflict = false;
        foreach (Match m in PairPattern.Matches(t))
        {
            if (!DescriptionLexicon.TryParseNumber(m.Groups["a"].Value, out int a) || !DescriptionLexicon.TryParseNumber(m.Groups["b"].Value, out int b)) continue;
            Merge(ref width, a, ref conflict);
            Merge(ref depth, b, ref conflict);
        }
        // A bridge's "wide" is its deck (depth); its length is its width.
        foreach (int n in Numbers(WidthPatterns, t))
            if (family == BuildingFamily.Bridge) Merge(ref depth, n, ref conflict); else Merge(ref width, n, ref conflict);
        foreach (int n in Numbers(LengthPatterns, t)) Merge(ref width, n, ref conflict);
        foreach (int n in Numbers(DepthPatterns, t)) Merge(ref depth, n, ref conflict);
        foreach (int n in Numbers(HeightNumberPatterns, t)) Merge(ref height, n, ref conflict);
        if (!ps.Contains(BuildingParam.Depth))
        {
            // Square plans: "8 by 8" names the width twice.
            if (depth is { } d && width is { } w && d != w) conflict = true;
            width ??= depth;
            depth = null;
        }
        if (conflict) return new ParsedParams(null, null, null, null, null);
        bool? openings = NoOpenings.IsMatch(t) ? false : AnyOpening.IsMatch(t) ? true : null;
        bool? hollow = HollowWords.IsMatch(t) ? (SolidWords.IsMatch(t) ? null : true) : SolidWords.IsMatch(t) ? false : null;
        return new ParsedParams(width, depth, ps.Contains(BuildingParam.Height) ? height : null,
            ps.Contains(BuildingParam.Hollow) ? hollow : null, ps.Contains(BuildingParam.Openings) ? openings : null);
    }

    /// <summary>
    /// Every catalog combination consistent with the text: of the family it names (all families if none), with
    /// the attributes it states (as <see cref="BuildingCatalog.TrueAttributes"/> gives them) and the parameter
    /// values it states. A fully specified corpus description has exactly one candidate, its own spec.
    /// </summary>
    public static IReadOnlyList<BuildingSpec> Candidates(string text)
    {
        var parsed = Parse(text);
        var families = parsed.Family is { } f ? [f] : BuildingCatalog.Families;
        var result = new List<BuildingSpec>();
        foreach (var family in families)
        {
            var p = ParseParams(text, family);
            foreach (var spec in BuildingCatalog.Combinations(family))
            {
                if (p.Width is { } w && spec.Width != w) continue;
                if (p.Depth is { } d && spec.Depth != d) continue;
                if (p.Height is { } h && spec.Height != h) continue;
                if (p.Hollow is { } ho && spec.Hollow != ho) continue;
                if (p.Openings is { } op && spec.Openings != op) continue;
                var truth = BuildingCatalog.TrueAttributes(spec);
                var a = parsed.Attributes;
                if (a.HeightClass is { } hc && truth.HeightClass != hc) continue;
                if (a.Storeys is { } st && truth.Storeys != st) continue;
                if (a.Footprint is { } fp && truth.Footprint != fp) continue;
                if (a.Symmetry is { } sy && truth.Symmetry != sy) continue;
                if (a.Roof is { } r && truth.Roof != r) continue;
                result.Add(spec);
            }
        }
        return result;
    }

    private static IEnumerable<int> Numbers(Regex[] patterns, string text)
    {
        foreach (var p in patterns)
            foreach (Match m in p.Matches(text))
                if (DescriptionLexicon.TryParseNumber(m.Groups["n"].Value, out int n)) yield return n;
    }

    /// <summary>Reads the family (the first family noun in the text) and every attribute the text states.</summary>
    public static ParsedDescription Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string t = text.ToLowerInvariant();
        var noun = FamilyPattern.Match(t);
        BuildingFamily? family = noun.Success ? FamilyByNoun[noun.Value] : null;

        int? storeys = null;
        bool conflict = false;
        foreach (Match m in StoreysPattern.Matches(t))
            if (DescriptionLexicon.TryParseNumber(m.Groups["n"].Value, out int n)) Merge(ref storeys, n, ref conflict);
        if (SingleStoreyPattern.IsMatch(t)) Merge(ref storeys, 1, ref conflict);
        if (conflict) storeys = null;

        return new ParsedDescription(family, new AttributeValues(
            One(HeightPatterns, t), storeys, One(FootprintPatterns, t), One(SymmetryPatterns, t), One(RoofPatterns, t)));
    }

    private static void Merge(ref int? value, int n, ref bool conflict)
    {
        if (value is { } v && v != n) conflict = true;
        value = n;
    }

    /// <summary>The single value whose words occur in the text; null when none or several do.</summary>
    private static T? One<T>((T Value, Regex Pattern)[] patterns, string text) where T : struct
    {
        T? found = null;
        foreach (var (value, pattern) in patterns)
        {
            if (!pattern.IsMatch(text)) continue;
            if (found is { } f && !EqualityComparer<T>.Default.Equals(f, value)) return null;
            found = value;
        }
        return found;
    }

    private static (T, Regex)[] Patterns<T>(IReadOnlyDictionary<T, IEnumerable<string>> words) where T : notnull =>
        words.Select(kv => (kv.Key, new Regex(
            B + "(?:" + string.Join("|", kv.Value.Select(w => w.Trim()).Distinct().OrderByDescending(w => w.Length).Select(Regex.Escape)) + ")" + E,
            RegexOptions.CultureInvariant | RegexOptions.Compiled))).ToArray();
}
