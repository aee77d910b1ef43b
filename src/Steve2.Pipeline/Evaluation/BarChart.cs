using System.Globalization;
using Expert.DynamicMap.Shared;
using Steve2.Pipeline.Evaluation.Statistics;
using SkiaSharp;

namespace Steve2.Pipeline.Evaluation;

/// <summary>One panel of a bar chart: a metric, one bar per series (agent), optional error bars (each value's 95% interval).</summary>
internal sealed record ChartPanel(string Title, IReadOnlyList<double> Values, IReadOnlyList<Interval>? Intervals = null);

/// <summary>
/// Bar charts as PNG: panels side by side, each with its own y scale from zero, grid lines with values,
/// the value above each bar, and a legend of the series. NaN values draw no bar and are labelled "n/a".
/// </summary>
internal static class BarChart
{
    private const int PanelWidth = 250;
    private const int PanelHeight = 260;
    private const int Margin = 20;
    private const int TitleHeight = 40;
    private const int LegendHeight = 30;

    private static readonly SKColor[] Palette =
    [
        new(0x1f, 0x77, 0xb4), new(0xff, 0x7f, 0x0e), new(0x2c, 0xa0, 0x2c), new(0xd6, 0x27, 0x28),
        new(0x94, 0x67, 0xbd), new(0x8c, 0x56, 0x4b), new(0xe3, 0x77, 0xc2), new(0x7f, 0x7f, 0x7f),
    ];

    public static byte[] RenderPng(string title, IReadOnlyList<string> series, IReadOnlyList<ChartPanel> panels)
    {
        if (series.Count == 0 || panels.Count == 0) throw new ArgumentException("A chart needs at least one series and one panel.");
        if (panels.Any(p => p.Values.Count != series.Count || (p.Intervals is { } e && e.Count != series.Count)))
            throw new ArgumentException("Every panel needs one value (and interval) per series.");

        int width = Margin * 2 + panels.Count * PanelWidth;
        int height = TitleHeight + PanelHeight + LegendHeight + Margin;
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var surface = SKSurface.Create(info);
        SKCanvas canvas = surface.Canvas;
        canvas.Clear(SKColors.White);

        using SKFont titleFont = MonoFont.Create(16);
        using SKFont labelFont = MonoFont.Create(11);
        using var ink = new SKPaint { Color = new SKColor(0x22, 0x22, 0x22), IsAntialias = true };
        canvas.DrawText(title, width / 2f, 26, SKTextAlign.Center, titleFont, ink);

        for (int p = 0; p < panels.Count; p++)
            DrawPanel(canvas, panels[p], Margin + p * PanelWidth, TitleHeight, labelFont, ink);
        DrawLegend(canvas, series, width, TitleHeight + PanelHeight + 8, labelFont, ink);

        using SKImage image = surface.Snapshot();
        using SKData png = image.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }

