using System.Runtime.InteropServices;
using Expert.DynamicMap.Shared;
using Expert.VqVae.Voxels;
using SkiaSharp;

namespace Expert.VqVae.Rendering;

/// <summary>Layout and look of a <see cref="ContactSheet"/>. Immutable; share freely.</summary>
public sealed record ContactSheetOptions
{
    public static ContactSheetOptions Default { get; } = new();

    /// <summary>Edge of each square view tile in pixels (16..1024).</summary>
    public int TileSize { get; init; } = 256;

    /// <summary>Space around and between tiles in pixels (0..64).</summary>
    public int Gap { get; init; } = 6;

    /// <summary>Height of the optional title line at the top (8..128).</summary>
    public int TitleHeight { get; init; } = 24;

    /// <summary>Height of the header that names each column's view (8..128).</summary>
    public int LabelHeight { get; init; } = 18;

    /// <summary>Height of the optional caption above each row (8..128).</summary>
    public int RowLabelHeight { get; init; } = 18;

    /// <summary>Colour of the sheet around the tiles (the tiles keep <see cref="Render"/>'s background).</summary>
    public SKColor Background { get; init; } = SKColors.White;

    /// <summary>How each tile is drawn; its Width, Height and Label are replaced by the sheet's.</summary>
    public RenderOptions Render { get; init; } = RenderOptions.Default;

    public void Validate()
    {
        if (TileSize is < 16 or > 1024) throw new ArgumentOutOfRangeException(nameof(TileSize), TileSize, "TileSize must be 16..1024 pixels.");
        if (Gap is < 0 or > 64) throw new ArgumentOutOfRangeException(nameof(Gap), Gap, "Gap must be 0..64 pixels.");
        if (TitleHeight is < 8 or > 128) throw new ArgumentOutOfRangeException(nameof(TitleHeight), TitleHeight, "TitleHeight must be 8..128 pixels.");
        if (LabelHeight is < 8 or > 128) throw new ArgumentOutOfRangeException(nameof(LabelHeight), LabelHeight, "LabelHeight must be 8..128 pixels.");
        if (RowLabelHeight is < 8 or > 128) throw new ArgumentOutOfRangeException(nameof(RowLabelHeight), RowLabelHeight, "RowLabelHeight must be 8..128 pixels.");
        ArgumentNullException.ThrowIfNull(Render, nameof(Render));
    }
}

/// <summary>
/// Several views of one grid, or of several grids (one row per sample), in one labelled image.
/// Layout (RENDERS.md has it in words): an optional title line; a header naming each column's view;
/// then one row per grid, each with an optional caption above its tiles. Every tile is a square
/// <see cref="OccupancyRenderer"/> render of <see cref="ContactSheetOptions.TileSize"/>; <see cref="Measure"/>
/// gives the exact size. Stateless and thread safe.
/// </summary>
public static class ContactSheet
{
    /// <summary>At most this many rows (grids) and columns (views) in one sheet.</summary>
    public const int MaxRows = 64, MaxColumns = 12;

    /// <summary>At most this many pixels in one sheet (128 MB of RGBA).</summary>
    public const long MaxPixels = 32L * 1024 * 1024;

    private static readonly SKColor TextColour = new(0x20, 0x20, 0x20);
    private static readonly SKColor CaptionColour = new(0x50, 0x50, 0x50);

    /// <summary>All <paramref name="views"/> (default: front, side, top, isometric) of one grid, labelled, with an optional title.</summary>
    public static SKImage Render(OccupancyGrid grid, IReadOnlyList<RenderView>? views = null, string? title = null, ContactSheetOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(grid);
        return RenderComparison([grid], null, views, title, options);
    }

    /// <inheritdoc cref="Render"/>
    public static byte[] RenderPng(OccupancyGrid grid, IReadOnlyList<RenderView>? views = null, string? title = null, ContactSheetOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(grid);
        return RenderComparisonPng([grid], null, views, title, options);
    }

    /// <summary>
    /// Grids side by side for comparing samples: one row per grid (captioned with
    /// <paramref name="rowLabels"/> when given, one per grid), one column per view.
    /// </summary>
    public static SKImage RenderComparison(IReadOnlyList<OccupancyGrid> grids, IReadOnlyList<string>? rowLabels = null,
        IReadOnlyList<RenderView>? views = null, string? title = null, ContactSheetOptions? options = null)
    {
        uint[] pixels = Compose(grids, rowLabels, views, title, options, out SKImageInfo info);
        return SKImage.FromPixelCopy(info, Raster.AsBytes(pixels), info.RowBytes)
            ?? throw new InvalidOperationException("Skia could not wrap the contact sheet.");
    }

    /// <inheritdoc cref="RenderComparison"/>
    public static byte[] RenderComparisonPng(IReadOnlyList<OccupancyGrid> grids, IReadOnlyList<string>? rowLabels = null,
        IReadOnlyList<RenderView>? views = null, string? title = null, ContactSheetOptions? options = null)
    {
        uint[] pixels = Compose(grids, rowLabels, views, title, options, out SKImageInfo info);
        return OccupancyRenderer.EncodePng(info, pixels);
    }

    /// <summary>
    /// As <see cref="RenderComparisonPng"/> for grids with blocks: every voxel in its block's colour
    /// (<see cref="OccupancyRenderer.RenderBlocksPng"/>).
    /// </summary>
    public static byte[] RenderBlocksComparisonPng(IReadOnlyList<MaterialGrid> blocks, IReadOnlyList<string>? rowLabels = null,
        IReadOnlyList<RenderView>? views = null, string? title = null, ContactSheetOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        uint[] pixels = Compose(blocks.Select(b => b.ToOccupancy()).ToList(), rowLabels, views, title, options, out SKImageInfo info, blocks);
        return OccupancyRenderer.EncodePng(info, pixels);
    }

