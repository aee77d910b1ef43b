using SkiaSharp;

namespace Steve2.Pipeline.Evaluation;

/// <summary>
/// The label font of the plots: the DejaVu Sans Mono that Expert.VqVae embeds for its renders (with the
/// NoDependencies Skia assets the default typeface draws no text at all), read from that assembly.
/// </summary>
internal static class ChartFont
{
    private const string ResourceName = "Expert.VqVae.Rendering.Fonts.DejaVuSansMono.ttf";

    private static readonly Lazy<SKTypeface> Typeface = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    public static SKFont Create(float size) => new(Typeface.Value, size) { Subpixel = true, Edging = SKFontEdging.Antialias };

    private static SKTypeface Load()
    {
        System.Reflection.Assembly assembly = typeof(global::Expert.VqVae.Rendering.RenderViews).Assembly;
        using Stream stream = assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The font '{ResourceName}' is missing from {assembly.GetName().Name}: rebuild Expert.VqVae (its csproj embeds it).");
        using SKData data = SKData.Create(stream);
        return SKTypeface.FromData(data) ?? throw new InvalidOperationException($"Skia cannot read the font '{ResourceName}'.");
    }
}
