using SkiaSharp;

namespace Expert.VqVae.Tests.Rendering;

/// <summary>Pixel helpers for the render tests: decode, compare, find what is not background.</summary>
internal static class TestImages
{
    public static SKBitmap Decode(byte[] png) =>
        SKBitmap.Decode(png) ?? throw new InvalidOperationException("The PNG did not decode.");

    /// <summary>Pixels that differ from <paramref name="background"/> by more than a small tolerance.</summary>
    public static bool IsForeground(SKColor c, SKColor background) =>
        Math.Abs(c.Red - background.Red) + Math.Abs(c.Green - background.Green) + Math.Abs(c.Blue - background.Blue) > 24;

    /// <summary>Count, centroid and bounding box of the foreground pixels.</summary>
    public static (int Count, double Cx, double Cy, SKRectI Box) Foreground(SKBitmap bitmap, SKColor background)
    {
        int n = 0, minX = int.MaxValue, minY = int.MaxValue, maxX = -1, maxY = -1;
        double sx = 0, sy = 0;
        for (int y = 0; y < bitmap.Height; y++)
            for (int x = 0; x < bitmap.Width; x++)
            {
                if (!IsForeground(bitmap.GetPixel(x, y), background)) continue;
                n++; sx += x; sy += y;
                minX = Math.Min(minX, x); minY = Math.Min(minY, y);
                maxX = Math.Max(maxX, x); maxY = Math.Max(maxY, y);
            }
        return n == 0 ? (0, double.NaN, double.NaN, SKRectI.Empty) : (n, sx / n, sy / n, new SKRectI(minX, minY, maxX + 1, maxY + 1));
    }

    /// <summary>True when the two bitmaps agree on every pixel of <paramref name="region"/>.</summary>
    public static bool SameIn(SKBitmap a, SKBitmap b, SKRectI region)
    {
        for (int y = region.Top; y < region.Bottom; y++)
            for (int x = region.Left; x < region.Right; x++)
                if (a.GetPixel(x, y) != b.GetPixel(x, y)) return false;
        return true;
    }
}
