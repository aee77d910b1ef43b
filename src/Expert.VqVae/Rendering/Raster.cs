using System.Runtime.InteropServices;
using SkiaSharp;

namespace Expert.VqVae.Rendering;

/// <summary>
/// A tiny flat-colour rasteriser for convex quads into an RGBA8888 (premultiplied) pixel array.
/// <para>
/// Why not Skia: the renders are thousands of few-pixel quads. Skia pays a per-primitive set-up
/// (1-5 µs for a path, a rect or a vertex-coloured triangle on these machines) that makes a 4-view
/// render of a 5,000-voxel building cost 50-100 ms; filling the spans here costs about 1 ms. Skia
/// still encodes the PNG and draws the text.
/// </para>
/// <para>
/// Rule: a pixel is covered when its centre lies inside the quad, with half-open edges (top and left
/// in, bottom and right out), so quads that share an edge neither overlap nor leave a seam, and the
/// result depends only on the inputs (no threads, no SIMD differences): identical bytes every call.
/// </para>
/// </summary>
internal sealed class Raster
{
    public Raster(int width, int height, uint[] pixels)
    {
        if (pixels.Length < width * height) throw new ArgumentException("Pixel buffer too small.", nameof(pixels));
        Width = width;
        Height = height;
        Pixels = pixels;
    }

    public int Width { get; }
    public int Height { get; }

    /// <summary>Row-major pixels, RGBA bytes in memory order (little-endian uint: R lowest).</summary>
    public uint[] Pixels { get; }

    public static uint Pack(SKColor c)
    {
        // premultiply so that a translucent background blends correctly when averaged and encoded
        uint a = c.Alpha;
        uint r = (c.Red * a + 127) / 255, g = (c.Green * a + 127) / 255, b = (c.Blue * a + 127) / 255;
        return r | (g << 8) | (b << 16) | (a << 24);
    }

    public void Clear(uint colour) => Pixels.AsSpan(0, Width * Height).Fill(colour);

    /// <summary>Fills the convex quad a-b-c-d (either winding).</summary>
    public void FillQuad(SKPoint a, SKPoint b, SKPoint c, SKPoint d, uint colour)
    {
        float minY = Math.Min(Math.Min(a.Y, b.Y), Math.Min(c.Y, d.Y));
        float maxY = Math.Max(Math.Max(a.Y, b.Y), Math.Max(c.Y, d.Y));
        int j0 = Math.Max(0, (int)MathF.Ceiling(minY - 0.5f));
        int j1 = Math.Min(Height, (int)MathF.Ceiling(maxY - 0.5f));
        Span<uint> pixels = Pixels.AsSpan(0, Width * Height);
        for (int j = j0; j < j1; j++)
        {
            float yc = j + 0.5f;
            float xl = float.PositiveInfinity, xr = float.NegativeInfinity;
            Cross(a, b, yc, ref xl, ref xr);
            Cross(b, c, yc, ref xl, ref xr);
            Cross(c, d, yc, ref xl, ref xr);
            Cross(d, a, yc, ref xl, ref xr);
            if (xl > xr) continue;
            int i0 = Math.Max(0, (int)MathF.Ceiling(xl - 0.5f));
            int i1 = Math.Min(Width, (int)MathF.Ceiling(xr - 0.5f));
            if (i1 > i0) pixels.Slice(j * Width + i0, i1 - i0).Fill(colour);
        }
    }

    /// <summary>Fills pixels whose centres lie in [x0, x1) x [y0, y1).</summary>
    public void FillRect(float x0, float y0, float x1, float y1, uint colour) =>
        FillQuad(new SKPoint(x0, y0), new SKPoint(x1, y0), new SKPoint(x1, y1), new SKPoint(x0, y1), colour);

    /// <summary>Averages factor x factor blocks (a box filter) into <paramref name="target"/> of Width/factor x Height/factor.</summary>
    public void DownsampleInto(Span<uint> target, int factor)
    {
        if (factor is < 1 or > 4) throw new ArgumentOutOfRangeException(nameof(factor), factor, "factor must be 1..4.");
        int w = Width / factor, h = Height / factor;
        uint n = (uint)(factor * factor), half = n / 2;
        ReadOnlySpan<uint> src = Pixels;
        for (int j = 0; j < h; j++)
            for (int i = 0; i < w; i++)
            {
                // Two channels per 32-bit sum (R and B, G and A in 16-bit lanes): 16 x 255 still fits a lane.
                uint rb = 0, ga = 0;
                for (int dy = 0; dy < factor; dy++)
                {
                    ReadOnlySpan<uint> row = src.Slice((j * factor + dy) * Width + i * factor, factor);
                    foreach (uint p in row)
                    {
                        rb += p & 0x00FF00FFu;
                        ga += (p >> 8) & 0x00FF00FFu;
                    }
                }
                uint r = ((rb & 0xFFFF) + half) / n, b = ((rb >> 16) + half) / n;
                uint g = ((ga & 0xFFFF) + half) / n, a = ((ga >> 16) + half) / n;
                target[j * w + i] = r | (g << 8) | (b << 16) | (a << 24);
            }
    }

    public static ReadOnlySpan<byte> AsBytes(ReadOnlySpan<uint> pixels) => MemoryMarshal.AsBytes(pixels);

    private static void Cross(SKPoint p, SKPoint q, float yc, ref float xl, ref float xr)
    {
        // Always interpolate from the lower end, so an edge shared by two quads gives the same x in both.
        if (p.Y > q.Y) (p, q) = (q, p);
        if (!(p.Y <= yc && yc < q.Y)) return;
        float x = p.X + (yc - p.Y) * (q.X - p.X) / (q.Y - p.Y);
        if (x < xl) xl = x;
        if (x > xr) xr = x;
    }
}
