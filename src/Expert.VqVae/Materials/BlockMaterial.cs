namespace Expert.VqVae.Materials;

/// <summary>
/// The blocks a building is made of (Materials/MATERIALS.md). The value 0 is air (an empty voxel);
/// the others are blocks of the pipeline's voxel world with the same snake_case names
/// (<c>src/Steve2.Pipeline/World/BLOCKS.md</c>), so a build order can name the block to place. The
/// numbers are this project's own and never change meaning; new blocks go at the end.
/// </summary>
public enum BlockMaterial : byte
{
    Air = 0,
    OakPlanks = 1,
    OakLog = 2,
    Stone = 3,
    Cobblestone = 4,
    Sandstone = 5,
    Glass = 6,
}

/// <summary>Names and colours of the <see cref="BlockMaterial"/> values.</summary>
public static class BlockMaterials
{
    /// <summary>Every block (air excluded), in value order.</summary>
    public static IReadOnlyList<BlockMaterial> Blocks { get; } =
        Enum.GetValues<BlockMaterial>().Where(m => m != BlockMaterial.Air).ToArray();

    /// <summary>Number of values including air (the width of a one-hot material channel).</summary>
    public static int Count { get; } = Enum.GetValues<BlockMaterial>().Length;

    /// <summary>The world's block name: "oak_planks", "stone", ...; "air" for <see cref="BlockMaterial.Air"/>.</summary>
    public static string Name(BlockMaterial material) => material switch
    {
        BlockMaterial.Air => "air",
        BlockMaterial.OakPlanks => "oak_planks",
        BlockMaterial.OakLog => "oak_log",
        BlockMaterial.Stone => "stone",
        BlockMaterial.Cobblestone => "cobblestone",
        BlockMaterial.Sandstone => "sandstone",
        BlockMaterial.Glass => "glass",
        _ => throw new ArgumentOutOfRangeException(nameof(material), material, "Not a block material."),
    };

    /// <summary>Reads a block name as <see cref="Name"/> writes it (exact, lower case).</summary>
    public static bool TryParse(string? name, out BlockMaterial material)
    {
        foreach (var m in Enum.GetValues<BlockMaterial>())
            if (Name(m) == name) { material = m; return true; }
        material = BlockMaterial.Air;
        return false;
    }

    /// <summary>True for a defined value.</summary>
    public static bool IsDefined(byte value) => value < Count;

    /// <summary>
    /// The block's colour (sRGB), the same as the pipeline's block table so that a render looks like
    /// the world the agent builds in; air has none (0, 0, 0).
    /// </summary>
    public static (byte R, byte G, byte B) Colour(BlockMaterial material) => material switch
    {
        BlockMaterial.Air => (0, 0, 0),
        BlockMaterial.OakPlanks => (162, 130, 78),
        BlockMaterial.OakLog => (102, 81, 51),
        BlockMaterial.Stone => (125, 125, 125),
        BlockMaterial.Cobblestone => (110, 110, 110),
        BlockMaterial.Sandstone => (216, 200, 150),
        BlockMaterial.Glass => (200, 230, 235),
        _ => throw new ArgumentOutOfRangeException(nameof(material), material, "Not a block material."),
    };
}
