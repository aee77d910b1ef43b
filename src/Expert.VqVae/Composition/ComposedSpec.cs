using System.Globalization;
using Expert.VqVae.Corpus;
using Expert.VqVae.Materials;

namespace Expert.VqVae.Composition;

/// <summary>The parts a composed building can have besides its body of walls (Composition/COMPOSITION.md).</summary>
public enum PartKind
{
    Door,
    Gate,
    Windows,
    CornerTowers,
    Battlements,
    Chimney,
    Stairs,
    Columns,
    Eaves,
    Dome,
    Wing,
}

/// <summary>How the body is closed at the top. A dome sits on a flat top slab.</summary>
public enum ComposedRoof { Flat, Pitched, Pyramidal, Dome }

/// <summary>The parts that carry their own material (windows are always glass; battlements, eaves and the wing take the walls' or roof's).</summary>
public enum MaterialSlot { Walls, Roof, Towers, Chimney, Columns, Stairs }

/// <summary>
/// One composed building: a body of storeys on a W x D plan, a roof and a set of parts, each part
/// with its material. Which combinations are valid is <see cref="IsValid"/>; how it becomes voxels is
/// <see cref="CompositionGrammar"/>. Immutable; equal specs build equal grids.
/// </summary>
public sealed record ComposedSpec
{
    public const string FamilyName = "composed";

    public static IReadOnlyList<int> Sizes { get; } = [8, 10, 12, 14];
    public const int MaxStoreys = 3;

    public required int Width { get; init; }
    public required int Depth { get; init; }
    public required int Storeys { get; init; }
    public required ComposedRoof Roof { get; init; }

    /// <summary>The parts, as a set (order irrelevant); see <see cref="Has"/>.</summary>
    public required IReadOnlySet<PartKind> Parts { get; init; }

    public BlockMaterial Walls { get; init; } = BlockMaterial.Stone;
    public BlockMaterial RoofMaterial { get; init; } = BlockMaterial.OakPlanks;
    public BlockMaterial Towers { get; init; } = BlockMaterial.Stone;
    public BlockMaterial ChimneyMaterial { get; init; } = BlockMaterial.Cobblestone;
    public BlockMaterial ColumnsMaterial { get; init; } = BlockMaterial.Stone;
    public BlockMaterial StairsMaterial { get; init; } = BlockMaterial.Cobblestone;

    /// <summary>The blocks each material slot may take.</summary>
    public static IReadOnlyList<BlockMaterial> Allowed(MaterialSlot slot) => slot switch
    {
        MaterialSlot.Walls => [BlockMaterial.OakPlanks, BlockMaterial.OakLog, BlockMaterial.Stone, BlockMaterial.Cobblestone, BlockMaterial.Sandstone],
        MaterialSlot.Roof => [BlockMaterial.OakPlanks, BlockMaterial.Stone, BlockMaterial.Cobblestone, BlockMaterial.Sandstone, BlockMaterial.Glass],
        MaterialSlot.Towers => [BlockMaterial.OakLog, BlockMaterial.Stone, BlockMaterial.Cobblestone, BlockMaterial.Sandstone],
        MaterialSlot.Chimney => [BlockMaterial.Stone, BlockMaterial.Cobblestone],
        MaterialSlot.Columns => [BlockMaterial.OakLog, BlockMaterial.Stone, BlockMaterial.Sandstone],
        MaterialSlot.Stairs => [BlockMaterial.OakPlanks, BlockMaterial.Stone, BlockMaterial.Cobblestone, BlockMaterial.Sandstone],
        _ => throw new ArgumentOutOfRangeException(nameof(slot)),
    };

    public bool Has(PartKind part) => Parts.Contains(part);

    public bool Symmetric => !Has(PartKind.Wing);

    public BlockMaterial MaterialOf(MaterialSlot slot) => slot switch
    {
        MaterialSlot.Walls => Walls,
        MaterialSlot.Roof => RoofMaterial,
        MaterialSlot.Towers => Towers,
        MaterialSlot.Chimney => ChimneyMaterial,
        MaterialSlot.Columns => ColumnsMaterial,
        MaterialSlot.Stairs => StairsMaterial,
        _ => throw new ArgumentOutOfRangeException(nameof(slot)),
    };

