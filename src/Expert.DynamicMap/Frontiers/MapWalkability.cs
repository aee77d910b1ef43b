using Expert.DynamicMap.Storage;

namespace Expert.DynamicMap.Frontiers;

/// <summary>
/// Where an agent can stand, and where the known world ends (MAP_LAYOUT.md, "Walkable and frontier").
/// A standing cell is a feet cell whose block is air or passable (known), with a solid floor below
/// and a head cell above that is not solid (unknown counts as open: rays from a low eye rarely clear
/// the head cell of far ground). A frontier cell is a standing cell with a horizontal neighbour
/// (±x or ±z) of which no cell from two below the feet level up to the head level is known.
/// </summary>
internal static class MapWalkability
{
    public static bool IsOpen(BlockKind kind) => kind is BlockKind.Air or BlockKind.Passable;

    public static bool IsStanding(ref CellReader reader, BlockKind[] kinds, int x, int y, int z)
    {
        if (!IsOpen(kinds[reader.BlockAt(x, y, z)])) return false;
        if (kinds[reader.BlockAt(x, y - 1, z)] != BlockKind.Solid) return false;
        return kinds[reader.BlockAt(x, y + 1, z)] != BlockKind.Solid;
    }

    public static bool BordersUnknown(ref CellReader reader, int x, int y, int z) =>
        Unexplored(ref reader, x + 1, y, z) || Unexplored(ref reader, x - 1, y, z)
        || Unexplored(ref reader, x, y, z + 1) || Unexplored(ref reader, x, y, z - 1);

    /// <summary>
    /// A neighbour column is unexplored at a standing level when none of its cells from two below the
    /// feet to the head is known. (The feet cell alone would flag every slope: a rising neighbour's block
    /// at feet level is buried under its top, a falling neighbour's air above its lower ground is rarely
    /// crossed by a sampled ray; both show a known cell in that span.)
    /// </summary>
    public static bool Unexplored(ref CellReader reader, int x, int y, int z) =>
        reader.BlockAt(x, y, z) == BlockPalette.UnknownId && reader.BlockAt(x, y + 1, z) == BlockPalette.UnknownId
        && reader.BlockAt(x, y - 1, z) == BlockPalette.UnknownId && reader.BlockAt(x, y - 2, z) == BlockPalette.UnknownId;
}
