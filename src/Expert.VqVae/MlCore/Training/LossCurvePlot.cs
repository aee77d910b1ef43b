using Expert.DynamicMap.Shared;
using SkiaSharp;

namespace Expert.VqVae.MlCore.Training;

/// <summary>
/// Loss and metric curves as PNG, for any trainer's <see cref="TrainingLog"/>: one file per stage
/// (<c>curves-&lt;stage&gt;.png</c> in the run folder), one panel per logged value name (three panels
/// a row, x = step, y from the value's min to max, long series smoothed by a moving average of
/// 1/100 of their length), labels in <see cref="MonoFont"/>. Files are written atomically.
/// </summary>
public static class LossCurvePlot
{
    private const int PanelWidth = 420;
    private const int PanelHeight = 240;

    /// <summary>Writes curves-&lt;stage&gt;.png into <paramref name="outputDir"/> for every stage in <paramref name="points"/>; returns the paths.</summary>
    public static IReadOnlyList<string> WriteAll(IReadOnlyList<MetricPoint> points, string outputDir)
    {
        var written = new List<string>();
        foreach (var stage in points.Select(p => p.Stage).Distinct())
        {
            var stagePoints = points.Where(p => p.Stage == stage).ToList();
            var names = stagePoints.SelectMany(p => p.Values.Keys).Distinct().ToList();
            string path = Path.Combine(outputDir, $"curves-{stage}.png");
            Write(path, stage, stagePoints, names);
            written.Add(path);
        }
        return written;
    }

    private static void Write(string path, string stage, IReadOnlyList<MetricPoint> points, IReadOnlyList<string> names)
    {
        int columns = Math.Min(3, names.Count);
        int rows = (names.Count + columns - 1) / columns;
        using var surface = SKSurface.Create(new SKImageInfo(columns * PanelWidth, rows * PanelHeight + 30));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var titleFont = MonoFont.Create(16);
        using var font = MonoFont.Create(12);
        using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        canvas.DrawText($"stage: {stage}", 10, 20, SKTextAlign.Left, titleFont, ink);
        for (int i = 0; i < names.Count; i++)
        {
            var series = points.Where(p => p.Values.ContainsKey(names[i])).Select(p => (x: (double)p.Step, y: p.Values[names[i]])).ToList();
            var panel = new SKRect(i % columns * PanelWidth, 30 + i / columns * PanelHeight, 0, 0);
            panel.Right = panel.Left + PanelWidth;
            panel.Bottom = panel.Top + PanelHeight;
            DrawPanel(canvas, panel, names[i], series, font);
        }
        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        AtomicFile.Write(path, png.SaveTo);
    }

    private static void DrawPanel(SKCanvas canvas, SKRect panel, string name, IReadOnlyList<(double x, double y)> series, SKFont font)
    {
        var plot = new SKRect(panel.Left + 60, panel.Top + 24, panel.Right - 16, panel.Bottom - 30);
        using var axis = new SKPaint { Color = SKColors.Gray, StrokeWidth = 1, IsStroke = true };
        using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        using var line = new SKPaint { Color = new SKColor(30, 100, 200), StrokeWidth = 1.5f, IsStroke = true, IsAntialias = true };
        canvas.DrawRect(plot, axis);
        canvas.DrawText(name, plot.Left, panel.Top + 16, SKTextAlign.Left, font, ink);
        if (series.Count == 0) return;
        double x0 = series.Min(p => p.x), x1 = Math.Max(series.Max(p => p.x), x0 + 1);
        double y0 = series.Min(p => p.y), y1 = series.Max(p => p.y);
        if (y1 - y0 < 1e-9) { y0 -= 0.5; y1 += 0.5; }
        // Smooth long, noisy series with a moving average so the trend reads.
        int window = Math.Max(1, series.Count / 100);
        var smooth = new List<(double x, double y)>();
        double acc = 0;
        for (int i = 0; i < series.Count; i++)
        {
            acc += series[i].y;
            if (i >= window) acc -= series[i - window].y;
            smooth.Add((series[i].x, acc / Math.Min(i + 1, window)));
        }
        var builder = new SKPathBuilder();
        for (int i = 0; i < smooth.Count; i++)
        {
            float px = (float)(plot.Left + (smooth[i].x - x0) / (x1 - x0) * plot.Width);
            float py = (float)(plot.Bottom - (smooth[i].y - y0) / (y1 - y0) * plot.Height);
            if (i == 0) builder.MoveTo(px, py); else builder.LineTo(px, py);
        }
        using var path = builder.Snapshot();
        canvas.DrawPath(path, line);
        if (smooth.Count == 1) canvas.DrawCircle((float)plot.MidX, (float)plot.MidY, 3, ink);
        canvas.DrawText($"{y1:G4}", panel.Left + 4, plot.Top + 10, SKTextAlign.Left, font, ink);
        canvas.DrawText($"{y0:G4}", panel.Left + 4, plot.Bottom, SKTextAlign.Left, font, ink);
        canvas.DrawText($"step {x0:0}", plot.Left, plot.Bottom + 16, SKTextAlign.Left, font, ink);
        canvas.DrawText($"{x1:0}", plot.Right - 40, plot.Bottom + 16, SKTextAlign.Left, font, ink);
    }
}
