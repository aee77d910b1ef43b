using Expert.VqVae.Corpus;
using Expert.VqVae.Materials;

namespace Expert.VqVae.Composition;

/// <summary>A description of a composed building and exactly what it states.</summary>
/// <param name="Text">The description.</param>
/// <param name="Stated">The attributes it states.</param>
/// <param name="StatedParts">The parts it names (with their counts where a part has several: four corner towers, two columns).</param>
/// <param name="StatedMaterials">The material slots it names, with their blocks.</param>
/// <param name="FullySpecified">True when it states every attribute, every part, every used material, the plan size and the storeys.</param>
/// <param name="Template">The sentence template.</param>
public sealed record ComposedDescription(
    string Text,
    AttributeValues Stated,
    IReadOnlyList<PartKind> StatedParts,
    IReadOnlyDictionary<MaterialSlot, BlockMaterial> StatedMaterials,
    bool FullySpecified,
    string Template);

/// <summary>
/// Phrases a composed building in many ways (Composition/COMPOSITION.md): part names and their counts
/// ("four corner towers", "a porch on two columns"), materials per part ("stone walls", "a roof of oak
/// planks", "built of sandstone"), the attributes with the corpus's own words (Corpus/DescriptionLexicon),
/// numbers as digits or words, five templates and a random order of the items. Fully specified: every
/// part, used material and attribute, plus the plan size and the storeys; partial: each with
/// probability 1/2. Deterministic for a given random state.
/// </summary>
public static class ComposedDescriptionWriter
{
    public static IReadOnlyList<string> Templates { get; } = ["with-list", "that-has", "colon", "sentences", "made-of"];

    public static ComposedDescription Write(ComposedSpec spec, bool fullySpecified, ulong seed) =>
        Write(spec, fullySpecified, new DeterministicRandom(seed));

