using Expert.DynamicMap.Geometry;
using Expert.DynamicMap.Storage;

namespace Expert.DynamicMap.Frontiers;

/// <summary>
/// A per-column summary of what is known in a box (MAP_LAYOUT.md §5, "Standing cells inferred from sparse
/// ground"), and the standing cells inferred from it. A 64 × 64 view samples far ground only every few blocks
/// (one ray per pixel), so beyond the agent's neighbourhood the known ground is a sparse set of samples with
/// unknown columns between them (a far sample's rays rarely cross the cell above it). Ground is inferred by
/// growing it outward from the samples: every column with a known standing cell, and every column whose highest
/// known block is a surface (Solid or Liquid with the cell above seen open, or unknown when the block below is
/// not known Solid: a lone sample, not the top of a wall seen from the side; never leaves or logs: a tree is
/// not ground), is a source (a Solid surface's
/// feet cell is itself inferred standing); a breadth-first walk over columns (8 neighbours) carries the source's feet height at
/// most <see cref="SampleRadius"/> columns into columns whose ground is not known. A carried height follows
/// what is known: when the ground cell is known open it steps down (up to 2), when the feet or head cell is
/// known Solid it steps up one, else the column is not entered (a wall stops the growth). A column reached
/// from a Liquid source is water, not ground; where a water growth meets a ground growth (the shore) the column
/// is left uninferred. Each column takes the height of the nearest growth, so a cliff between samples shows as
/// neighbouring cells whose heights differ by more than a walk can climb (the walk's step rule keeps it apart).
/// Columns whose top surface is known are never inferred.
/// </summary>
internal sealed class GroundSurvey
{
    /// <summary>Ground grows at most this many columns (8-neighbour steps) from a sample.</summary>
    public const int SampleRadius = 6;

    private const int None = int.MinValue;

    private readonly int[] _surface;
    private readonly bool[] _liquid;
    private readonly bool[] _explored;
    private readonly int[] _standing;   // the highest known standing feet y in the column (None if none)
    private readonly int[] _inferred;   // the inferred feet y (None if none)
    private int[]? _unexploredSums;

    public GroundSurvey(MapRegion box)
    {
        Box = box;
        int n = box.Columns;
        _surface = new int[n];
        _liquid = new bool[n];
        _explored = new bool[n];
        _standing = new int[n];
        _inferred = new int[n];
        Array.Fill(_surface, None);
        Array.Fill(_standing, None);
        Array.Fill(_inferred, None);
    }

    /// <summary>The columns summarised (the searched region widened by a margin) and the vertical range.</summary>
    public MapRegion Box { get; }

    private int Index(int x, int z) => (z - Box.Z0) * Box.Width + (x - Box.X0);

    /// <summary>Whether a palette name is part of a tree (leaves, logs): Solid to walk into, but never a ground sample.</summary>
    public static bool IsFoliage(string name) => name.EndsWith("leaves", StringComparison.Ordinal) || name.EndsWith("_log", StringComparison.Ordinal);

    /// <summary>Records a known cell of the box (called once per known cell by the scan).</summary>
    public void Known(ref CellReader reader, BlockKind[] kinds, int x, int y, int z, BlockKind kind, bool foliage)
    {
        int i = Index(x, z);
        _explored[i] = true;
        if (kind is not (BlockKind.Solid or BlockKind.Liquid) || foliage || y <= _surface[i]) return;
        var above = kinds[reader.BlockAt(x, y + 1, z)];
        // Seen open above: a surface. Unknown above: a surface sample unless the block stands on a known Solid one
        // (then it is more likely the top of a wall or a cliff face seen from the side).
        if (MapWalkability.IsOpen(above) || (above == BlockKind.Unknown && kinds[reader.BlockAt(x, y - 1, z)] != BlockKind.Solid))
        {
            _surface[i] = y;
            _liquid[i] = kind == BlockKind.Liquid;
        }
    }

    /// <summary>Records a known standing cell (feet cell) of the box.</summary>
    public void Standing(int x, int y, int z)
    {
        int i = Index(x, z);
        if (y > _standing[i]) _standing[i] = y;
    }

    /// <summary>Whether any cell of the column within the vertical range is known.</summary>
    public bool Explored(int x, int z) => Box.ContainsColumn(x, z) && _explored[Index(x, z)];

    /// <summary>The inferred feet y of a column, or null.</summary>
    public int? InferredFeet(int x, int z)
    {
        if (!Box.ContainsColumn(x, z)) return null;
        int y = _inferred[Index(x, z)];
        return y == None ? null : y;
    }

