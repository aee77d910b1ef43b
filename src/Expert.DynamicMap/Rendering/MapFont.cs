using SkiaSharp;

namespace Expert.DynamicMap.Rendering;

/// <summary>The embedded DejaVu Sans Mono typeface (the NoDependencies native build has no usable default font).</summary>
internal static class MapFont
{
    private static readonly Lazy<SKTypeface> Loaded = new(() =>
    {
        using var stream = typeof(MapFont).Assembly.GetManifestResourceStream("DejaVuSansMono.ttf")
            ?? throw new InvalidOperationException("The embedded font DejaVuSansMono.ttf is missing from Expert.DynamicMap.");
        return SKTypeface.FromStream(stream) ?? throw new InvalidOperationException("DejaVuSansMono.ttf could not be loaded.");
    });

    public static SKTypeface Typeface => Loaded.Value;
}
