using Steve2.Pipeline.Environment;

namespace Steve2.Pipeline.Tasks;

/// <summary>
/// The picture of an object-search target: the animal as the world's renderer draws it (its box in its
/// colour from <see cref="EntityShapes"/>) standing on grass under the sky, seen from the side at about
/// three blocks, in the observations' 64 x 64 RGB layout. The image says what to look for, not where.
/// </summary>
public static class TargetImages
{
    public const int Size = 64;
    private static readonly (byte R, byte G, byte B) Sky = (135, 190, 235), Grass = (95, 159, 53);

    public static RgbImage Render(string kind)
    {
        var (halfWidth, height, r, g, b) = EntityShapes.Of(kind);
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
