using Expert.DynamicMap.Shared;
using SkiaSharp;

namespace Expert.DynamicMap.Tests.Shared;

public class MonoFontTests
{
    [Fact]
    public void The_embedded_font_loads()
    {
        Assert.Equal("DejaVu Sans Mono", MonoFont.Typeface.FamilyName);
        Assert.Same(MonoFont.Typeface, MonoFont.Typeface);
        Assert.Contains(MonoFont.ResourceName, typeof(MonoFont).Assembly.GetManifestResourceNames());
    }

    [Fact]
    public void Text_drawn_with_it_leaves_ink_where_nothing_drawn_leaves_none()
    {
        Assert.Equal(0, InkedPixels(""));
        Assert.True(InkedPixels("loss 0.25") > 50, "the font drew (almost) nothing");
    }

    [Fact]
    public void Fit_cuts_long_text_with_an_ellipsis_to_the_width()
    {
        using var font = MonoFont.Create(12);
        string text = new('w', 200);
        string fitted = MonoFont.Fit(text, font, 100);
        Assert.EndsWith("…", fitted);
        Assert.True(font.MeasureText(fitted) <= 100);
        Assert.Equal("short", MonoFont.Fit("short", font, 100));
    }

    private static int InkedPixels(string text)
    {
        using var surface = SKSurface.Create(new SKImageInfo(200, 40, SKColorType.Rgba8888, SKAlphaType.Premul));
        surface.Canvas.Clear(SKColors.White);
        using var font = MonoFont.Create(16);
        using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        surface.Canvas.DrawText(text, 4, 28, SKTextAlign.Left, font, ink);
        using var image = surface.Snapshot();
        using var pixmap = image.PeekPixels();
        var bytes = pixmap.GetPixelSpan();
        int inked = 0;
        for (int i = 0; i < bytes.Length; i += 4) if (bytes[i] < 128) inked++;
        return inked;
    }
}
