using System.Text;

namespace Expert.VqVae.Corpus;

/// <summary>A written description and what it states.</summary>
/// <param name="Text">The description.</param>
/// <param name="Stated">The attributes the text states, with their values.</param>
/// <param name="FullySpecified">True when the text states every attribute that applies to the family and every
/// parameter, so that it pins the grid exactly.</param>
/// <param name="Template">The template it was written with (see <see cref="DescriptionLexicon"/>).</param>
/// <param name="HeldOutPhrasing">True when held-out templates or words were allowed (test split only).</param>
public sealed record WrittenDescription(string Text, AttributeValues Stated, bool FullySpecified, string Template, bool HeldOutPhrasing);

/// <summary>
/// Turns a spec into text in many phrasings: synonyms, word order, numbers as digits or words, optional
/// materials and details that do not change the shape. A fully specified description states every
/// applicable attribute and every parameter; a partial one states each attribute with probability 1/2 and
/// each parameter with probability 3/10. Deterministic for a given random state.
/// </summary>
public static class DescriptionWriter
{
    /// <summary>Writes one description of <paramref name="spec"/>; the same seed gives the same text.</summary>
    public static WrittenDescription Write(BuildingSpec spec, bool fullySpecified, bool heldOutPhrasing, ulong seed) =>
        Write(spec, fullySpecified, heldOutPhrasing, new DeterministicRandom(seed));

    /// <param name="decorativeMaterials">False leaves out the random material words that do not change the
    /// shape (the v2 corpus states a building's real material itself); the random stream is consumed the same way.</param>
    internal static WrittenDescription Write(BuildingSpec spec, bool fully, bool heldOut, DeterministicRandom rng, bool decorativeMaterials = true)
    {
        var truth = BuildingCatalog.TrueAttributes(spec);
        var ctx = new Context(rng, heldOut);
        var items = new List<Item>();
        var stated = new List<BuildingAttribute>();

        foreach (var attribute in truth.Stated)
        {
            if (!fully && !rng.Chance(0.5)) continue;
            stated.Add(attribute);
            items.Add(AttributeItem(attribute, spec, truth, ctx));
            if (attribute == BuildingAttribute.Symmetry && SymmetryDetail(spec, ctx) is { } detail && rng.Chance(0.5))
                items.Add(detail);
        }
        foreach (var item in ParamItems(spec, ctx))
            if (fully || rng.Chance(0.3)) items.Add(item);
        if (rng.Chance(0.5))
        {
            var material = MaterialItem(ctx);
            if (decorativeMaterials) items.Add(material);
        }
        if (DecorItem(spec, ctx) is { } decor && rng.Chance(0.3)) items.Add(decor);

        string template = heldOut && rng.Chance(0.7)
            ? rng.Pick(DescriptionLexicon.HeldOutTemplates)
            : rng.Pick(DescriptionLexicon.TrainingTemplates);
        string noun = ctx.Pick(DescriptionLexicon.Nouns[spec.Family]);
        string text = Render(template, noun, items, ctx);
        if (rng.Chance(0.3)) text = char.ToUpperInvariant(text[0]) + text[1..];
        if (rng.Chance(0.2) && !text.EndsWith('.')) text += ".";
        return new WrittenDescription(text, truth.Only(stated), fully, template, heldOut);
    }

    // ---- items ------------------------------------------------------------------------------------

    /// <summary>One thing a description says, with its alternative forms. Rank orders pre-noun adjectives.</summary>
    private sealed class Item(int rank)
    {
        public int Rank { get; } = rank;
        public List<string> Adj { get; } = [];
        public List<string> Np { get; } = [];
        public List<string> Post { get; } = [];
    }

    private sealed class Context(DeterministicRandom rng, bool heldOut)
    {
        public DeterministicRandom Rng { get; } = rng;
        public bool HeldOut { get; } = heldOut;

