using Expert.DynamicMap.Episodes;
using Expert.DynamicMap.Geometry;
using Expert.DynamicMap.Layers;
using Expert.DynamicMap.Shared;
using SkiaSharp;

namespace Expert.DynamicMap.Rendering;

/// <summary>
/// Draws a debug picture of the map for the teacher: the ground (one pixel per column, scaled with
/// nearest sampling), frontier columns, trails, agents with their heading, landmarks, sound sources with
/// their uncertainty circles, a legend and a scale bar. North (-z) is up.
/// </summary>
internal static class MapRenderer
{
    private static readonly SKColor[] AgentColors =
    [
        new(0xFF, 0x45, 0x45), new(0x3E, 0xA8, 0xFF), new(0xFF, 0xC8, 0x2E), new(0x9C, 0x6B, 0xFF),
        new(0x2E, 0xE6, 0xA8), new(0xFF, 0x8A, 0x3D), new(0xF2, 0x6D, 0xD5), new(0xC8, 0xC8, 0xC8),
    ];

    private static readonly SKColor FrontierColor = new(0xFF, 0x2B, 0xD6);
    private static readonly SKColor LandmarkColor = new(0xFF, 0xE0, 0x3A);
    private static readonly SKColor SoundColor = new(0x3A, 0xF0, 0xFF);

    public static byte[] RenderPng(MapState state, RenderRequest request)
    {
        var region = request.Region ?? DefaultRegion(state);
        var wanted = new List<MapLayer> { MapLayer.Height, MapLayer.SurfaceBlock, MapLayer.Explored };
        if (request.Frontiers) wanted.Add(MapLayer.Frontier);
        if (request.Base == RenderBase.Staleness) wanted.Add(MapLayer.Staleness);
        if (request.Base == RenderBase.Visits) wanted.Add(MapLayer.Visits);
        var layers = LayerBuilder.Build(state, new LayerRequest(region, wanted));

        int w = region.Width, d = region.Depth;
        byte[] ground = PaintGround(state, region, layers, request);

        var info = new SKImageInfo(request.WidthPx, request.HeightPx, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var surface = SKSurface.Create(info);
        var canvas = surface.Canvas;
        canvas.Clear(new SKColor(0x10, 0x10, 0x14));

        float scale = Math.Min((float)request.WidthPx / w, (float)request.HeightPx / d);
        float offsetX = (request.WidthPx - w * scale) / 2, offsetY = (request.HeightPx - d * scale) / 2;
        using (var image = SKImage.FromPixelCopy(new SKImageInfo(w, d, SKColorType.Rgba8888, SKAlphaType.Premul), ground))
            canvas.DrawImage(image, new SKRect(offsetX, offsetY, offsetX + w * scale, offsetY + d * scale), new SKSamplingOptions(SKFilterMode.Nearest), null);

        var view = new View(region, scale, offsetX, offsetY);
        using var font = new SKFont(MonoFont.Typeface, Math.Clamp(request.WidthPx / 48f, 9f, 16f), 1f, 0f);
        using var stroke = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = 2, StrokeJoin = SKStrokeJoin.Round };
        using var fill = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Fill };
        using var text = new SKPaint { IsAntialias = true, Color = SKColors.White };
        using var halo = new SKPaint { IsAntialias = true, Color = new SKColor(0, 0, 0, 200), Style = SKPaintStyle.Stroke, StrokeWidth = 3 };

        var agents = state.Agents.Ordered.ToArray();
        if (request.Trails)
        {
            for (int a = 0; a < agents.Length; a++)
            {
                stroke.Color = AgentColors[a % AgentColors.Length].WithAlpha(190);
                stroke.StrokeWidth = Math.Max(1.5f, scale * 0.35f);
                var trail = agents[a].Trail;
                using var builder = new SKPathBuilder();
                bool drawing = false;
                foreach (var p in trail)
                {
                    if (!InRange(region, p.Y)) { drawing = false; continue; }
                    var point = view.Px(p.X, p.Z);
                    if (drawing) builder.LineTo(point); else builder.MoveTo(point);
                    drawing = true;
                }
                using var path = builder.Snapshot();
                canvas.DrawPath(path, stroke);
            }
        }