    private static void DrawPanel(SKCanvas canvas, ChartPanel panel, float left, float top, SKFont font, SKPaint ink)
    {
        const float axisLeft = 48, plotTop = 28, plotBottomGap = 14, rightGap = 12;
        float x0 = left + axisLeft, x1 = left + PanelWidth - rightGap;
        float y0 = top + PanelHeight - plotBottomGap, y1 = top + plotTop;
        canvas.DrawText(panel.Title, left + PanelWidth / 2f, top + 16, SKTextAlign.Center, font, ink);

        double max = 0;
        for (int i = 0; i < panel.Values.Count; i++)
        {
            double v = panel.Values[i];
            if (double.IsNaN(v)) continue;
            double high = panel.Intervals is { } e && e[i].IsDefined ? e[i].High : v;
            max = Math.Max(max, Math.Max(v, high));
        }
        double top100 = NiceCeiling(max);

        using var grid = new SKPaint { Color = new SKColor(0xdd, 0xdd, 0xdd), StrokeWidth = 1, IsAntialias = true };
        using var axis = new SKPaint { Color = new SKColor(0x55, 0x55, 0x55), StrokeWidth = 1, IsAntialias = true };
        const int ticks = 4;
        for (int t = 0; t <= ticks; t++)
        {
            double value = top100 * t / ticks;
            float y = (float)(y0 - (y0 - y1) * t / ticks);
            canvas.DrawLine(x0, y, x1, y, grid);
            canvas.DrawText(Format(value), x0 - 4, y + 4, SKTextAlign.Right, font, ink);
        }
        canvas.DrawLine(x0, y0, x1, y0, axis);
        canvas.DrawLine(x0, y0, x0, y1, axis);

        int n = panel.Values.Count;
        float slot = (x1 - x0) / n;
        float barWidth = Math.Min(48, slot * 0.7f);
        for (int i = 0; i < n; i++)
        {
            float cx = x0 + slot * (i + 0.5f);
            double v = panel.Values[i];
            if (double.IsNaN(v))
            {
                canvas.DrawText("n/a", cx, y0 - 4, SKTextAlign.Center, font, ink);
                continue;
            }
            float barTop = (float)(y0 - (y0 - y1) * (top100 <= 0 ? 0 : v / top100));
            using var fill = new SKPaint { Color = Palette[i % Palette.Length], IsAntialias = true };
            canvas.DrawRect(new SKRect(cx - barWidth / 2, barTop, cx + barWidth / 2, y0), fill);
            float labelY = barTop - 4;
            if (panel.Intervals is { } intervals && intervals[i].IsDefined && intervals[i].High > intervals[i].Low)
            {
                float errTop = (float)(y0 - (y0 - y1) * (intervals[i].High / top100));
                float errBottom = (float)(y0 - (y0 - y1) * (Math.Max(0, intervals[i].Low) / top100));
                canvas.DrawLine(cx, errTop, cx, errBottom, axis);
                canvas.DrawLine(cx - 5, errTop, cx + 5, errTop, axis);
                canvas.DrawLine(cx - 5, errBottom, cx + 5, errBottom, axis);
                labelY = Math.Min(labelY, errTop - 4);
            }
            canvas.DrawText(Format(v), cx, Math.Max(y1 - 2, labelY), SKTextAlign.Center, font, ink);
        }
    }

    private static void DrawLegend(SKCanvas canvas, IReadOnlyList<string> series, int width, float top, SKFont font, SKPaint ink)
    {
        const float swatch = 12, gap = 24;
        float total = series.Sum(s => swatch + 6 + font.MeasureText(s)) + gap * (series.Count - 1);
        float x = Math.Max(Margin, (width - total) / 2);
        for (int i = 0; i < series.Count; i++)
        {
            using var fill = new SKPaint { Color = Palette[i % Palette.Length], IsAntialias = true };
            canvas.DrawRect(new SKRect(x, top, x + swatch, top + swatch), fill);
            canvas.DrawText(series[i], x + swatch + 6, top + swatch - 1, SKTextAlign.Left, font, ink);
            x += swatch + 6 + font.MeasureText(series[i]) + gap;
        }
    }

    /// <summary>The smallest of 1, 2, 2.5, 5 x 10^k at or above <paramref name="max"/> (1 for an all-zero panel).</summary>
    internal static double NiceCeiling(double max)
    {
        if (max <= 0 || double.IsNaN(max)) return 1;
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(max)));
        foreach (double step in (double[])[1, 2, 2.5, 5, 10])
            if (step * magnitude >= max * (1 - 1e-12)) return step * magnitude;
        return 10 * magnitude;
    }

    internal static string Format(double value) => value switch
    {
        double.NaN => "n/a",
        _ when Math.Abs(value) >= 100 => value.ToString("0", CultureInfo.InvariantCulture),
        _ when Math.Abs(value) >= 10 => value.ToString("0.#", CultureInfo.InvariantCulture),
        _ => value.ToString("0.###", CultureInfo.InvariantCulture),
    };
}
