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
    /// What a target image shows: the animal whose colour (as the world draws animals) is nearest to the
    /// image's most common colour that is neither sky nor grass; null when nothing stands out.
    /// </summary>
    public static string? AnimalInImage(RgbImage image)
    {
        var counts = new Dictionary<(int, int, int), int>();
        for (int i = 0; i + 2 < image.Pixels.Length; i += 3)
        {
            var c = (image.Pixels[i] / 8, image.Pixels[i + 1] / 8, image.Pixels[i + 2] / 8);
            counts[c] = counts.GetValueOrDefault(c) + 1;
        }
        var background = counts.OrderByDescending(c => c.Value).Take(2).Select(c => c.Key).ToHashSet();
        var subject = counts.Where(c => !background.Contains(c.Key)).OrderByDescending(c => c.Value).Select(c => c.Key).FirstOrDefault();
        if (!counts.Keys.Any(k => !background.Contains(k))) return null;
        return AnimalKinds.MinBy(kind =>
        {
            var (_, _, r, g, b) = EntityShapes.Of(kind);
            double dr = subject.Item1 * 8 + 4 - r, dg = subject.Item2 * 8 + 4 - g, db = subject.Item3 * 8 + 4 - b;
            return dr * dr + dg * dg + db * db;
        });
    }

    /// <summary>The compass word of a yaw (0 south, 90 west).</summary>
    public static string Facing(double yaw)
    {
        double rad = yaw * Math.PI / 180;
        return DirectionNames.Name(DirectionNames.Toward(-Math.Sin(rad), Math.Cos(rad)));
    }
}