    internal static ComposedDescription Write(ComposedSpec spec, bool fully, DeterministicRandom rng)
    {
        var truth = CompositionCatalog.TrueAttributes(spec);
        var adjectives = new List<string>();
        var items = new List<string>();
        var stated = new List<BuildingAttribute>();
        var parts = new List<PartKind>();
        var materials = new Dictionary<MaterialSlot, BlockMaterial>();
        bool Say() => fully || rng.Chance(0.5);

        // Attributes.
        if (Say()) { stated.Add(BuildingAttribute.HeightClass); adjectives.Add(Pick(rng, DescriptionLexicon.HeightAdjectives[truth.HeightClass!.Value])); }
        if (Say()) { stated.Add(BuildingAttribute.Footprint); adjectives.Insert(0, Pick(rng, DescriptionLexicon.FootprintAdjectives[truth.Footprint!.Value])); }
        if (Say()) { stated.Add(BuildingAttribute.Symmetry); adjectives.Add(Pick(rng, DescriptionLexicon.SymmetryAdjectives[truth.Symmetry!.Value])); }
        if (Say())
        {
            stated.Add(BuildingAttribute.Storeys);
            string n = Number(rng, spec.Storeys);
            if (rng.Chance(0.5)) adjectives.Add($"{n}-{Pick(rng, DescriptionLexicon.StoreyAdjectiveSuffixes)}");
            else items.Add($"{n} {(spec.Storeys == 1 ? rng.Pick(["storey", "floor", "level"]) : Pick(rng, DescriptionLexicon.StoreyNouns))}");
        }
        bool roofSaid = false;
        if (truth.Roof is { } roofKind && Say())
        {
            stated.Add(BuildingAttribute.Roof);
            roofSaid = true;
            string roofPhrase = Pick(rng, DescriptionLexicon.RoofPhrases[roofKind]);
            if (spec.Roof != ComposedRoof.Dome && Say())
            {
                materials[MaterialSlot.Roof] = spec.RoofMaterial;
                roofPhrase = rng.Chance(0.5)
                    ? $"{roofPhrase} of {MaterialNoun(rng, spec.RoofMaterial)}"
                    : Article(roofPhrase.Replace("a ", "").Replace("an ", ""), $"{MaterialAdjective(rng, spec.RoofMaterial)} ");
            }
            items.Add(roofPhrase);
        }
        if (fully || rng.Chance(0.3)) items.Add(SizePhrase(rng, spec.Width, spec.Depth));

        // Parts, with the materials of those that have their own.
        foreach (var part in spec.Parts.Order())
        {
            if (!Say()) continue;
            parts.Add(part);
            MaterialSlot? slot = part switch
            {
                PartKind.CornerTowers => MaterialSlot.Towers,
                PartKind.Chimney => MaterialSlot.Chimney,
                PartKind.Columns => MaterialSlot.Columns,
                PartKind.Stairs => MaterialSlot.Stairs,
                PartKind.Dome => MaterialSlot.Roof,
                _ => null,
            };
            BlockMaterial? m = null;
            if (slot is { } sl && (fully || rng.Chance(0.6)) && !(sl == MaterialSlot.Roof && roofSaid))
            {
                m = spec.MaterialOf(sl);
                materials[sl] = m.Value;
            }
            items.Add(PartPhrase(rng, part, m));
        }

        // Every used material slot in a fully specified text (the walls, and the roof if not said yet).
        bool wallsSaid = Say();
        if (wallsSaid) materials[MaterialSlot.Walls] = spec.Walls;
        if (fully && !materials.ContainsKey(MaterialSlot.Roof))
        {
            materials[MaterialSlot.Roof] = spec.RoofMaterial;
            items.Add(rng.Chance(0.5) ? $"a roof of {MaterialNoun(rng, spec.RoofMaterial)}" : $"a {MaterialAdjective(rng, spec.RoofMaterial)} roof");
        }
        foreach (var slot in spec.UsedSlots())
            if (fully && !materials.ContainsKey(slot))
            {
                materials[slot] = spec.MaterialOf(slot);
                items.Add($"{Slots.Name(slot)} of {MaterialNoun(rng, spec.MaterialOf(slot))}");
            }

        rng.Shuffle(items);
        string noun = Noun(rng, spec);
        string template = rng.Pick(Templates);
        string adj = adjectives.Count == 0 ? "" : string.Join(" ", adjectives) + " ";
        string wallsAdj = wallsSaid && template != "made-of" ? MaterialAdjective(rng, spec.Walls) + " " : "";
        string head = Article(noun, adj + wallsAdj);
        string list = Join(items);
        string text = template switch
        {
            "with-list" => items.Count == 0 ? head : $"{head} with {list}",
            "that-has" => items.Count == 0 ? head : $"{head} that has {list}",
            "colon" => items.Count == 0 ? head : $"{head}: {list}",
            "sentences" => items.Count == 0 ? $"Build {head}." : $"Build {head}. It has {list}.",
            _ => (wallsSaid ? $"{head} made of {MaterialNoun(rng, spec.Walls)}" : head) + (items.Count == 0 ? "" : $", with {list}"),
        };
        if (rng.Chance(0.3)) text = char.ToUpperInvariant(text[0]) + text[1..];
        return new ComposedDescription(text, truth.Only(stated), parts, materials, fully, template);
    }

    private static string PartPhrase(DeterministicRandom rng, PartKind part, BlockMaterial? m)
    {
        string a = m is { } x ? MaterialAdjective(rng, x) + " " : "";
        string of = m is { } y ? " of " + MaterialNoun(rng, y) : "";
        bool before = rng.Chance(0.5);
        string Adj(string phrase) => before ? a + phrase : phrase + of;
        return part switch
        {
            PartKind.Door => rng.Pick(["a door", "a front door", "a doorway", "an entrance door", "a door in front"]),
            PartKind.Gate => rng.Pick(["a gate", "a wide gate", "a gateway", "a main gate between two pillars", "a gate flanked by pillars"]),
            PartKind.Windows => rng.Pick(["glass windows", "windows", "glazed windows", "windows of glass", "windows on every floor"]),
            PartKind.CornerTowers => $"{Number(rng, 4)} " + Adj(rng.Pick(["corner towers", "towers at the corners", "corner turrets"])),
            PartKind.Battlements => rng.Pick(["battlements", "crenellations", "a crenellated parapet", "merlons along the top"]),
            PartKind.Chimney => Article(Adj("chimney"), ""),
            PartKind.Stairs => rng.Pick([$"{Number(rng, 2)} " + Adj("steps") + " up to the entrance", Adj("front steps"), Article(Adj("short flight of stairs"), ""), Adj("stairs") + " at the entrance"]),
            PartKind.Columns => rng.Pick([$"a porch on {Number(rng, 2)} " + Adj("columns"), $"{Number(rng, 2)} " + Adj("columns") + " holding a porch", $"{Number(rng, 2)} " + Adj("pillars") + " in front"]),
            PartKind.Eaves => rng.Pick(["overhanging eaves", "wide eaves", "deep eaves", "eaves that overhang"]),
            PartKind.Dome => Article(Adj(rng.Pick(["dome", "round dome", "domed roof", "cupola"])), ""),
            PartKind.Wing => rng.Pick(["a side wing", "a wing on the right", "an annex on one side", "a side annex"]),
            _ => throw new ArgumentOutOfRangeException(nameof(part)),
        };
    }

