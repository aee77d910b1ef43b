using System.Globalization;
using Expert.VqVae.Voxels;

namespace Expert.VqVae.Corpus;

/// <summary>The building families of the corpus (one sealed class each under Corpus/Families/).</summary>
public enum BuildingFamily
{
    House,
    Tower,
    Pagoda,
    Pyramid,
    Wall,
    Bridge,
    Arch,
    Keep,
    Lighthouse,
    Hut,
    Temple,
    Well,
    Obelisk,
}

/// <summary>A parameter of a family; its JSON name is <see cref="BuildingSpec.ParamName"/>.</summary>
public enum BuildingParam
{
    Width,
    Depth,
    Height,
    Storeys,
    Roof,
    Hollow,
    Openings,
    Symmetric,
}

/// <summary>
/// One building: a family and its parameters. Fields a family does not use keep their defaults
/// (0, false, <see cref="RoofKind.None"/>, Symmetric = true); <see cref="BuildingCatalog"/> lists
/// which fields each family uses and the values they take. <see cref="Build"/> turns a spec into its
/// 32^3 grid, deterministically: the building is centred on x/z and stands on y = 0.
/// </summary>
/// <remarks>
/// Meaning of the numeric fields per family: Width is the x extent of the main body (a wall's or
/// bridge's length, a pagoda's bottom storey, a lighthouse's or obelisk's shaft, a pyramid's base),
/// Depth the z extent (a bridge's deck width, an arch's thickness), Height a height in voxels where
/// the family has no storeys (wall, deck level of a bridge, arch, pyramid, temple columns, obelisk shaft).
/// </remarks>
public sealed record BuildingSpec
{
    public required BuildingFamily Family { get; init; }
    public int Width { get; init; }
    public int Depth { get; init; }
    public int Height { get; init; }
    public int Storeys { get; init; }
    public RoofKind Roof { get; init; }
    public bool Hollow { get; init; }
    public bool Openings { get; init; }
    public bool Symmetric { get; init; } = true;

    /// <summary>The family's lower-case name ("house", "keep").</summary>
    public string FamilyName => FamilyNames.Of(Family);

    /// <summary>A canonical, stable key of the family and the parameters it uses, e.g.
    /// <c>tower:width=8,storeys=4,roof=flat,hollow=true,openings=true,symmetric=true</c>.</summary>
    public string Key => FamilyName + ":" + string.Join(",", ToParams().Select(p => p.Key + "=" + p.Value));

    /// <summary>The parameters the family uses, in its order, as invariant strings (ints, "true"/"false", roof names).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ToParams()
    {
        var def = BuildingCatalog.Definition(Family);
        var list = new List<KeyValuePair<string, string>>(def.Params.Count);
        foreach (var p in def.Params) list.Add(new(ParamName(p), FormatParam(p)));
        return list;
    }

    /// <summary>True when the family lists this exact parameter combination (see <see cref="BuildingCatalog.Combinations"/>).</summary>
    public bool IsValid => BuildingCatalog.IsValid(this);

    /// <summary>The deterministic 32^3 grid of this building. Throws for an invalid spec.</summary>
    public OccupancyGrid Build() => BuildingCatalog.Build(this);

    public static string ParamName(BuildingParam p) => p.ToString().ToLowerInvariant();

    public static bool TryParseParamName(string name, out BuildingParam p) => AttributeNames.TryParse(name, out p);

    private string FormatParam(BuildingParam p) => p switch
    {
        BuildingParam.Width => Width.ToString(CultureInfo.InvariantCulture),
        BuildingParam.Depth => Depth.ToString(CultureInfo.InvariantCulture),
        BuildingParam.Height => Height.ToString(CultureInfo.InvariantCulture),
        BuildingParam.Storeys => Storeys.ToString(CultureInfo.InvariantCulture),
        BuildingParam.Roof => AttributeNames.Of(Roof),
        BuildingParam.Hollow => Hollow ? "true" : "false",
        BuildingParam.Openings => Openings ? "true" : "false",
        BuildingParam.Symmetric => Symmetric ? "true" : "false",
        _ => throw new ArgumentOutOfRangeException(nameof(p)),
    };

    /// <summary>
    /// Reads a spec back from a family name and its parameters (as <see cref="ToParams"/> writes them).
    /// Returns false with a reason when the family is unknown, a parameter is missing, extra or malformed,
    /// or the combination is not one the family builds.
    /// </summary>
    public static bool TryFromParams(string family, IReadOnlyDictionary<string, string> parameters,
        out BuildingSpec? spec, out string error)
    {
        spec = null;
        if (!FamilyNames.TryParse(family, out var fam))
        {
            error = $"unknown family '{family}' (known: {string.Join(", ", Enum.GetValues<BuildingFamily>().Select(FamilyNames.Of))})";
            return false;
        }
        var def = BuildingCatalog.Definition(fam);
        var s = new BuildingSpec { Family = fam };
        foreach (var key in parameters.Keys)
            if (!TryParseParamName(key, out var kp) || !def.Params.Contains(kp))
            {
                error = $"parameter '{key}' does not apply to a {family} (it takes {string.Join(", ", def.Params.Select(ParamName))})";
                return false;
            }
        foreach (var p in def.Params)
        {
            string name = ParamName(p);
            if (!parameters.TryGetValue(name, out var text))
            {
                error = $"parameter '{name}' is missing";
                return false;
            }
            bool ok = true;
            switch (p)
            {
                case BuildingParam.Width: ok = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int w); s = s with { Width = w }; break;
                case BuildingParam.Depth: ok = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int d); s = s with { Depth = d }; break;
                case BuildingParam.Height: ok = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int h); s = s with { Height = h }; break;
                case BuildingParam.Storeys: ok = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n); s = s with { Storeys = n }; break;
                case BuildingParam.Roof: ok = AttributeNames.TryParse(text, out RoofKind r); s = s with { Roof = r }; break;
                case BuildingParam.Hollow: ok = TryBool(text, out bool ho); s = s with { Hollow = ho }; break;
                case BuildingParam.Openings: ok = TryBool(text, out bool op); s = s with { Openings = op }; break;
                case BuildingParam.Symmetric: ok = TryBool(text, out bool sy); s = s with { Symmetric = sy }; break;
            }
            if (!ok)
            {
                error = $"parameter '{name}' has the malformed value '{text}'";
                return false;
            }
        }
        if (!BuildingCatalog.IsValid(s))
        {
            error = $"'{s.Key}' is not a combination the {family} family builds";
            return false;
        }
        spec = s;
        error = "";
        return true;
    }

    private static bool TryBool(string text, out bool value)
    {
        value = text == "true";
        return text is "true" or "false";
    }
}

/// <summary>Lower-case family names as the file format writes them.</summary>
public static class FamilyNames
{
    public static string Of(BuildingFamily family) => family.ToString().ToLowerInvariant();

    public static bool TryParse(string name, out BuildingFamily family) => AttributeNames.TryParse(name, out family);
}