    /// <summary>Infers standing cells in the box and returns those in <paramref name="area"/>.</summary>
    public List<Cell> Infer(ref CellReader reader, BlockKind[] kinds, MapRegion area)
    {
        int n = Box.Columns;
        var feet = new int[n];
        var dist = new byte[n];
        var water = new bool[n];
        var blocked = new bool[n];   // a cliff or water met ground here: nothing inferred
        Array.Fill(feet, None);
        var queue = new Queue<int>();
        for (int i = 0; i < n; i++)
        {
            if (_standing[i] != None) feet[i] = _standing[i];
            else if (_surface[i] != None && (_liquid[i] || Free(ref reader, kinds, Box.X0 + i % Box.Width, _surface[i] + 1, Box.Z0 + i / Box.Width)))
            {
                feet[i] = _surface[i] + 1;
                water[i] = _liquid[i];
            }
            else continue;
            queue.Enqueue(i);
        }
        while (queue.Count > 0)
        {
            int i = queue.Dequeue();
            if (blocked[i] || dist[i] >= SampleRadius) continue;
            int x = Box.X0 + i % Box.Width, z = Box.Z0 + i / Box.Width;
            for (int dz = -1; dz <= 1; dz++)
            for (int dx = -1; dx <= 1; dx++)
            {
                if (dx == 0 && dz == 0) continue;
                int nx = x + dx, nz = z + dz;
                if (!Box.ContainsColumn(nx, nz)) continue;
                int j = Index(nx, nz);
                if (_standing[j] != None || _surface[j] != None || blocked[j]) continue;
                int? h = Follow(ref reader, kinds, nx, nz, feet[i]);
                if (h is not int carried) continue;
                if (feet[j] == None)
                {
                    feet[j] = carried;
                    water[j] = water[i];
                    dist[j] = (byte)(dist[i] + 1);
                    queue.Enqueue(j);
                }
                else if (water[j] != water[i])
                {
                    blocked[j] = true;   // the shore: neither ground nor water is sure
                }
            }
        }

        var cells = new List<Cell>();
        for (int z = area.Z0; z < area.Z1; z++)
        for (int x = area.X0; x < area.X1; x++)
        {
            if (!Box.ContainsColumn(x, z)) continue;
            int i = Index(x, z);
            if (_standing[i] != None || feet[i] == None || water[i] || blocked[i]) continue;
            if (feet[i] < Box.YMin || feet[i] > Box.YMax) continue;
            _inferred[i] = feet[i];
            cells.Add(new Cell(x, feet[i], z));
        }
        return cells;
    }

    /// <summary>
    /// The feet height a growth at <paramref name="from"/> takes into a column, following what is known of it:
    /// down (up to 2) while the ground cell is known open, up one when the feet or head cell is known Solid; null
    /// when no such height is free (a wall).
    /// </summary>
    private static int? Follow(ref CellReader reader, BlockKind[] kinds, int x, int z, int from)
    {
        int y = from;
        for (int down = 0; down < 2 && MapWalkability.IsOpen(kinds[reader.BlockAt(x, y - 1, z)]); down++) y--;
        if (Free(ref reader, kinds, x, y, z)) return y;
        if (y == from && Free(ref reader, kinds, x, y + 1, z)) return y + 1;
        return null;
    }

    private static bool Free(ref CellReader reader, BlockKind[] kinds, int x, int y, int z) =>
        kinds[reader.BlockAt(x, y, z)] is not (BlockKind.Solid or BlockKind.Liquid)
        && kinds[reader.BlockAt(x, y + 1, z)] != BlockKind.Solid
        && !MapWalkability.IsOpen(kinds[reader.BlockAt(x, y - 1, z)]);

    /// <summary>Columns of the box with no known cell in the vertical range within <paramref name="radius"/> (a square) of a column.</summary>
    public int UnexploredAround(int x, int z, int radius)
    {
        var sums = _unexploredSums ??= PrefixSums();
        int w = Box.Width + 1;
        int x0 = Math.Max(Box.X0, x - radius) - Box.X0, x1 = Math.Min(Box.X1 - 1, x + radius) - Box.X0 + 1;
        int z0 = Math.Max(Box.Z0, z - radius) - Box.Z0, z1 = Math.Min(Box.Z1 - 1, z + radius) - Box.Z0 + 1;
        if (x1 <= x0 || z1 <= z0) return 0;
        return sums[z1 * w + x1] - sums[z0 * w + x1] - sums[z1 * w + x0] + sums[z0 * w + x0];
    }

    private int[] PrefixSums()
    {
        int w = Box.Width + 1;
        var sums = new int[(Box.Depth + 1) * w];
        for (int z = 0; z < Box.Depth; z++)
        for (int x = 0; x < Box.Width; x++)
            sums[(z + 1) * w + x + 1] = sums[z * w + x + 1] + sums[(z + 1) * w + x] - sums[z * w + x] + (_explored[z * Box.Width + x] ? 0 : 1);
        return sums;
    }
}
