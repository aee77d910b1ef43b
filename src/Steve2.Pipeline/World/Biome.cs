namespace Steve2.Pipeline.World;

/// <summary>The biome of a column; the names that <c>IWorldQuery.BiomeAt</c> reports are <see cref="BiomeNames"/>.</summary>
public enum Biome : byte
{
    Plains = 0,
    Forest = 1,
    Desert = 2,
    Mountains = 3,
    Water = 4,
}

/// <summary>Stable lower-case names of biomes.</summary>
public static class BiomeNames
{
    public static string Name(this Biome biome) => biome switch
    {
        Biome.Plains => "plains",
        Biome.Forest => "forest",
        Biome.Desert => "desert",
        Biome.Mountains => "mountains",
        Biome.Water => "water",
        _ => throw new ArgumentOutOfRangeException(nameof(biome)),
    };
}