        if (request.Landmarks)
        {
            foreach (var landmark in state.Landmarks.All)
            {
                if (!InRange(region, landmark.Position.Y) || !view.Visible(landmark.Position.X, landmark.Position.Z)) continue;
                var c = view.Px(landmark.Position.X, landmark.Position.Z);
                float r = Math.Max(4f, scale * 0.8f);
                using var builder = new SKPathBuilder();
                builder.MoveTo(c.X, c.Y - r);
                builder.LineTo(c.X + r, c.Y);
                builder.LineTo(c.X, c.Y + r);
                builder.LineTo(c.X - r, c.Y);
                builder.Close();
                using var path = builder.Snapshot();
                fill.Color = LandmarkColor;
                canvas.DrawPath(path, fill);
                Label(canvas, landmark.DisplayName, c.X + r + 2, c.Y + 4, font, text, halo);
            }
        }

        if (request.Sounds)
        {
            using var dashed = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = 1.5f, Color = SoundColor };
            using var dash = SKPathEffect.CreateDash([5f, 4f], 0);
            dashed.PathEffect = dash;
            foreach (var sound in state.Sounds.Sources)
            {
                if (!view.Visible(sound.Position.X, sound.Position.Z)) continue;
                var c = view.Px(sound.Position.X, sound.Position.Z);
                stroke.Color = SoundColor;
                stroke.StrokeWidth = 2;
                if (sound.Located)
                {
                    canvas.DrawCircle(c, Math.Max(3f, (float)sound.Uncertainty * scale), dashed);
                    canvas.DrawLine(c.X - 4, c.Y, c.X + 4, c.Y, stroke);
                    canvas.DrawLine(c.X, c.Y - 4, c.X, c.Y + 4, stroke);
                    Label(canvas, $"{sound.Name} ±{sound.Uncertainty:0.#}", c.X + 6, c.Y - 6, font, text, halo);
                }
                else if (sound.Direction is Vec3 dir)
                {
                    double length = Math.Sqrt(dir.X * dir.X + dir.Z * dir.Z);
                    if (length < 1e-6) continue;
                    float reach = 48f;
                    var end = new SKPoint(c.X + (float)(dir.X / length) * reach, c.Y + (float)(dir.Z / length) * reach);
                    canvas.DrawLine(c, end, dashed);
                    Label(canvas, $"{sound.Name}?", end.X + 4, end.Y, font, text, halo);
                }
            }
        }

        if (request.Agents)
        {
            for (int a = 0; a < agents.Length; a++)
            {
                var pose = agents[a].Pose;
                if (!view.Visible(pose.X, pose.Z)) continue;
                var c = view.Px(pose.X, pose.Z);
                float r = Math.Max(5f, scale * 0.9f);
                var look = pose.LookDirection;
                double horizontal = Math.Sqrt(look.X * look.X + look.Z * look.Z);
                var color = AgentColors[a % AgentColors.Length];
                fill.Color = color;
                canvas.DrawCircle(c, r, fill);
                stroke.Color = SKColors.White;
                stroke.StrokeWidth = 2;
                canvas.DrawCircle(c, r, stroke);
                if (horizontal > 1e-6)
                    canvas.DrawLine(c, new SKPoint(c.X + (float)(look.X / horizontal) * r * 2.4f, c.Y + (float)(look.Z / horizontal) * r * 2.4f), stroke);
                Label(canvas, agents[a].Id, c.X + r + 3, c.Y - r, font, text, halo);
            }
        }

        if (request.ScaleBar) DrawScaleBar(canvas, scale, request, font, text, halo);
        if (request.Legend) DrawLegend(canvas, state, layers, agents.Select(a => a.Id).ToArray(), request, font, text);

        // A map has large flat areas: the Sub filter and a low zlib level keep it small and fast.
        using var pixmap = surface.PeekPixels();
        using var png = pixmap.Encode(new SKPngEncoderOptions(SKPngEncoderFilterFlags.Sub, 1))
            ?? throw new InvalidOperationException("PNG encoding failed.");
        return png.ToArray();
    }

    private static bool InRange(MapRegion region, double y) => y >= region.YMin - 1 && y <= region.YMax + 2;

    private readonly record struct View(MapRegion Region, float Scale, float OffsetX, float OffsetY)
    {
        public SKPoint Px(double x, double z) =>
            new(OffsetX + (float)(x - Region.X0) * Scale, OffsetY + (float)(z - Region.Z0) * Scale);

        public bool Visible(double x, double z) =>
            x >= Region.X0 && x < Region.X1 && z >= Region.Z0 && z < Region.Z1;
    }

    public static MapRegion DefaultRegion(MapState state)
    {
        var bounds = state.Store.ChunkBounds();
        int side = state.Options.MaxRegionSide;
        if (bounds is null)
        {
            var agent = state.Agents.Ordered.FirstOrDefault();
            int cx = agent is null ? 0 : CellMath.Cell(agent.Pose.X), cz = agent is null ? 0 : CellMath.Cell(agent.Pose.Z);
            return MapRegion.Around(cx, cz, 32, state.Options.Bounds.MinY, state.Options.Bounds.MaxY);
        }
        var b = bounds.Value;
        int width = Math.Min(side, b.MaxX - b.MinX + 1), depth = Math.Min(side, b.MaxZ - b.MinZ + 1);
        return new MapRegion(b.MinX, b.MinZ, width, depth,
            Math.Max(state.Options.Bounds.MinY, b.MinY), Math.Min(state.Options.Bounds.MaxY, b.MaxY));
    }

    private static byte[] PaintGround(MapState state, MapRegion region, MapLayers layers, RenderRequest request)
    {
        int n = region.Columns;
        var pixels = new byte[n * 4];
        var height = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, short>(layers.Plane(MapLayer.Height).Data);
        var surface = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(layers.Plane(MapLayer.SurfaceBlock).Data);
        var explored = layers.Plane(MapLayer.Explored).Data;
        byte[]? frontier = request.Frontiers ? layers.Plane(MapLayer.Frontier).Data : null;

        var colors = new SKColor[state.Palette.Count];
        for (int i = 0; i < colors.Length; i++) colors[i] = BlockColors.Of(state.Palette.NameOf((ushort)i));

        short hMin = short.MaxValue, hMax = short.MinValue;
        foreach (short h in height)
        {
            if (h == LayerBuilder.NoHeight) continue;
            if (h < hMin) hMin = h;
            if (h > hMax) hMax = h;
        }
        float hSpan = Math.Max(1, hMax - hMin);

        ReadOnlySpan<int> staleness = request.Base == RenderBase.Staleness
            ? System.Runtime.InteropServices.MemoryMarshal.Cast<byte, int>(layers.Plane(MapLayer.Staleness).Data) : default;
        ReadOnlySpan<ushort> visits = request.Base == RenderBase.Visits
            ? System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(layers.Plane(MapLayer.Visits).Data) : default;
        int maxStale = 1, maxVisits = 1;
        foreach (int s in staleness) maxStale = Math.Max(maxStale, s);
        foreach (ushort v in visits) maxVisits = Math.Max(maxVisits, v);

        for (int i = 0; i < n; i++)
        {
            SKColor c;
            if (height[i] != LayerBuilder.NoHeight)
            {
                float t = (height[i] - hMin) / hSpan;
                c = request.Base switch
                {
                    RenderBase.Height => Grey((byte)(50 + 200 * t)),
                    RenderBase.Staleness => Grey((byte)(40 + 200 * (1 - Math.Clamp(staleness[i] / (float)maxStale, 0, 1)))),
                    _ => Shade(colors[surface[i]], 0.55f + 0.45f * t),
                };
                if (request.Base == RenderBase.Visits && visits[i] > 0)
                    c = Blend(c, new SKColor(0xFF, 0x30, 0x10), 0.35f + 0.65f * visits[i] / (float)maxVisits);
            }
            else c = explored[i] != 0 ? BlockColors.OpenAir : BlockColors.Unknown;
            if (frontier is not null && frontier[i] != 0) c = Blend(c, FrontierColor, 0.75f);
            pixels[4 * i] = c.Red;
            pixels[4 * i + 1] = c.Green;
            pixels[4 * i + 2] = c.Blue;
            pixels[4 * i + 3] = 255;
        }
        return pixels;
    }

    private static SKColor Grey(byte v) => new(v, v, v);

    private static SKColor Shade(SKColor c, float f) =>
        new((byte)Math.Min(255, c.Red * f), (byte)Math.Min(255, c.Green * f), (byte)Math.Min(255, c.Blue * f));

    private static SKColor Blend(SKColor a, SKColor b, float t) =>
        new((byte)(a.Red + (b.Red - a.Red) * t), (byte)(a.Green + (b.Green - a.Green) * t), (byte)(a.Blue + (b.Blue - a.Blue) * t));

    private static void Label(SKCanvas canvas, string label, float x, float y, SKFont font, SKPaint text, SKPaint halo)
    {
        canvas.DrawText(label, x, y, SKTextAlign.Left, font, halo);
        canvas.DrawText(label, x, y, SKTextAlign.Left, font, text);
    }

    private static void DrawScaleBar(SKCanvas canvas, float scale, RenderRequest request, SKFont font, SKPaint text, SKPaint halo)
    {
        int[] steps = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000];
        int blocks = steps[0];
        foreach (int step in steps) if (step * scale <= request.WidthPx * 0.25f) blocks = step;
        float length = blocks * scale;
        float x = 12, y = request.HeightPx - 14;
        using var bar = new SKPaint { Color = SKColors.White, StrokeWidth = 3, IsAntialias = false };
        using var shadow = new SKPaint { Color = new SKColor(0, 0, 0, 200), StrokeWidth = 6 };
        canvas.DrawLine(x, y, x + length, y, shadow);
        canvas.DrawLine(x, y, x + length, y, bar);
        canvas.DrawLine(x, y - 5, x, y + 3, bar);
        canvas.DrawLine(x + length, y - 5, x + length, y + 3, bar);
        string label = blocks == 1 ? "1 block" : $"{blocks} blocks";
        canvas.DrawText(label, x, y - 8, SKTextAlign.Left, font, halo);
        canvas.DrawText(label, x, y - 8, SKTextAlign.Left, font, text);
        canvas.DrawText("N ↑", request.WidthPx - 12, request.HeightPx - 10, SKTextAlign.Right, font, halo);
        canvas.DrawText("N ↑", request.WidthPx - 12, request.HeightPx - 10, SKTextAlign.Right, font, text);
    }

    private static void DrawLegend(SKCanvas canvas, MapState state, MapLayers layers, string[] agents, RenderRequest request, SKFont font, SKPaint text)
    {
        var entries = new List<(SKColor Color, string Label)> { (BlockColors.Unknown, "unknown"), (BlockColors.OpenAir, "explored, no ground") };
        // The most common surface blocks in view.
        var surface = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(layers.Plane(MapLayer.SurfaceBlock).Data);
        var counts = new Dictionary<ushort, int>();
        foreach (ushort id in surface) if (id > 1) counts[id] = counts.GetValueOrDefault(id) + 1;
        foreach (var (id, _) in counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key).Take(5))
            entries.Add((BlockColors.Of(state.Palette.NameOf(id)), state.Palette.NameOf(id)));
        if (request.Frontiers) entries.Add((FrontierColor, "frontier"));
        if (request.Landmarks && state.Landmarks.All.Count > 0) entries.Add((LandmarkColor, "landmark"));
        if (request.Sounds && state.Sounds.Sources.Count > 0) entries.Add((SoundColor, "sound (± uncertainty)"));
        for (int a = 0; a < agents.Length && a < 8; a++) entries.Add((AgentColors[a % AgentColors.Length], $"agent {agents[a]}"));

        float line = font.Size + 4;
        float width = 0;
        foreach (var (_, label) in entries) width = Math.Max(width, font.MeasureText(label, text));
        width += line + 16;
        float height = entries.Count * line + 10;
        float x = request.WidthPx - width - 8, y = 8;
        using var box = new SKPaint { Color = new SKColor(0, 0, 0, 170) };
        canvas.DrawRect(x, y, width, height, box);
        using var swatch = new SKPaint();
        for (int i = 0; i < entries.Count; i++)
        {
            float top = y + 5 + i * line;
            swatch.Color = entries[i].Color;
            canvas.DrawRect(x + 6, top + 2, line - 6, line - 6, swatch);
            canvas.DrawText(entries[i].Label, x + line + 6, top + font.Size, SKTextAlign.Left, font, text);
        }
    }
}
