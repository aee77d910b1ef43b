using System.Globalization;
using System.Text;
using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Teacher.Roles;

namespace Steve2.Pipeline.Teacher;

/// <summary>
/// The describer of every role: turns what the agents perceive (observation, target image) into text for
/// the planners and the recorded state. It reads only observations, never the world or the experts.
/// </summary>
public static class Describer
{
    private static readonly string[] AnimalKinds = ["pig", "cow", "sheep", "chicken"];

    /// <summary>One agent's observation as a paragraph: pose, what is in view, animals, sounds, inventory.</summary>
    public static string Describe(Observation o)
    {
        var sb = new StringBuilder();
        BlockPos feet = o.Pose.Block;
        sb.Append(CultureInfo.InvariantCulture, $"agent {o.AgentId} at {feet} facing {Facing(o.Pose.Yaw)}");
        if (Math.Abs(o.Pose.Pitch) > 10) sb.Append(o.Pose.Pitch > 0 ? ", looking down" : ", looking up");
        sb.Append(". ");
        if (o.VisibleBlocks.Count == 0) sb.Append("Sees no blocks. ");
        else
        {
            var groups = o.VisibleBlocks.GroupBy(b => b.Block).OrderByDescending(g => g.Count()).Take(6)
                .Select(g => $"{Items.OfBlock(g.Key)} x{g.Count()}");
            sb.Append("In view: ").Append(string.Join(", ", groups)).Append(". ");
            foreach (Block notable in new[] { Block.DiamondOre, Block.GoldOre, Block.IronOre, Block.Chest, Block.OakLog })
            {
                var nearest = o.VisibleBlocks.Where(b => b.Block == notable).Select(b => b.Position).OrderBy(p => p.DistanceSquared(feet)).FirstOrDefault();
                if (o.VisibleBlocks.Any(b => b.Block == notable))
                    sb.Append(CultureInfo.InvariantCulture, $"Nearest {Items.OfBlock(notable)} at {nearest}. ");
            }
        }
        foreach (SeenEntity e in o.VisibleEntities.OrderBy(e => e.Position.DistanceTo(o.Pose.Position)).Take(5))
        {
            double dx = e.Position.X - o.Pose.Position.X, dz = e.Position.Z - o.Pose.Position.Z;
            sb.Append(CultureInfo.InvariantCulture, $"Sees a {e.Kind} {e.Position.DistanceTo(o.Pose.Position):0.#} blocks {DirectionNames.Name(DirectionNames.Toward(dx, dz))} at {e.Position.Floor()}. ");
        }
        foreach (HeardSound s in o.Sounds.Take(5))
            sb.Append(s.Position is Vec3 p
                ? FormattableString.Invariant($"Hears a {s.Source} at {p.Floor()}. ")
                : FormattableString.Invariant($"Hears a {s.Source} from the {DirectionNames.Name(DirectionNames.Toward(s.Direction.X, s.Direction.Z))} (loudness {s.Loudness:0.00}). "));
        sb.Append("Inventory: ").Append(o.Inventory.Count == 0 ? "empty" : string.Join(", ", o.Inventory.OrderBy(i => i.Key, StringComparer.Ordinal).Select(i => $"{i.Key} {i.Value}"))).Append('.');
        return sb.ToString();
    }

    /// <summary>
    /// What a target image shows: every pixel is matched to the nearest colour the world's renderer can draw (each block's
    /// and each entity kind's colour under the four face shades, OBSERVATIONS.md); the searchable subject with the most
    /// pixels (an animal kind, or "chest") wins, counted in the middle of the image first (where the picture aims), then in
    /// all of it. A chest is read with its structure: "pyramid_chest" when the scene shows more sandstone than cobblestone and
    /// grass, else "ruin_chest". Null when no searchable subject shows (fewer than 6 pixels).
    /// </summary>
    public static string? AnimalInImage(RgbImage image)
    {
        var counts = new Dictionary<string, (int Centre, int All)>();
        for (int y = 0; y < image.Height; y++)
            for (int x = 0; x < image.Width; x++)
            {
                int i = (y * image.Width + x) * 3;
                string? subject = NearestSubject(image.Pixels[i], image.Pixels[i + 1], image.Pixels[i + 2]);
                if (subject is null) continue;
                bool centre = x >= image.Width / 4 && x < image.Width * 3 / 4 && y >= image.Height / 4 && y < image.Height * 3 / 4;
                var c = counts.GetValueOrDefault(subject);
                counts[subject] = (c.Centre + (centre ? 1 : 0), c.All + 1);
            }
        var best = counts.Where(c => c.Value.All >= 6 && !c.Key.StartsWith('~')).OrderByDescending(c => c.Value.Centre).ThenByDescending(c => c.Value.All).ThenBy(c => c.Key, StringComparer.Ordinal).FirstOrDefault();
        if (best.Key != "chest") return best.Key;
        // A chest: its structure from the scene, sandstone (a desert pyramid) against cobblestone or grass (a ruin).
        int sandstone = counts.GetValueOrDefault("~sandstone").All, ruin = counts.GetValueOrDefault("~cobblestone").All + counts.GetValueOrDefault("~grass").All;
        return sandstone > ruin ? "pyramid_chest" : "ruin_chest";
    }

    private static readonly double[] FaceShades = [1.0, 0.55, 0.8, 0.68];

    /// <summary>The renderer's palette: (subject or null for a mere block, shaded colour).</summary>
    private static readonly (string? Subject, double R, double G, double B)[] Palette = BuildPalette();

    private static (string?, double, double, double)[] BuildPalette()
    {
        var list = new List<(string?, double, double, double)>();
        foreach (double s in FaceShades)
        {
            foreach (string kind in AnimalKinds)
            {
                var (_, _, r, g, b) = EntityShapes.Of(kind);
                list.Add((kind, r * s, g * s, b * s));
            }
            foreach (var info in Steve2.Pipeline.World.BlockTable.All)
                if (info.Block != Block.Air)
                    list.Add((info.Block switch
                    {
                        Block.Chest => "chest",
                        Block.Sandstone => "~sandstone",
                        Block.Cobblestone => "~cobblestone",
                        Block.Grass => "~grass",
                        _ => null,
                    }, info.R * s, info.G * s, info.B * s));
        }
        return list.ToArray();
    }

    /// <summary>The subject a pixel's colour belongs to (the nearest palette colour within 10 per channel), or null.</summary>
    private static string? NearestSubject(byte r, byte g, byte b)
    {
        string? best = null;
        double bestD = 3 * 10 * 10;
        bool found = false;
        foreach (var (subject, pr, pg, pb) in Palette)
        {
            double d = (r - pr) * (r - pr) + (g - pg) * (g - pg) + (b - pb) * (b - pb);
            if (d < bestD) { bestD = d; best = subject; found = true; }
        }
        return found ? best : null;
    }

    /// <summary>The compass word of a yaw (0 south, 90 west).</summary>
    public static string Facing(double yaw)
    {
        double rad = yaw * Math.PI / 180;
        return DirectionNames.Name(DirectionNames.Toward(-Math.Sin(rad), Math.Cos(rad)));
    }
}