        /// <summary>A training word, or, in held-out phrasing, a held-out word half the time when there is one.</summary>
        public string Pick(DescriptionLexicon.Words words) =>
            HeldOut && words.HeldOut.Count > 0 && Rng.Chance(0.5) ? Rng.Pick(words.HeldOut) : Rng.Pick(words.Training);

        public IEnumerable<string> Some(DescriptionLexicon.Words words, int n)
        {
            for (int i = 0; i < n; i++) yield return Pick(words);
        }

        /// <summary>A number as digits or as a word, half and half.</summary>
        public string Num(int n) => Rng.Chance(0.5) ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : DescriptionLexicon.NumberWord(n);
    }

    private static Item AttributeItem(BuildingAttribute attribute, BuildingSpec spec, AttributeValues truth, Context c)
    {
        switch (attribute)
        {
            case BuildingAttribute.HeightClass:
            {
                var h = truth.HeightClass!.Value;
                var item = new Item(1);
                item.Adj.AddRange(c.Some(DescriptionLexicon.HeightAdjectives[h], 3));
                item.Post.Add(c.Pick(DescriptionLexicon.HeightPostPhrases[h]));
                return item;
            }
            case BuildingAttribute.Footprint:
            {
                var f = truth.Footprint!.Value;
                var item = new Item(0);
                item.Adj.AddRange(c.Some(DescriptionLexicon.FootprintAdjectives[f], 3));
                item.Np.Add(A($"{c.Pick(DescriptionLexicon.FootprintAdjectives[f])} footprint"));
                return item;
            }
            case BuildingAttribute.Symmetry:
            {
                var s = truth.Symmetry!.Value;
                var item = new Item(2);
                item.Adj.AddRange(c.Some(DescriptionLexicon.SymmetryAdjectives[s], 3));
                string adj = c.Pick(DescriptionLexicon.SymmetryAdjectives[s]);
                item.Np.Add($"{Article(adj)} {adj} {c.Rng.Pick(new[] { "layout", "plan", "design", "shape" })}");
                return item;
            }
            case BuildingAttribute.Storeys:
            {
                int n = truth.Storeys!.Value;
                var item = new Item(3);
                string num = c.Num(n);
                item.Adj.Add($"{num}-{c.Pick(DescriptionLexicon.StoreyAdjectiveSuffixes)}");
                if (n == 1) item.Adj.Add($"single-{c.Pick(DescriptionLexicon.StoreyAdjectiveSuffixes)}");
                string noun = c.Pick(DescriptionLexicon.StoreyNouns);
                if (n == 1)
                {
                    string single = noun switch { "stories" => "story", _ => noun.TrimEnd('s') };
                    item.Np.Add(c.Rng.Chance(0.5) ? $"{num} {single}" : $"a single {single}");
                    item.Post.Add($"of {num} {single}");
                }
                else
                {
                    item.Np.Add($"{num} {noun}");
                    item.Post.Add($"of {num} {c.Pick(DescriptionLexicon.StoreyNouns)}");
                }
                return item;
            }
            case BuildingAttribute.Roof:
            {
                var r = truth.Roof!.Value;
                var item = new Item(6);
                item.Adj.Add(c.Pick(DescriptionLexicon.RoofAdjectives[r]));
                string np = c.Pick(DescriptionLexicon.RoofPhrases[r]);
                if (r == RoofKind.Flat && spec.Family is BuildingFamily.Tower or BuildingFamily.Keep && c.Rng.Chance(0.6))
                    np = c.Rng.Chance(0.5) ? np + " with battlements" : "a crenellated flat roof";
                item.Np.Add(np);
                item.Post.Add(c.Pick(DescriptionLexicon.RoofPostPhrases[r]));
                return item;
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(attribute));
        }
    }

