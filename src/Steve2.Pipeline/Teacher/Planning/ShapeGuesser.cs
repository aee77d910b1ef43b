using System.Text.RegularExpressions;
using VoxelGrid = Expert.VqVae.Voxels.OccupancyGrid;

namespace Steve2.Pipeline.Teacher.Planning;

/// <summary>
/// The teacher's own idea of a building without the creation expert: a hollow box guessed from the words
/// alone. Footprint from "N by M" (digits or number words), else "small"/"little" 4, "large" 8, default 6;
/// wall height from "low"/"squat" 2, "tall"/"high" 5, default 3; a roof slab unless the text says "no roof"
/// or "open"; a two-high doorway in the front (+z) wall when it mentions a door or openings. Edges are kept
/// in 3..8, or up to the cleared site's side when the goal gives one. It never looks at the corpus or the target.
/// </summary>
public static partial class ShapeGuesser
{
    private static readonly string[] NumberWords = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"];

    public static VoxelGrid Guess(string description) => Guess(description, 0);

    /// <summary>The guess for a site of <paramref name="siteSide"/> columns: a stated footprint is kept up to the site's side (0: up to 8).</summary>
    public static VoxelGrid Guess(string description, int siteSide)
    {
        int maxEdge = siteSide > 0 ? Math.Max(8, siteSide) : 8;
        string text = description.ToLowerInvariant();
        int width = 6, depth = 6;
        Match m = Footprint().Match(text);
        if (m.Success && Number(m.Groups[1].Value) is int w && Number(m.Groups[2].Value) is int d)
        {
            width = w;
            depth = d;
        }
        else if (Has(text, "small", "little", "tiny", "petite")) width = depth = 4;
        else if (Has(text, "large", "big", "vast", "wide")) width = depth = 8;
        width = Math.Clamp(width, 3, maxEdge);
        depth = Math.Clamp(depth, 3, maxEdge);
        int walls = Has(text, "low", "squat", "stumpy", "short") ? 2 : Has(text, "tall", "high", "towering", "soaring") ? 5 : 3;
        bool roof = !Has(text, "no roof", "open-topped", "open top", "roofless", "without a roof");
        bool door = Has(text, "door", "opening", "entrance", "gate");

        var grid = new VoxelGrid(width, walls + (roof ? 1 : 0), depth);
        for (int y = 0; y < walls; y++)
            for (int z = 0; z < depth; z++)
                for (int x = 0; x < width; x++)
                    if (x == 0 || z == 0 || x == width - 1 || z == depth - 1) grid[x, y, z] = true;
        if (roof) grid.FillBox(0, walls, 0, width - 1, walls, depth - 1);
        if (door)
            for (int y = 0; y < Math.Min(2, walls - 1); y++) grid[width / 2, y, depth - 1] = false;
        return grid;
    }

    private static bool Has(string text, params string[] words) => words.Any(text.Contains);

    private static int? Number(string word) =>
        int.TryParse(word, out int n) ? n : Array.IndexOf(NumberWords, word) is int i and >= 0 ? i : null;

    [GeneratedRegex(@"\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s*(?:by|x)\s*(\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b")]
    private static partial Regex Footprint();
}
