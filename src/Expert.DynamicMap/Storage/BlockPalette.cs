namespace Expert.DynamicMap.Storage;

/// <summary>How a block behaves for walking and for rays.</summary>
public enum BlockKind : byte
{
    /// <summary>Never observed.</summary>
    Unknown = 0,
    /// <summary>Seen to be empty (air, cave_air, void_air, or cleared by a ray).</summary>
    Air = 1,
    /// <summary>A full block: a floor to stand on, a wall to stop at.</summary>
    Solid = 2,
    /// <summary>Occupies the cell but can be walked through (grass, flowers, torches, rails).</summary>
    Passable = 3,
    /// <summary>Water, lava: neither a floor nor a place to stand.</summary>
    Liquid = 4,
}

/// <summary>
/// The episode's block-name palette: id 0 is unknown, id 1 is air, ids from 2 are names in order of
/// first sight. Names are stored without a leading "minecraft:" namespace.
/// </summary>
public sealed class BlockPalette
{
    public const ushort UnknownId = 0;
    public const ushort AirId = 1;

    private static readonly HashSet<string> AirNames = new(StringComparer.Ordinal) { "air", "cave_air", "void_air" };
    private static readonly HashSet<string> LiquidNames = new(StringComparer.Ordinal)
        { "water", "lava", "flowing_water", "flowing_lava", "bubble_column" };
    private static readonly HashSet<string> PassableNames = new(StringComparer.Ordinal)
    {
        "grass", "short_grass", "tall_grass", "fern", "large_fern", "dead_bush", "bush", "snow", "vine", "sugar_cane",
        "dandelion", "poppy", "blue_orchid", "allium", "azure_bluet", "oxeye_daisy", "cornflower", "lily_of_the_valley",
        "wither_rose", "sunflower", "lilac", "rose_bush", "peony", "brown_mushroom", "red_mushroom", "wheat", "carrots",
        "potatoes", "beetroots", "cobweb", "torch", "wall_torch", "redstone_torch", "lever", "redstone_wire", "tripwire",
        "kelp", "kelp_plant", "seagrass", "tall_seagrass", "ladder", "rail", "powered_rail", "detector_rail", "activator_rail",
    };

    private readonly List<string> _names = ["", "air"];
    private readonly Dictionary<string, ushort> _ids = new(StringComparer.Ordinal) { ["air"] = AirId };
    private BlockKind[] _kinds = new BlockKind[16];

    public BlockPalette()
    {
        _kinds[UnknownId] = BlockKind.Unknown;
        _kinds[AirId] = BlockKind.Air;
    }

    /// <summary>Number of ids in use, including unknown and air.</summary>
    public int Count => _names.Count;

    public IReadOnlyList<string> Names => _names;

    /// <summary>Kind per id; index with a block id read from the store.</summary>
    internal BlockKind[] Kinds => _kinds;

    public string NameOf(ushort id) => id < _names.Count ? _names[id] : "";

    public BlockKind KindOf(ushort id) => id < _names.Count ? _kinds[id] : BlockKind.Unknown;

    public static string Normalize(string name) =>
        name.StartsWith("minecraft:", StringComparison.Ordinal) ? name["minecraft:".Length..] : name;

    public bool TryGetId(string name, out ushort id)
    {
        string normalized = Normalize(name);
        if (AirNames.Contains(normalized)) { id = AirId; return true; }
        return _ids.TryGetValue(normalized, out id);
    }

    /// <summary>The id of a name, adding it when new. The caller checks the palette limit first.</summary>
    public ushort GetOrAdd(string name)
    {
        if (TryGetId(name, out ushort id)) return id;
        string normalized = Normalize(name);
        if (_names.Count >= ushort.MaxValue) throw new InvalidOperationException("The block palette is full.");
        id = (ushort)_names.Count;
        _names.Add(normalized);
        _ids.Add(normalized, id);
        if (id >= _kinds.Length) Array.Resize(ref _kinds, _kinds.Length * 2);
        _kinds[id] = Classify(normalized);
        return id;
    }

    public static BlockKind Classify(string normalizedName)
    {
        if (AirNames.Contains(normalizedName)) return BlockKind.Air;
        if (LiquidNames.Contains(normalizedName)) return BlockKind.Liquid;
        if (PassableNames.Contains(normalizedName)) return BlockKind.Passable;
        if (normalizedName.EndsWith("_sapling", StringComparison.Ordinal)
            || normalizedName.EndsWith("_tulip", StringComparison.Ordinal)
            || normalizedName.EndsWith("_button", StringComparison.Ordinal)
            || normalizedName.EndsWith("_pressure_plate", StringComparison.Ordinal)
            || normalizedName.EndsWith("_sign", StringComparison.Ordinal)
            || normalizedName.EndsWith("_banner", StringComparison.Ordinal)
            || normalizedName.EndsWith("_carpet", StringComparison.Ordinal)
            || normalizedName.EndsWith("_torch", StringComparison.Ordinal))
            return BlockKind.Passable;
        return BlockKind.Solid;
    }
}