    /// <summary>
    /// Exact sheet size: width = Gap + columns * (TileSize + Gap); height = Gap + (title ? TitleHeight : 0)
    /// + LabelHeight + rows * ((row labels ? RowLabelHeight : 0) + TileSize + Gap).
    /// </summary>
    public static SKSizeI Measure(int rows, int columns, bool hasTitle, bool hasRowLabels, ContactSheetOptions? options = null)
    {
        options ??= ContactSheetOptions.Default;
        int width = options.Gap + columns * (options.TileSize + options.Gap);
        int height = options.Gap + (hasTitle ? options.TitleHeight : 0) + options.LabelHeight
            + rows * ((hasRowLabels ? options.RowLabelHeight : 0) + options.TileSize + options.Gap);
        return new SKSizeI(width, height);
    }

    private static uint[] Compose(IReadOnlyList<OccupancyGrid> grids, IReadOnlyList<string>? rowLabels, IReadOnlyList<RenderView>? views,
        string? title, ContactSheetOptions? options, out SKImageInfo info, IReadOnlyList<MaterialGrid>? blocks = null)
    {
        ArgumentNullException.ThrowIfNull(grids);
        options ??= ContactSheetOptions.Default;
        options.Validate();
        views ??= RenderViews.Default;
        if (grids.Count is < 1 or > MaxRows) throw new ArgumentOutOfRangeException(nameof(grids), grids.Count, $"A sheet holds 1..{MaxRows} grids.");
        if (views.Count is < 1 or > MaxColumns) throw new ArgumentOutOfRangeException(nameof(views), views.Count, $"A sheet holds 1..{MaxColumns} views.");
        if (rowLabels is not null && rowLabels.Count != grids.Count)
            throw new ArgumentException($"Got {rowLabels.Count} row labels for {grids.Count} grids.", nameof(rowLabels));
        for (int r = 0; r < grids.Count; r++)
            if (grids[r] is null) throw new ArgumentNullException(nameof(grids), $"Grid {r} is null.");

        bool hasTitle = !string.IsNullOrWhiteSpace(title);
        bool hasRowLabels = rowLabels is not null;
        SKSizeI size = Measure(grids.Count, views.Count, hasTitle, hasRowLabels, options);
        if ((long)size.Width * size.Height > MaxPixels)
            throw new ArgumentOutOfRangeException(nameof(grids), $"A {size.Width}x{size.Height} sheet is over {MaxPixels:N0} pixels; use smaller tiles or fewer grids.");
        info = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        var sheet = new uint[size.Width * size.Height];
        sheet.AsSpan().Fill(Raster.Pack(options.Background));

        int tile = options.TileSize, gap = options.Gap;
        RenderOptions tileOptions = options.Render with { Width = tile, Height = tile, Label = false };
        int headerTop = gap + (hasTitle ? options.TitleHeight : 0);
        int rowTop = headerTop + options.LabelHeight;
        for (int r = 0; r < grids.Count; r++)
        {
            int tileTop = rowTop + (hasRowLabels ? options.RowLabelHeight : 0);
            for (int c = 0; c < views.Count; c++)
            {
                uint[] pixels = OccupancyRenderer.RenderPixels(grids[r], views[c], tileOptions, out _, blocks?[r]);
                int left = gap + c * (tile + gap);
                for (int j = 0; j < tile; j++)
                    pixels.AsSpan(j * tile, tile).CopyTo(sheet.AsSpan((tileTop + j) * size.Width + left, tile));
            }
            rowTop = tileTop + tile + gap;
        }

        DrawText(info, sheet, canvas =>
        {
            using var paint = new SKPaint { Color = TextColour, IsAntialias = true };
            float contentWidth = size.Width - 2 * gap;
            if (hasTitle)
            {
                using SKFont font = MonoFont.Create(options.TitleHeight * 0.62f);
                string text = MonoFont.Fit(title!.ReplaceLineEndings(" ").Trim(), font, contentWidth);
                canvas.DrawText(text, gap, gap + options.TitleHeight * 0.72f, SKTextAlign.Left, font, paint);
            }
            using (SKFont font = MonoFont.Create(options.LabelHeight * 0.72f))
            {
                for (int c = 0; c < views.Count; c++)
                {
                    string text = MonoFont.Fit(views[c].ToName(), font, tile);
                    canvas.DrawText(text, gap + c * (tile + gap) + tile / 2f, headerTop + options.LabelHeight * 0.76f, SKTextAlign.Center, font, paint);
                }
            }
            if (hasRowLabels)
            {
                using SKFont font = MonoFont.Create(options.RowLabelHeight * 0.66f);
                using var captionPaint = new SKPaint { Color = CaptionColour, IsAntialias = true };
                int top = headerTop + options.LabelHeight;
                for (int r = 0; r < grids.Count; r++)
                {
                    string text = MonoFont.Fit((rowLabels![r] ?? string.Empty).ReplaceLineEndings(" ").Trim(), font, contentWidth);
                    canvas.DrawText(text, gap, top + options.RowLabelHeight * 0.74f, SKTextAlign.Left, font, captionPaint);
                    top += options.RowLabelHeight + tile + gap;
                }
            }
        });
        return sheet;
    }

    private static void DrawText(SKImageInfo info, uint[] pixels, Action<SKCanvas> draw)
    {
        GCHandle pin = GCHandle.Alloc(pixels, GCHandleType.Pinned);
        try
        {
            using SKSurface surface = SKSurface.Create(info, pin.AddrOfPinnedObject(), info.RowBytes)
                ?? throw new InvalidOperationException("Skia could not wrap the contact sheet for its text.");
            draw(surface.Canvas);
        }
        finally
        {
            pin.Free();
        }
    }
}