    public ComposedSpec WithMaterial(MaterialSlot slot, BlockMaterial m) => slot switch
    {
        MaterialSlot.Walls => this with { Walls = m },
        MaterialSlot.Roof => this with { RoofMaterial = m },
        MaterialSlot.Towers => this with { Towers = m },
        MaterialSlot.Chimney => this with { ChimneyMaterial = m },
        MaterialSlot.Columns => this with { ColumnsMaterial = m },
        MaterialSlot.Stairs => this with { StairsMaterial = m },
        _ => throw new ArgumentOutOfRangeException(nameof(slot)),
    };

    /// <summary>The material slots this building uses: walls and roof always, the others with their part.</summary>
    public IEnumerable<MaterialSlot> UsedSlots()
    {
        yield return MaterialSlot.Walls;
        yield return MaterialSlot.Roof;
        if (Has(PartKind.CornerTowers)) yield return MaterialSlot.Towers;
        if (Has(PartKind.Chimney)) yield return MaterialSlot.Chimney;
        if (Has(PartKind.Columns)) yield return MaterialSlot.Columns;
        if (Has(PartKind.Stairs)) yield return MaterialSlot.Stairs;
    }

    /// <summary>
    /// The grammar's rules on combinations (COMPOSITION.md): sizes and storeys in range; a pyramidal roof
    /// only on a square plan; battlements only on a flat roof; door and gate exclusive; stairs only
    /// before an entrance; a gate only on a plan at least 10 wide; every used slot's material allowed.
    /// </summary>
    public bool IsValid(out string reason)
    {
        reason = "";
        if (!Sizes.Contains(Width) || !Sizes.Contains(Depth)) reason = $"width and depth must be one of {string.Join(", ", Sizes)}";
        else if (Storeys is < 1 or > MaxStoreys) reason = $"storeys must be 1..{MaxStoreys}";
        else if (Roof == ComposedRoof.Pyramidal && Width != Depth) reason = "a pyramidal roof needs a square plan";
        else if (Has(PartKind.Battlements) && Roof != ComposedRoof.Flat) reason = "battlements need a flat roof";
        else if (Has(PartKind.Door) && Has(PartKind.Gate)) reason = "a building has a door or a gate, not both";
        else if (Has(PartKind.Stairs) && !Has(PartKind.Door) && !Has(PartKind.Gate)) reason = "stairs lead to a door or a gate";
        else if (Has(PartKind.Gate) && Width < 10) reason = "a gate needs a front at least 10 wide";
        else if (Has(PartKind.Dome) != (Roof == ComposedRoof.Dome)) reason = "the dome part and the dome roof go together";
        else
        {
            foreach (var slot in UsedSlots())
                if (!Allowed(slot).Contains(MaterialOf(slot))) { reason = $"{Slots.Name(slot)} cannot be {BlockMaterials.Name(MaterialOf(slot))}"; break; }
            if (Roof != ComposedRoof.Dome && RoofMaterial == BlockMaterial.Glass && reason.Length == 0) reason = "only a dome can be of glass";
        }
        return reason.Length == 0;
    }

    public bool IsValid() => IsValid(out _);

    /// <summary>
    /// The features this building combines, as tokens: <c>roof:pitched</c>, <c>part:chimney</c>,
    /// <c>walls=stone</c> (one per used material slot) and <c>material:stone</c> (each block used). The held-out split is defined on pairs of tokens
    /// (<see cref="CompositionSplits"/>).
    /// </summary>
    public IReadOnlySet<string> Tokens()
    {
        var t = new SortedSet<string>(StringComparer.Ordinal) { "roof:" + Names.Of(Roof) };
        foreach (var p in Parts) t.Add("part:" + Names.Of(p));
        foreach (var slot in UsedSlots())
        {
            t.Add(Slots.Name(slot) + "=" + BlockMaterials.Name(MaterialOf(slot)));
            t.Add("material:" + BlockMaterials.Name(MaterialOf(slot)));
        }
        return t;
    }

    /// <summary>A canonical, stable key: <c>composed:width=10,depth=12,storeys=2,roof=pitched,parts=chimney+door,walls=stone,roof_material=oak_planks</c>.</summary>
    public string Key => FamilyName + ":" + string.Join(",", ToParams().Select(p => p.Key + "=" + p.Value));