    /// <summary>Phrases for the parameters that are not attributes: sizes, heights, openings, hollowness.</summary>
    private static IEnumerable<Item> ParamItems(BuildingSpec s, Context c)
    {
        var ps = BuildingCatalog.Parameters(s.Family);
        switch (s.Family)
        {
            case BuildingFamily.House:
            case BuildingFamily.Hut:
            case BuildingFamily.Keep:
            case BuildingFamily.Temple:
                yield return Plan(s.Width, s.Depth, c);
                break;
            case BuildingFamily.Tower:
            case BuildingFamily.Pagoda:
            case BuildingFamily.Lighthouse:
            case BuildingFamily.Well:
                yield return Square(s.Width, "base", c);
                break;
            case BuildingFamily.Obelisk:
                yield return Square(s.Width, "shaft", c);
                break;
            case BuildingFamily.Pyramid:
            {
                var item = new Item(0);
                string w = c.Num(s.Width);
                item.Np.Add(A($"{w} by {w} base"));
                item.Post.Add($"{w} blocks wide at the base");
                yield return item;
                break;
            }
            case BuildingFamily.Wall:
                yield return Length(s.Width, "long", c);
                break;
            case BuildingFamily.Bridge:
            {
                var item = new Item(0);
                string l = c.Num(s.Width);
                item.Post.Add($"spanning {l} blocks");
                item.Post.Add($"{l} blocks long");
                item.Np.Add($"a span of {l} blocks");
                yield return item;
                var deck = new Item(0);
                string d = c.Num(s.Depth);
                deck.Np.Add($"a deck {d} blocks wide");
                deck.Post.Add($"{d} blocks wide");
                yield return deck;
                break;
            }
            case BuildingFamily.Arch:
            {
                yield return Length(s.Width, "wide", c);
                var depth = new Item(0);
                string d = c.Num(s.Depth);
                depth.Post.Add($"{d} blocks thick");
                depth.Post.Add($"{d} blocks deep");
                depth.Np.Add($"a thickness of {d} blocks");
                yield return depth;
                break;
            }
        }
        if (ps.Contains(BuildingParam.Height))
        {
            var item = new Item(0);
            string h = c.Num(s.Height);
            switch (s.Family)
            {
                case BuildingFamily.Bridge:
                    item.Np.Add($"a deck at height {h}");
                    item.Post.Add($"with its deck {h} blocks up");
                    break;
                case BuildingFamily.Temple:
                    item.Np.Add($"{h}-block columns");
                    item.Np.Add($"columns of {h} blocks");
                    break;
                case BuildingFamily.Obelisk:
                    item.Np.Add(A($"{h}-block shaft"));
                    item.Np.Add($"a shaft of {h} blocks");
                    break;
                default:
                    item.Np.Add($"a height of {h} blocks");
                    item.Post.Add($"{h} blocks in height");
                    item.Post.Add($"rising {h} blocks");
                    break;
            }
            yield return item;
        }
        if (ps.Contains(BuildingParam.Hollow))
        {
            var item = new Item(4);
            if (s.Hollow)
            {
                item.Adj.Add("hollow");
                item.Np.Add(c.Rng.Chance(0.5) ? "a hollow interior" : "an empty interior");
            }
            else
            {
                item.Adj.Add("solid");
                item.Np.Add(c.Rng.Chance(0.5) ? "a solid interior" : "a solid core");
            }
            yield return item;
        }
        if (ps.Contains(BuildingParam.Openings)) yield return Openings(s, c);
    }

    private static Item Plan(int w, int d, Context c)
    {
        var item = new Item(0);
        string a = c.Num(w), b = c.Num(d);
        item.Np.Add(A($"{a} by {b} footprint"));
        item.Np.Add(A($"{a} by {b} plan"));
        item.Post.Add($"{a} blocks wide and {b} blocks deep");
        item.Post.Add($"measuring {a} by {b} blocks");
        item.Post.Add($"{a} by {b} blocks");
        return item;
    }

    private static Item Square(int w, string part, Context c)
    {
        var item = new Item(0);
        string a = c.Num(w);
        item.Np.Add(A($"{a} by {a} {part}"));
        item.Np.Add(A($"{a}-block-wide {part}"));
        if (part == "base")
        {
            item.Post.Add($"{a} blocks wide");
            item.Post.Add($"{a} blocks across");
        }
        return item;
    }

