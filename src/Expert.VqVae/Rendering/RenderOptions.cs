using SkiaSharp;

namespace Expert.VqVae.Rendering;

/// <summary>How one view is drawn. Immutable; share one instance freely between threads.</summary>
public sealed record RenderOptions
{
    /// <summary>The defaults: 256x256, light background, ground on, no label, 2x supersampling.</summary>
    public static RenderOptions Default { get; } = new();

    /// <summary>Image width in pixels (16..4096).</summary>
    public int Width { get; init; } = 256;

    /// <summary>Image height in pixels (16..4096).</summary>
    public int Height { get; init; } = 256;

    /// <summary>Colour behind everything.</summary>
    public SKColor Background { get; init; } = new(0xF5, 0xF4, 0xF0);

    /// <summary>
    /// Draws the grid's ground (the y = 0 plane of the whole frame): a checkerboard of cells in the
    /// top and isometric views, a line under the frame in front, back and side views.
    /// </summary>
    public bool Ground { get; init; } = true;

    /// <summary>Writes the view name in the top-left corner.</summary>
    public bool Label { get; init; }

    /// <summary>
    /// Draws at this many times the size and averages down (1..4). 2 gives smooth, thin voxel edges;
    /// 1 is the fastest and has jagged isometric edges. Lowered automatically for very large images
    /// (see <see cref="EffectiveSupersample"/>).
    /// </summary>
    public int Supersample { get; init; } = 2;

    /// <summary>Most pixels drawn before averaging down: 4096 x 4096 (64 MB of RGBA).</summary>
    public const long MaxDrawnPixels = 4096L * 4096;

    /// <summary>The largest factor ≤ <see cref="Supersample"/> that keeps Width x Height x factor² ≤ <see cref="MaxDrawnPixels"/>.</summary>
    public int EffectiveSupersample
    {
        get
        {
            int s = Math.Max(1, Supersample);
            while (s > 1 && (long)Width * Height * s * s > MaxDrawnPixels) s--;
            return s;
        }
    }

    /// <summary>
    /// Darkens faces with distance from the camera in the orthographic views (front, back, side, top),
    /// so that recesses read; 0 turns it off, 0.45 is the default, at most 0.9.
    /// </summary>
    public float DepthShading { get; init; } = 0.45f;

    /// <summary>Draws the thin darker outline of every face (skipped when faces are under 2.5 px on screen).</summary>
    public bool Edges { get; init; } = true;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first bad field.</summary>
    public void Validate()
    {
        if (Width is < 16 or > 4096) throw new ArgumentOutOfRangeException(nameof(Width), Width, "Width must be 16..4096 pixels.");
        if (Height is < 16 or > 4096) throw new ArgumentOutOfRangeException(nameof(Height), Height, "Height must be 16..4096 pixels.");
        if (Supersample is < 1 or > 4) throw new ArgumentOutOfRangeException(nameof(Supersample), Supersample, "Supersample must be 1..4.");
        if (!(DepthShading >= 0f && DepthShading <= 0.9f))
            throw new ArgumentOutOfRangeException(nameof(DepthShading), DepthShading, "DepthShading must be 0..0.9.");
    }
}
