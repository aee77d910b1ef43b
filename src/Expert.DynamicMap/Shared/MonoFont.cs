using System.Reflection;
using SkiaSharp;

namespace Expert.DynamicMap.Shared;

/// <summary>
/// The one label font of every picture the repository draws (renders, contact sheets, map
/// renders, loss curves, evaluation charts): DejaVu Sans Mono, <c>Shared/Fonts/</c> (licence beside
/// it), embedded once, in this assembly. With the NoDependencies Skia native assets the default
/// typeface draws no text at all, silently, so no code may use it. An <see cref="SKTypeface"/> is
/// immutable and safe to share between threads; each caller creates and disposes its own
/// <see cref="SKFont"/>.
/// </summary>
public static class MonoFont
{
    /// <summary>The manifest resource name (the LogicalName in Expert.DynamicMap.csproj).</summary>
    internal const string ResourceName = "Expert.DynamicMap.Shared.Fonts.DejaVuSansMono.ttf";

    private static readonly Lazy<SKTypeface> Mono = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The loaded typeface (read from the assembly on first use).</summary>
    public static SKTypeface Typeface => Mono.Value;

    /// <summary>A font of <paramref name="size"/> pixels, subpixel positioned and anti-aliased; dispose it.</summary>
    public static SKFont Create(float size) => new(Typeface, size) { Subpixel = true, Edging = SKFontEdging.Antialias };

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
        Assembly asm = typeof(MonoFont).Assembly;
        using Stream stream = asm.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded font '{ResourceName}' is missing from {asm.GetName().Name}; check the EmbeddedResource item in Expert.DynamicMap.csproj.");
        using SKData data = SKData.Create(stream);
        return SKTypeface.FromData(data)
            ?? throw new InvalidOperationException($"Embedded font '{ResourceName}' could not be read by Skia.");
    }
}
