using SkiaSharp;

namespace Expert.DynamicMap.Rendering;

/// <summary>Map colours of blocks: a table for common ones, a stable hash colour for the rest.</summary>
internal static class BlockColors
{
    private static readonly Dictionary<string, uint> Known = new(StringComparer.Ordinal)
    {
        ["grass_block"] = 0xFF5D9B3A, ["dirt"] = 0xFF8B5E3C, ["coarse_dirt"] = 0xFF7A5236, ["podzol"] = 0xFF6A4A2A,
        ["stone"] = 0xFF7F7F7F, ["cobblestone"] = 0xFF6E6E6E, ["deepslate"] = 0xFF4A4A50, ["andesite"] = 0xFF888888,
        ["granite"] = 0xFF9A6B58, ["diorite"] = 0xFFBDBDBD, ["gravel"] = 0xFF857F7C, ["sand"] = 0xFFDBCF8E,
        ["sandstone"] = 0xFFD8CB8C, ["red_sand"] = 0xFFB5612A, ["clay"] = 0xFFA0A6B3, ["snow_block"] = 0xFFF4F8FA,
        ["ice"] = 0xFF9DBDFB, ["water"] = 0xFF3F76E4, ["lava"] = 0xFFE3631C, ["oak_log"] = 0xFF6B5333,
        ["oak_leaves"] = 0xFF3C7A23, ["birch_leaves"] = 0xFF5C8A3A, ["spruce_leaves"] = 0xFF2E5A2E, ["oak_planks"] = 0xFFA2824E,
        ["bedrock"] = 0xFF353535, ["coal_ore"] = 0xFF4F4F4F, ["iron_ore"] = 0xFFA48B78, ["diamond_ore"] = 0xFF5ED8D0,
        ["gold_ore"] = 0xFFD8C04A, ["netherrack"] = 0xFF6E3030, ["obsidian"] = 0xFF1D1428, ["mycelium"] = 0xFF6F6369,
    };

    public static readonly SKColor Unknown = new(0x1C, 0x1C, 0x22);
    public static readonly SKColor OpenAir = new(0x3B, 0x3F, 0x52);

    public static SKColor Of(string name)
    {
        if (Known.TryGetValue(name, out uint argb)) return new SKColor(argb);
        if (name.EndsWith("_leaves", StringComparison.Ordinal)) return new SKColor(0xFF3C7A23);
        if (name.EndsWith("_log", StringComparison.Ordinal) || name.EndsWith("_wood", StringComparison.Ordinal)) return new SKColor(0xFF6B5333);
        if (name.EndsWith("_planks", StringComparison.Ordinal)) return new SKColor(0xFFA2824E);
        if (name.EndsWith("_ore", StringComparison.Ordinal)) return new SKColor(0xFF8E8E8E);
        uint hash = 2166136261;
        foreach (char c in name) hash = (hash ^ c) * 16777619;
        return SKColor.FromHsv(hash % 360, 35 + hash / 360 % 30, 55 + hash / 10800 % 25);
    }
}
