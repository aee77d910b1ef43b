using System.Reflection;
using SkiaSharp;

namespace Expert.VqVae.Rendering;

/// <summary>
/// The shipped monospace font (DejaVu Sans Mono, Rendering/Fonts, embedded in the assembly). With the
/// NoDependencies native assets Skia's default typeface draws no text at all, so every label uses this.
/// An <see cref="SKTypeface"/> is immutable and safe to share between threads.
/// </summary>
internal static class RenderFonts
{
    internal const string ResourceName = "Expert.VqVae.Rendering.Fonts.DejaVuSansMono.ttf";

    private static readonly Lazy<SKTypeface> Mono = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    public static SKTypeface Typeface => Mono.Value;

    public static SKFont CreateFont(float size) => new(Typeface, size) { Subpixel = true, Edging = SKFontEdging.Antialias };

    /// <summary>Cuts <paramref name="text"/> with an ellipsis so that it fits <paramref name="maxWidth"/> pixels.</summary>
    public static string Fit(string text, SKFont font, float maxWidth)
    {
        if (font.MeasureText(text) <= maxWidth) return text;
        const string ellipsis = "…";
        int lo = 0, hi = text.Length;
        while (lo < hi)
        {
            int mid = (lo + hi + 1) / 2;
            if (font.MeasureText(text.AsSpan(0, mid).ToString() + ellipsis) <= maxWidth) lo = mid;
            else hi = mid - 1;
        }
        return lo == 0 ? string.Empty : text[..lo] + ellipsis;
    }

    private static SKTypeface Load()
    {
        Assembly asm = typeof(RenderFonts).Assembly;
        using Stream stream = asm.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded font '{ResourceName}' is missing from {asm.GetName().Name}; check the EmbeddedResource item in Expert.VqVae.csproj.");
        using SKData data = SKData.Create(stream);
        return SKTypeface.FromData(data)
            ?? throw new InvalidOperationException($"Embedded font '{ResourceName}' could not be read by Skia.");
    }
}