    /// <summary>The parameters as the corpus file's <c>params</c> writes them (invariant strings).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ToParams()
    {
        var list = new List<KeyValuePair<string, string>>
        {
            new("width", Width.ToString(CultureInfo.InvariantCulture)),
            new("depth", Depth.ToString(CultureInfo.InvariantCulture)),
            new("storeys", Storeys.ToString(CultureInfo.InvariantCulture)),
            new("roof", Names.Of(Roof)),
            new("parts", string.Join("+", Parts.Order().Select(Names.Of))),
        };
        foreach (var slot in UsedSlots()) list.Add(new(Slots.Key(slot), BlockMaterials.Name(MaterialOf(slot))));
        return list;
    }

    /// <summary>Reads a spec back from <see cref="ToParams"/>; false with a reason for anything malformed or invalid.</summary>
    public static bool TryFromParams(IReadOnlyDictionary<string, string> p, out ComposedSpec? spec, out string error)
    {
        spec = null;
        error = "";
        if (!Int(p, "width", out int w) || !Int(p, "depth", out int d) || !Int(p, "storeys", out int s)) { error = "width, depth and storeys must be integers"; return false; }
        if (!p.TryGetValue("roof", out var roofText) || !Names.TryParse(roofText, out ComposedRoof roof)) { error = "roof must be flat, pitched, pyramidal or dome"; return false; }
        var parts = new HashSet<PartKind>();
        if (p.TryGetValue("parts", out var partsText) && partsText.Length > 0)
            foreach (var name in partsText.Split('+'))
            {
                if (!Names.TryParse(name, out PartKind part)) { error = $"unknown part '{name}'"; return false; }
                parts.Add(part);
            }
        var c = new ComposedSpec { Width = w, Depth = d, Storeys = s, Roof = roof, Parts = parts };
        foreach (var slot in Enum.GetValues<MaterialSlot>())
        {
            if (!p.TryGetValue(Slots.Key(slot), out var m)) continue;
            if (!BlockMaterials.TryParse(m, out var block) || block == BlockMaterial.Air) { error = $"'{m}' is not a block"; return false; }
            c = c.WithMaterial(slot, block);
        }
        if (!c.IsValid(out error)) return false;
        spec = c;
        return true;

        static bool Int(IReadOnlyDictionary<string, string> p, string key, out int v)
        {
            v = 0;
            return p.TryGetValue(key, out var t) && int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out v);
        }
    }

    public bool Equals(ComposedSpec? other) => other is not null && Key == other.Key;

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Key);
}

/// <summary>Lower-case names of parts and roofs as the corpus writes them ("corner_towers", "dome").</summary>
public static class Names
{
    public static string Of(PartKind part) => part switch
    {
        PartKind.CornerTowers => "corner_towers",
        _ => part.ToString().ToLowerInvariant(),
    };

    public static string Of(ComposedRoof roof) => roof.ToString().ToLowerInvariant();

    public static bool TryParse(string text, out PartKind part)
    {
        foreach (var p in Enum.GetValues<PartKind>()) if (Of(p) == text) { part = p; return true; }
        part = default;
        return false;
    }

    public static bool TryParse(string text, out ComposedRoof roof)
    {
        foreach (var r in Enum.GetValues<ComposedRoof>()) if (Of(r) == text) { roof = r; return true; }
        roof = default;
        return false;
    }

    /// <summary>The existing roof attribute of a composed roof; null for a dome (its own part, not a roof class).</summary>
    public static RoofKind? AttributeOf(ComposedRoof roof) => roof switch
    {
        ComposedRoof.Flat => RoofKind.Flat,
        ComposedRoof.Pitched => RoofKind.Pitched,
        ComposedRoof.Pyramidal => RoofKind.Pyramidal,
        _ => null,
    };
}

/// <summary>Names of the material slots: "walls" in tokens and prose, "walls_material" as a parameter key.</summary>
public static class Slots
{
    public static string Name(MaterialSlot slot) => slot.ToString().ToLowerInvariant();

    public static string Key(MaterialSlot slot) => slot == MaterialSlot.Walls ? "walls" : Name(slot) + "_material";
}