    private static Item Length(int n, string word, Context c)
    {
        var item = new Item(0);
        string a = c.Num(n);
        item.Post.Add($"{a} blocks {word}");
        item.Np.Add(word == "long" ? $"a length of {a} blocks" : $"a width of {a} blocks");
        return item;
    }

    private static Item Openings(BuildingSpec s, Context c)
    {
        var item = new Item(5);
        switch (s.Family)
        {
            case BuildingFamily.Wall:
                if (s.Openings) { item.Np.Add(c.Rng.Pick(new[] { "a gate", "a central gate", "a gateway" })); }
                else { item.Np.Add("no gate"); item.Adj.Add("gateless"); item.Post.Add("without a gate"); }
                break;
            case BuildingFamily.Pyramid:
                if (s.Openings) item.Np.Add(c.Rng.Pick(new[] { "an entrance tunnel", "an entrance", "a tunnel entrance" }));
                else { item.Np.Add("no entrance"); item.Adj.Add("sealed"); item.Post.Add("without an entrance"); }
                break;
            case BuildingFamily.Keep:
                if (s.Openings) item.Np.Add(c.Rng.Pick(new[] { "a gate and windows", "windows and a gate", "a wide gate and windows" }));
                else { item.Np.Add("no gate or windows"); item.Adj.Add("windowless"); item.Post.Add("without a gate or windows"); }
                break;
            default:
                if (s.Openings) item.Np.Add(c.Rng.Pick(new[] { "a door and windows", "windows and a door", "a doorway and windows", "an entrance and windows" }));
                else
                {
                    item.Np.Add(c.Rng.Pick(new[] { "no windows or doors", "no door or windows" }));
                    item.Adj.Add("windowless");
                    item.Post.Add("without doors or windows");
                }
                break;
        }
        return item;
    }

    private static Item MaterialItem(Context c)
    {
        var item = new Item(7);
        item.Adj.Add(c.Pick(DescriptionLexicon.Materials));
        item.Adj.Add(c.Pick(DescriptionLexicon.Materials));
        string m = c.Pick(DescriptionLexicon.MaterialNouns);
        item.Post.Add(c.Rng.Pick(new[] { $"made of {m}", $"built from {m}", $"built of {m}" }));
        return item;
    }

    /// <summary>The extra part an asymmetric variant has (or, for walls, the bastions a symmetric one has).</summary>
    private static Item? SymmetryDetail(BuildingSpec s, Context c)
    {
        string? np = (s.Family, s.Symmetric) switch
        {
            (BuildingFamily.Wall, true) => "bastions at both ends",
            (_, true) => null,
            (BuildingFamily.House or BuildingFamily.Keep, _) => c.Rng.Pick(new[] { "a side wing", "a wing on one side", "an annex" }),
            (BuildingFamily.Tower, _) => c.Rng.Pick(new[] { "a stair annex", "an attached stairwell" }),
            (BuildingFamily.Pagoda, _) => c.Rng.Pick(new[] { "a side hall", "upper storeys stepped back to one side" }),
            (BuildingFamily.Pyramid, _) => c.Rng.Pick(new[] { "its peak off-centre", "an off-centre peak" }),
            (BuildingFamily.Wall, _) => "a single bastion at one end",
            (BuildingFamily.Bridge, _) => "a toll booth at one end",
            (BuildingFamily.Arch, _) => "a side wing",
            (BuildingFamily.Lighthouse, _) => c.Rng.Pick(new[] { "a keeper's lodge", "a keeper's lodge beside it" }),
            (BuildingFamily.Hut, _) => "a lean-to",
            (BuildingFamily.Temple, _) => "a side chapel",
            (BuildingFamily.Well, _) => "a trough beside it",
            _ => null,
        };
        if (np is null) return null;
        var item = new Item(8);
        item.Np.Add(np);
        return item;
    }

