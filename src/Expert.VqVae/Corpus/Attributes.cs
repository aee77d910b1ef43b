namespace Expert.VqVae.Corpus;

/// <summary>The attributes a description can state and <see cref="AttributeMeasurer"/> can measure on a grid.</summary>
public enum BuildingAttribute
{
    HeightClass,
    Storeys,
    Footprint,
    Symmetry,
    Roof,
}

/// <summary>Total height of the grid, bucketed by <see cref="AttributeThresholds"/>.</summary>
public enum HeightClass { Low, Medium, Tall }

/// <summary>Largest horizontal extent (x or z) of the grid, bucketed by <see cref="AttributeThresholds"/>.</summary>
public enum FootprintClass { Small, Medium, Large }

/// <summary>Mirror symmetry across the building's own centre plane in x or in z.</summary>
public enum SymmetryKind { Symmetric, Asymmetric }

/// <summary>Shape of the top of the building.</summary>
public enum RoofKind { None, Flat, Pitched, Pyramidal }

/// <summary>
/// The thresholds that turn grid measurements into attribute classes. They are shared by the
/// corpus (which states the classes of its ground-truth grids) and by <see cref="AttributeMeasurer"/>
/// (which measures them on any grid), and documented in Corpus/CORPUS_FORMAT.md.
/// </summary>
public static class AttributeThresholds
{
    /// <summary>Every storey of every storeyed family is this many voxels tall (3 of wall, 1 of floor slab).</summary>
    public const int StoreyHeight = 4;

    /// <summary>Height (layers from the lowest to the highest occupied one) at or below which a building is low.</summary>
    public const int LowMaxHeight = 9;

    /// <summary>Height at or above which a building is tall; between the two it is medium.</summary>
    public const int TallMinHeight = 18;

    /// <summary>Largest x/z extent at or below which the footprint is small.</summary>
    public const int SmallMaxExtent = 11;

    /// <summary>Largest x/z extent at or above which the footprint is large; between the two it is medium.</summary>
    public const int LargeMinExtent = 20;

    /// <summary>Mirror score (see <see cref="AttributeMeasurer"/>) at or above which a grid is symmetric.</summary>
    public const double SymmetricMinScore = 0.9;

    public static HeightClass ClassifyHeight(int height) =>
        height <= LowMaxHeight ? HeightClass.Low : height >= TallMinHeight ? HeightClass.Tall : HeightClass.Medium;

    public static FootprintClass ClassifyFootprint(int extentX, int extentZ)
    {
        int e = Math.Max(extentX, extentZ);
        return e <= SmallMaxExtent ? FootprintClass.Small : e >= LargeMinExtent ? FootprintClass.Large : FootprintClass.Medium;
    }
}

/// <summary>
/// A set of attribute values; a null field is an attribute that is not stated (or does not apply).
/// Used for what a description states and, through <see cref="MeasuredAttributes.ToValues"/>, for
/// what a grid measures.
/// </summary>
public sealed record AttributeValues(
    HeightClass? HeightClass = null,
    int? Storeys = null,
    FootprintClass? Footprint = null,
    SymmetryKind? Symmetry = null,
    RoofKind? Roof = null)
{
    public static AttributeValues None { get; } = new();

    /// <summary>The attributes with a value, in enum order.</summary>
    public IReadOnlyList<BuildingAttribute> Stated
    {
        get
        {
            var list = new List<BuildingAttribute>(5);
            if (HeightClass is not null) list.Add(BuildingAttribute.HeightClass);
            if (Storeys is not null) list.Add(BuildingAttribute.Storeys);
            if (Footprint is not null) list.Add(BuildingAttribute.Footprint);
            if (Symmetry is not null) list.Add(BuildingAttribute.Symmetry);
            if (Roof is not null) list.Add(BuildingAttribute.Roof);
            return list;
        }
    }

    public bool Has(BuildingAttribute attribute) => attribute switch
    {
        BuildingAttribute.HeightClass => HeightClass is not null,
        BuildingAttribute.Storeys => Storeys is not null,
        BuildingAttribute.Footprint => Footprint is not null,
        BuildingAttribute.Symmetry => Symmetry is not null,
        BuildingAttribute.Roof => Roof is not null,
        _ => false,
    };

    /// <summary>This set restricted to <paramref name="attributes"/>.</summary>
    public AttributeValues Only(IEnumerable<BuildingAttribute> attributes)
    {
        var keep = new HashSet<BuildingAttribute>(attributes);
        return new AttributeValues(
            keep.Contains(BuildingAttribute.HeightClass) ? HeightClass : null,
            keep.Contains(BuildingAttribute.Storeys) ? Storeys : null,
            keep.Contains(BuildingAttribute.Footprint) ? Footprint : null,
            keep.Contains(BuildingAttribute.Symmetry) ? Symmetry : null,
            keep.Contains(BuildingAttribute.Roof) ? Roof : null);
    }

    /// <summary>The value of one attribute as its file-format string ("tall", "5", "pitched"), or null.</summary>
    public string? Format(BuildingAttribute attribute) => attribute switch
    {
        BuildingAttribute.HeightClass => HeightClass is { } h ? AttributeNames.Of(h) : null,
        BuildingAttribute.Storeys => Storeys?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        BuildingAttribute.Footprint => Footprint is { } f ? AttributeNames.Of(f) : null,
        BuildingAttribute.Symmetry => Symmetry is { } s ? AttributeNames.Of(s) : null,
        BuildingAttribute.Roof => Roof is { } r ? AttributeNames.Of(r) : null,
        _ => null,
    };

    public override string ToString() =>
        "{" + string.Join(", ", Stated.Select(a => $"{AttributeNames.Key(a)}={Format(a)}")) + "}";
}

/// <summary>The lower-case names the file format and the descriptions use for attributes and their values.</summary>
public static class AttributeNames
{
    public static string Key(BuildingAttribute attribute) => attribute switch
    {
        BuildingAttribute.HeightClass => "height_class",
        BuildingAttribute.Storeys => "storeys",
        BuildingAttribute.Footprint => "footprint",
        BuildingAttribute.Symmetry => "symmetry",
        BuildingAttribute.Roof => "roof",
        _ => throw new ArgumentOutOfRangeException(nameof(attribute)),
    };

    public static bool TryParseKey(string key, out BuildingAttribute attribute)
    {
        foreach (var a in Enum.GetValues<BuildingAttribute>())
            if (Key(a) == key) { attribute = a; return true; }
        attribute = default;
        return false;
    }

    public static string Of(HeightClass value) => value.ToString().ToLowerInvariant();
    public static string Of(FootprintClass value) => value.ToString().ToLowerInvariant();
    public static string Of(SymmetryKind value) => value.ToString().ToLowerInvariant();
    public static string Of(RoofKind value) => value.ToString().ToLowerInvariant();

    /// <summary>Parses a lower-case enum value name ("tall", "pyramidal"); false for anything else.</summary>
    public static bool TryParse<T>(string text, out T value) where T : struct, Enum
    {
        foreach (var v in Enum.GetValues<T>())
            if (v.ToString().ToLowerInvariant() == text) { value = v; return true; }
        value = default;
        return false;
    }
}