    private static string Noun(DeterministicRandom rng, ComposedSpec spec)
    {
        var nouns = new List<string> { "building", "house", "hall", "structure" };
        if (spec.Storeys >= 2) nouns.Add("manor");
        if (spec.Has(PartKind.CornerTowers) && spec.Has(PartKind.Battlements)) nouns.AddRange(["castle", "fort"]);
        if (spec.Storeys == 1 && spec.Width <= 10 && spec.Depth <= 10) nouns.AddRange(["cottage", "cabin"]);
        if (spec.Has(PartKind.Dome)) nouns.Add("domed hall");
        return rng.Pick(nouns);
    }

    private static string SizePhrase(DeterministicRandom rng, int w, int d) => rng.Next(3) switch
    {
        0 => $"a {Number(rng, w)} by {Number(rng, d)} footprint",
        1 => $"a plan of {Number(rng, w)} by {Number(rng, d)} blocks",
        _ => $"a {w}x{d} base",
    };

    /// <summary>Adjective forms of a block ("oak-plank", "stone").</summary>
    internal static string MaterialAdjective(DeterministicRandom rng, BlockMaterial m) => m switch
    {
        BlockMaterial.OakPlanks => rng.Pick(["oak-plank", "oak plank", "planked"]),
        BlockMaterial.OakLog => rng.Pick(["oak-log", "log"]),
        BlockMaterial.Stone => "stone",
        BlockMaterial.Cobblestone => rng.Pick(["cobblestone", "cobbled"]),
        BlockMaterial.Sandstone => "sandstone",
        BlockMaterial.Glass => "glass",
        _ => throw new ArgumentOutOfRangeException(nameof(m)),
    };

    /// <summary>Noun forms of a block ("oak planks", "cobblestone").</summary>
    internal static string MaterialNoun(DeterministicRandom rng, BlockMaterial m) => m switch
    {
        BlockMaterial.OakPlanks => rng.Pick(["oak planks", "planks", "oak boards"]),
        BlockMaterial.OakLog => rng.Pick(["oak logs", "logs"]),
        BlockMaterial.Stone => rng.Pick(["stone", "smooth stone"]),
        BlockMaterial.Cobblestone => rng.Pick(["cobblestone", "cobbles"]),
        BlockMaterial.Sandstone => "sandstone",
        BlockMaterial.Glass => "glass",
        _ => throw new ArgumentOutOfRangeException(nameof(m)),
    };

    private static string Pick(DeterministicRandom rng, DescriptionLexicon.Words words) => rng.Pick(words.Training);

    private static string Number(DeterministicRandom rng, int n) => rng.Chance(0.5) ? DescriptionLexicon.NumberWord(n) : n.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Article(string noun, string adjectives)
    {
        string phrase = adjectives + noun;
        return ("aeiou".Contains(phrase[0]) ? "an " : "a ") + phrase;
    }

    private static string Join(IReadOnlyList<string> items) => items.Count switch
    {
        0 => "",
        1 => items[0],
        _ => string.Join(", ", items.Take(items.Count - 1)) + " and " + items[^1],
    };
}
