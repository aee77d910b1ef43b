using Steve2.Pipeline.Environment;

namespace Steve2.Pipeline.Tasks;

/// <summary>
/// The picture of an object-search target. <see cref="RenderInWorld"/> is the real one: the world's own renderer
/// (<see cref="FirstPersonRaycaster"/>, through <see cref="IWorldQuery.RenderView"/>) draws a view of the subject where
/// it stands, from a camera 2-4 blocks away at standing height with a clear line of sight, in the observations' layout.
/// <see cref="Render"/> is the fallback when no such camera place exists (a flat picture: the subject's box in its
/// colour on grass under the sky). The image says what to look for; the scene around it is the subject's own.
/// </summary>
public static class TargetImages
{
    public const int Size = 64;
    private static readonly (byte R, byte G, byte B) Sky = (135, 190, 235), Grass = (95, 159, 53);

    /// <summary>What to picture: a point to aim at, the entity that must be in view (or null), or the block that must be hit.</summary>
    public sealed record Subject(Vec3 Centre, int? EntityId, BlockPos? Block);

    public static Subject AnimalSubject(SeenEntity animal) =>
        new(new Vec3(animal.Position.X, animal.Position.Y + EntityShapes.Of(animal.Kind).Height / 2, animal.Position.Z), animal.Id, null);

    public static Subject ChestSubject(IReadOnlyList<BlockPos> chests) =>
        new(new Vec3(chests[0].X + 0.5, chests[0].Y + 0.5, chests[0].Z + 0.5), null, chests[0]);

    /// <summary>
    /// Renders the subject in the world: cameras on a ring 2..4 blocks around it (16 bearings), standing on a solid block
    /// with two free cells, looking at the subject's centre; the first view in which the subject shows (the entity among
    /// those drawn, or the block among those hit with at least 20 pixels of it near the centre) wins, the nearest ring first.
    /// Null when no camera place shows it or the backend cannot render.
    /// </summary>
    public static RgbImage? RenderInWorld(IWorldQuery world, Subject subject)
    {
        int cy = (int)Math.Floor(subject.Centre.Y);
        for (double ring = 2.5; ring <= 4.5; ring += 1)
            for (int k = 0; k < 16; k++)
            {
                double angle = k * Math.PI / 8;
                int x = (int)Math.Floor(subject.Centre.X + ring * Math.Sin(angle)), z = (int)Math.Floor(subject.Centre.Z + ring * Math.Cos(angle));
                foreach (int y in new[] { cy, cy + 1, cy - 1, cy + 2 })
                {
                    if (!Standable(world, new BlockPos(x, y, z))) continue;
                    var feet = new Vec3(x + 0.5, y, z + 0.5);
                    double dx = subject.Centre.X - feet.X, dy = subject.Centre.Y - (feet.Y + Pose.EyeHeight), dz = subject.Centre.Z - feet.Z;
                    double yaw = Math.Atan2(-dx, dz) * 180 / Math.PI, pitch = -Math.Atan2(dy, Math.Sqrt(dx * dx + dz * dz)) * 180 / Math.PI;
                    RenderResult? r = world.RenderView(new Pose(feet, yaw, pitch));
                    if (r is null) return null;
                    if (subject.EntityId is int id && r.Entities.Any(e => e.Id == id) && CentreShows(r.Image, subject, world)) return r.Image;
                    if (subject.Block is BlockPos b && r.HitBlocks.Any(h => h.Position == b) && CentreShows(r.Image, subject, world)) return r.Image;
                }
            }
        return null;
    }

    private static bool Standable(IWorldQuery world, BlockPos p) =>
        world.GetBlock(p) is Block.Air && world.GetBlock(p.Offset(0, 1, 0)) is Block.Air &&
        world.GetBlock(p.Offset(0, -1, 0)) is not (Block.Air or Block.Water or Block.OakLeaves);

    /// <summary>At least 20 pixels of the subject's colour (any face shade) in the middle half of the image: it is not hidden.</summary>
    private static bool CentreShows(RgbImage image, Subject subject, IWorldQuery world)
    {
        var (r, g, b) = subject.Block is BlockPos p ? BlockColour(world.GetBlock(p)) : EntityColour(world, subject.EntityId!.Value);
        double[] shades = [1.0, 0.55, 0.8, 0.68];
        int count = 0;
        for (int y = image.Height / 4; y < image.Height * 3 / 4; y++)
            for (int x = image.Width / 4; x < image.Width * 3 / 4; x++)
            {
                int i = (y * image.Width + x) * 3;
                foreach (double s in shades)
                    if (Math.Abs(image.Pixels[i] - r * s) <= 4 && Math.Abs(image.Pixels[i + 1] - g * s) <= 4 && Math.Abs(image.Pixels[i + 2] - b * s) <= 4) { count++; break; }
            }
        return count >= 20;
    }

    private static (byte, byte, byte) BlockColour(Block block)
    {
        var info = Steve2.Pipeline.World.BlockTable.Get(block);
        return (info.R, info.G, info.B);
    }

    private static (byte, byte, byte) EntityColour(IWorldQuery world, int id)
    {
        string kind = world.Entities.First(e => e.Id == id).Kind;
        var (_, _, r, g, b) = EntityShapes.Of(kind);
        return (r, g, b);
    }

    /// <summary>The fallback picture: the subject's box in its colour standing on grass under the sky, seen from the side at about three blocks.</summary>
    public static RgbImage Render(string kind)
    {
        var (halfWidth, height, r, g, b) = ObjectSearchTask.IsChestKind(kind) ? (0.5, 1.0, (byte)160, (byte)110, (byte)40) : EntityShapes.Of(kind);
        byte[] pixels = new byte[Size * Size * 3];
        const int horizon = Size * 5 / 8;
        const double pixelsPerBlock = Size / 4.0; // about three blocks away with a 70 degree view
        int w = (int)Math.Round(2 * halfWidth * pixelsPerBlock * 1.4), h = (int)Math.Round(height * pixelsPerBlock);
        int x0 = (Size - w) / 2, y1 = horizon + Size / 8, y0 = y1 - h;
        for (int y = 0; y < Size; y++)
            for (int x = 0; x < Size; x++)
            {
                var c = x >= x0 && x < x0 + w && y >= y0 && y < y1 ? (r, g, b) : y < horizon ? Sky : Grass;
                int i = (y * Size + x) * 3;
                (pixels[i], pixels[i + 1], pixels[i + 2]) = c;
            }
        return new RgbImage(Size, Size, pixels);
    }
}