    /// <summary>Shape-neutral details a family always has.</summary>
    private static Item? DecorItem(BuildingSpec s, Context c)
    {
        string? np = s.Family switch
        {
            BuildingFamily.Pagoda => c.Rng.Pick(new[] { "overhanging eaves", "wide overhanging eaves", "eaves on every tier" }),
            BuildingFamily.Temple => c.Rng.Pick(new[] { "columns", "a colonnade", "a row of columns" }),
            BuildingFamily.Bridge => c.Rng.Pick(new[] { "railings", "railings on both sides" }),
            BuildingFamily.Lighthouse => c.Rng.Pick(new[] { "a lantern room", "a gallery and a lantern room" }),
            BuildingFamily.Obelisk => c.Rng.Pick(new[] { "a plinth", "a square plinth" }),
            _ => null,
        };
        if (np is null) return null;
        var item = new Item(8);
        item.Np.Add(np);
        return item;
    }

    // ---- rendering --------------------------------------------------------------------------------

    private static string Render(string template, string noun, List<Item> items, Context c)
    {
        var rng = c.Rng;
        rng.Shuffle(items);
        string intro = rng.Chance(0.35) ? c.Pick(DescriptionLexicon.Intros) : "";
        switch (template)
        {
            case "adjectives":
            {
                var (adjs, posts) = Split(items, rng, preferAdjective: 0.6);
                return intro + WithArticle(Adjectives(adjs, rng) + noun) + PostClause(posts, rng);
            }
            case "comma-list":
            {
                var (adjs, posts) = Split(items, rng, preferAdjective: 0.5);
                string head = Adjectives(adjs, rng) + noun;
                var parts = posts.Select(p => p.Np.Count > 0 && (p.Post.Count == 0 || rng.Chance(0.5)) ? "with " + rng.Pick(p.Np) : rng.Pick(p.Post));
                return string.Join(", ", new[] { head }.Concat(parts));
            }
            case "keywords":
            {
                var parts = items.Select(i => AnyForm(i, rng));
                return items.Count == 0 ? noun : noun + ": " + string.Join(", ", parts);
            }
            case "that-has":
            {
                var adjs = items.Where(i => i.Adj.Count > 0 && (i.Np.Count == 0 || rng.Chance(0.5))).ToList();
                var nps = items.Where(i => !adjs.Contains(i) && i.Np.Count > 0).ToList();
                var rest = items.Where(i => !adjs.Contains(i) && !nps.Contains(i)).ToList();
                var sb = new StringBuilder(intro + WithArticle(Adjectives(adjs, rng) + noun));
                if (nps.Count > 0) sb.Append(rng.Pick(new[] { " that has ", " which has ", " that comes with " })).Append(JoinAnd(nps.Select(i => rng.Pick(i.Np)).ToList()));
                foreach (var r in rest) sb.Append(", ").Append(rng.Pick(r.Post));
                return sb.ToString();
            }
            case "sentences":
            {
                var adjs = items.Where(i => i.Adj.Count > 0 && (i.Np.Count == 0 || rng.Chance(0.5))).ToList();
                var others = items.Where(i => !adjs.Contains(i)).ToList();
                var sb = new StringBuilder("The " + noun);
                sb.Append(adjs.Count > 0 ? " is " + JoinAnd(adjs.Select(i => rng.Pick(i.Adj)).ToList()) + "." : " stands here.");
                var nps = others.Where(i => i.Np.Count > 0).Select(i => rng.Pick(i.Np)).ToList();
                if (nps.Count > 0) sb.Append(" It has ").Append(JoinAnd(nps)).Append('.');
                var posts = others.Where(i => i.Np.Count == 0).Select(i => rng.Pick(i.Post)).ToList();
                if (posts.Count > 0) sb.Append(" It is ").Append(JoinAnd(posts)).Append('.');
                return sb.ToString();
            }
            case "parenthetical":
                return items.Count == 0 ? noun : $"{noun} ({string.Join("; ", items.Select(i => AnyForm(i, rng)))})";
            case "fronted":
            {
                var nps = items.Where(i => i.Np.Count > 0 && (i.Adj.Count == 0 || rng.Chance(0.5))).ToList();
                var rest = items.Where(i => !nps.Contains(i)).ToList();
                var (adjs, posts) = Split(rest, rng, preferAdjective: 1.0);
                string head = WithArticle(Adjectives(adjs, rng) + noun) + PostClause(posts, rng);
                return nps.Count == 0 ? "Picture " + head : "With " + JoinAnd(nps.Select(i => rng.Pick(i.Np)).ToList()) + ", " + head;
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(template), template, "Unknown template.");
        }
    }

    /// <summary>Sends each item before the noun (as an adjective) or after it.</summary>
    private static (List<Item> Adjectives, List<Item> Posts) Split(List<Item> items, DeterministicRandom rng, double preferAdjective)
    {
        var adjs = new List<Item>();
        var posts = new List<Item>();
        foreach (var i in items)
        {
            bool canPost = i.Np.Count > 0 || i.Post.Count > 0;
            if (i.Adj.Count > 0 && (!canPost || rng.Chance(preferAdjective))) adjs.Add(i);
            else posts.Add(i);
        }
        return (adjs, posts);
    }

    /// <summary>Pre-noun adjectives, mostly in the usual English order (size, height, shape, storeys, ... material), each followed by a space.</summary>
    private static string Adjectives(List<Item> adjs, DeterministicRandom rng)
    {
        var ordered = rng.Chance(0.15) ? adjs.ToList() : adjs.OrderBy(i => i.Rank).ToList();
        var sb = new StringBuilder();
        for (int k = 0; k < ordered.Count; k++)
        {
            sb.Append(rng.Pick(ordered[k].Adj));
            sb.Append(k < ordered.Count - 1 && ordered[k].Rank <= 2 && rng.Chance(0.2) ? ", " : " ");
        }
        return sb.ToString();
    }

    /// <summary>Post-noun text: free phrases and one "with A, B and C" group, in random order.</summary>
    private static string PostClause(List<Item> posts, DeterministicRandom rng)
    {
        var withs = new List<string>();
        var free = new List<string>();
        foreach (var p in posts)
        {
            if (p.Np.Count > 0 && (p.Post.Count == 0 || rng.Chance(0.6))) withs.Add(rng.Pick(p.Np));
            else free.Add(rng.Pick(p.Post));
        }
        var pieces = new List<string>(free);
        if (withs.Count > 0) pieces.Insert(rng.Next(pieces.Count + 1), "with " + JoinAnd(withs));
        if (pieces.Count == 0) return "";
        var sb = new StringBuilder();
        for (int i = 0; i < pieces.Count; i++) sb.Append(i == 0 ? " " : ", ").Append(pieces[i]);
        return sb.ToString();
    }

    private static string AnyForm(Item i, DeterministicRandom rng)
    {
        var forms = new List<string>();
        forms.AddRange(i.Adj);
        forms.AddRange(i.Np.Select(n => "with " + n));
        forms.AddRange(i.Post);
        return rng.Pick(forms);
    }

    private static string JoinAnd(IReadOnlyList<string> parts) => parts.Count switch
    {
        0 => "",
        1 => parts[0],
        _ => string.Join(", ", parts.Take(parts.Count - 1)) + " and " + parts[^1],
    };

    private static string WithArticle(string phrase) => Article(phrase) + " " + phrase;

    private static string A(string phrase) => WithArticle(phrase);

    /// <summary>"a" or "an" for the word that starts <paramref name="next"/> (by sound: "an eight", "an 8", "a one-storey").</summary>
    internal static string Article(string next)
    {
        string w = next.TrimStart().ToLowerInvariant();
        if (w.Length == 0) return "a";
        if (w.StartsWith("one", StringComparison.Ordinal) || w.StartsWith("uni", StringComparison.Ordinal)) return "a";
        if (char.IsDigit(w[0]))
        {
            int end = 0;
            while (end < w.Length && char.IsDigit(w[end])) end++;
            string digits = w[..end];
            return digits.StartsWith('8') || digits is "11" or "18" ? "an" : "a";
        }
        return "aeiou".Contains(w[0]) ? "an" : "a";
    }
}
