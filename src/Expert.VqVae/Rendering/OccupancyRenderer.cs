using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
using Expert.DynamicMap.Shared;
using Expert.VqVae.Materials;
using Expert.VqVae.Voxels;
using SkiaSharp;

namespace Expert.VqVae.Rendering;

/// <summary>One encoded view of a grid.</summary>
public sealed record RenderedView(RenderView View, byte[] Png);

/// <summary>
/// Draws an <see cref="OccupancyGrid"/> as shaded unit cubes from a named <see cref="RenderView"/>.
/// Frames, colours and sizes are documented in Rendering/RENDERS.md.
/// <para>
/// How: only faces whose neighbour cell is empty are kept (hidden-face culling), only the face
/// directions that point at the camera are kept, the faces are bucket-sorted far to near (painter's
/// order) and filled by <see cref="Raster"/> (a dark quad and a lighter inset quad per face give the
/// thin edges), at <see cref="RenderOptions.Supersample"/> times the size, then box-averaged down.
/// Skia encodes the PNG and draws the label.
/// </para>
/// <para>
/// Scale comes from the grid's size, never from the occupied extent: the frame is a cube of edge
/// max(SizeX, SizeY, SizeZ) standing on the ground, so two buildings in 32^3 grids are drawn at the
/// same scale and position. Stateless and thread safe: every call owns its surfaces.
/// </para>
/// </summary>
public static class OccupancyRenderer
{
    /// <summary>front, side, top, isometric.</summary>
    public static IReadOnlyList<RenderView> DefaultViews => RenderViews.Default;

    // Colour ramp by height (bottom storey warm and darker, top light), see RENDERS.md.
    private static readonly Vector3 LowColour = new(158, 108, 74);
    private static readonly Vector3 HighColour = new(238, 214, 168);

    // Block colours of a grid with materials (Materials/MATERIALS.md), indexed by BlockMaterial.
    private static readonly Vector3[] MaterialColours = Enum.GetValues<BlockMaterial>()
        .Select(m => { var (r, g, b) = BlockMaterials.Colour(m); return new Vector3(r, g, b); }).ToArray();

    private static readonly SKColor GroundLight = new(0xE4, 0xE2, 0xDC);
    private static readonly SKColor GroundDark = new(0xD8, 0xD6, 0xCF);
    private static readonly SKColor GroundLine = new(0x8C, 0x8A, 0x84);
    private static readonly SKColor LabelColour = new(0x30, 0x30, 0x30);

    private const float EdgeDarkening = 0.55f;
    private const float MinEdgedFacePixels = 2.5f;

    /// <summary>Renders one view to a raster image of <see cref="RenderOptions.Width"/> x <see cref="RenderOptions.Height"/>. The caller disposes it.</summary>
    public static SKImage Render(OccupancyGrid grid, RenderView view, RenderOptions? options = null)
    {
        uint[] pixels = RenderPixels(grid, view, options ?? RenderOptions.Default, out SKImageInfo info);
        return SKImage.FromPixelCopy(info, Raster.AsBytes(pixels), info.RowBytes)
            ?? throw new InvalidOperationException("Skia could not wrap the rendered pixels.");
    }

    /// <summary>Renders one view and encodes it as PNG.</summary>
    public static byte[] RenderPng(OccupancyGrid grid, RenderView view, RenderOptions? options = null)
    {
        uint[] pixels = RenderPixels(grid, view, options ?? RenderOptions.Default, out SKImageInfo info);
        return EncodePng(info, pixels);
    }

    /// <summary>
    /// Renders one view of a grid with materials: every voxel in its block's colour (the voxel world's,
    /// <see cref="BlockMaterials.Colour"/>) instead of the height ramp, with the same shading, edges and frame.
    /// </summary>
    public static byte[] RenderBlocksPng(MaterialGrid blocks, RenderView view, RenderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        uint[] pixels = RenderPixels(blocks.ToOccupancy(), view, options ?? RenderOptions.Default, out SKImageInfo info, blocks);
        return EncodePng(info, pixels);
    }

    /// <summary>Renders several views (default: <see cref="DefaultViews"/>) as PNGs, in the order asked.</summary>
    public static IReadOnlyList<RenderedView> RenderPngs(OccupancyGrid grid, IEnumerable<RenderView>? views = null, RenderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(grid);
        var result = new List<RenderedView>();
        foreach (RenderView view in views ?? DefaultViews)
            result.Add(new RenderedView(view, RenderPng(grid, view, options)));
        return result;
    }

    /// <summary>PNG of a raster image (see <see cref="EncodePng(SKPixmap)"/>).</summary>
    public static byte[] EncodePng(SKImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        using SKPixmap pixmap = image.PeekPixels() ?? throw new ArgumentException("EncodePng needs a raster image.", nameof(image));
        return EncodePng(pixmap);
    }

    /// <summary>
    /// PNG with zlib level 3 and the Sub filter: renders are large flat regions, for which this is
    /// both the smallest and the fastest setting measured (about 2.5 ms and 28 KB for a 256^2
    /// isometric render; level 6 with adaptive filters: 4-9 ms and 36 KB).
    /// </summary>
    public static byte[] EncodePng(SKPixmap pixmap)
    {
        ArgumentNullException.ThrowIfNull(pixmap);
        using SKData data = pixmap.Encode(new SKPngEncoderOptions(SKPngEncoderFilterFlags.Sub, 3))
            ?? throw new InvalidOperationException("Skia failed to encode the PNG.");
        return data.ToArray();
    }

    internal static byte[] EncodePng(SKImageInfo info, uint[] pixels)
    {
        GCHandle pin = GCHandle.Alloc(pixels, GCHandleType.Pinned);
        try
        {
            using var pixmap = new SKPixmap(info, pin.AddrOfPinnedObject(), info.RowBytes);
            return EncodePng(pixmap);
        }
        finally
        {
            pin.Free();
        }
    }

    /// <summary>The whole pipeline into a fresh RGBA8888 premultiplied pixel array of Width x Height.</summary>
    internal static uint[] RenderPixels(OccupancyGrid grid, RenderView view, RenderOptions options, out SKImageInfo info, MaterialGrid? blocks = null)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        ViewCamera camera = ViewCamera.For(view);
        int ss = options.EffectiveSupersample, w = options.Width, h = options.Height;
        info = new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Premul);
        var result = new uint[w * h];

        uint[]? rented = ss == 1 ? null : ArrayPool<uint>.Shared.Rent(w * ss * h * ss);
        try
        {
            var raster = new Raster(w * ss, h * ss, rented ?? result);
            raster.Clear(Raster.Pack(options.Background));
            var projection = Projection.For(grid, camera, w * ss, h * ss, ss);
            if (options.Ground) DrawGround(raster, grid, camera, projection, ss);
            DrawFaces(raster, grid, camera, projection, options, ss, blocks);
            if (rented is not null) raster.DownsampleInto(result, ss);
        }
        finally
        {
            if (rented is not null) ArrayPool<uint>.Shared.Return(rented);
        }

        if (options.Label) DrawLabel(info, result, view.ToName());
        return result;
    }

    /// <summary>Every face of the grid whose neighbour cell is empty (or outside the grid), in storage order of the cells.</summary>
    internal static IReadOnlyList<VoxelFace> ExposedFaces(OccupancyGrid grid)
    {
        var faces = new List<VoxelFace>();
        ReadOnlySpan<bool> cells = grid.Cells;
        for (int y = 0, i = 0; y < grid.SizeY; y++)
            for (int z = 0; z < grid.SizeZ; z++)
                for (int x = 0; x < grid.SizeX; x++, i++)
                {
                    if (!cells[i]) continue;
                    for (int d = 0; d < 6; d++)
                        if (IsExposed(grid, cells, i, x, y, z, (FaceDirection)d))
                            faces.Add(new VoxelFace(x, y, z, (FaceDirection)d));
                }
        return faces;
    }

    /// <summary>The faces drawn for <paramref name="view"/>, in drawing (painter's) order, far to near.</summary>
    internal static IReadOnlyList<VoxelFace> VisibleFaces(OccupancyGrid grid, RenderView view)
    {
        ViewCamera camera = ViewCamera.For(view);
        int[] packed = CollectFaces(grid, camera);
        var faces = new VoxelFace[packed.Length];
        for (int f = 0; f < packed.Length; f++)
        {
            Unpack(grid, packed[f], out int x, out int y, out int z, out FaceDirection d);
            faces[f] = new VoxelFace(x, y, z, d);
        }
        return faces;
    }

    private static bool IsExposed(OccupancyGrid grid, ReadOnlySpan<bool> cells, int i, int x, int y, int z, FaceDirection d)
    {
        int layer = grid.SizeX * grid.SizeZ;
        return d switch
        {
            FaceDirection.PosX => x == grid.SizeX - 1 || !cells[i + 1],
            FaceDirection.NegX => x == 0 || !cells[i - 1],
            FaceDirection.PosY => y == grid.SizeY - 1 || !cells[i + layer],
            FaceDirection.NegY => y == 0 || !cells[i - layer],
            FaceDirection.PosZ => z == grid.SizeZ - 1 || !cells[i + grid.SizeX],
            _ => z == 0 || !cells[i - grid.SizeX],
        };
    }

    /// <summary>
    /// Culled, camera-facing faces packed as cellIndex * 8 + direction, bucket-sorted by the camera's
    /// depth key (far first; within a key, storage order): deterministic and O(cells).
    /// </summary>
    private static int[] CollectFaces(OccupancyGrid grid, ViewCamera camera)
    {
        ReadOnlySpan<bool> cells = grid.Cells;
        FaceDirection[] dirs = camera.VisibleDirections;
        int sx = grid.SizeX, sy = grid.SizeY, sz = grid.SizeZ;
        var bucketStart = new int[camera.KeyRange(sx, sy, sz) + 2];

        for (int pass = 0; pass < 2; pass++)
        {
            int[]? output = pass == 1 ? new int[bucketStart[^1]] : null;
            int[]? cursor = pass == 1 ? (int[])bucketStart.Clone() : null;
            for (int y = 0, i = 0; y < sy; y++)
                for (int z = 0; z < sz; z++)
                    for (int x = 0; x < sx; x++, i++)
                    {
                        if (!cells[i]) continue;
                        int key = -1;
                        foreach (FaceDirection d in dirs)
                        {
                            if (!IsExposed(grid, cells, i, x, y, z, d)) continue;
                            if (key < 0) key = camera.Key(x, y, z, sx, sy, sz);
                            if (output is null) bucketStart[key + 1]++;
                            else output[cursor![key]++] = i * 8 + (int)d;
                        }
                    }
            if (output is not null) return output;
            for (int k = 1; k < bucketStart.Length; k++) bucketStart[k] += bucketStart[k - 1];
        }
        throw new InvalidOperationException("unreachable");
    }

    private static void Unpack(OccupancyGrid grid, int packed, out int x, out int y, out int z, out FaceDirection d)
    {
        d = (FaceDirection)(packed & 7);
        int i = packed >> 3;
        x = i % grid.SizeX;
        int rest = i / grid.SizeX;
        z = rest % grid.SizeZ;
        y = rest / grid.SizeZ;
    }

    private static void DrawFaces(Raster raster, OccupancyGrid grid, ViewCamera camera, Projection p, RenderOptions options, int ss, MaterialGrid? blocks)
    {
        int[] faces = CollectFaces(grid, camera);
        if (faces.Length == 0) return;

        // Per direction: the inset fraction that leaves an edge band of the wanted width in pixels.
        // Faces under 2.5 px on screen get no edges: the band would cover most of them.
        float edgePx = Math.Clamp(0.07f * p.PixelsPerVoxel / ss, 0.5f, 2f) * ss;
        var inset = new float[6];
        var brightness = new float[6];
        bool edges = options.Edges;
        foreach (FaceDirection d in camera.VisibleDirections)
        {
            (SKPoint ea, SKPoint eb) = p.FaceEdges(d);
            float side = MathF.Sqrt(Math.Abs(ea.X * eb.Y - ea.Y * eb.X));
            if (side / ss < MinEdgedFacePixels) edges = false;
            inset[(int)d] = Math.Min(0.45f, 2f * edgePx / Math.Max(side, 1e-3f));
            brightness[(int)d] = Brightness(camera, d);
        }

        var heightColour = new Vector3[grid.SizeY];
        for (int y = 0; y < grid.SizeY; y++)
        {
            float t = grid.SizeY > 1 ? (float)y / (grid.SizeY - 1) : 0f;
            heightColour[y] = Vector3.Lerp(LowColour, HighColour, t);
        }
        int keyRange = Math.Max(1, camera.KeyRange(grid.SizeX, grid.SizeY, grid.SizeZ));
        float depthShading = camera.IsAxisAligned ? options.DepthShading : 0f;

        foreach (int packed in faces)
        {
            Unpack(grid, packed, out int x, out int y, out int z, out FaceDirection d);
            int di = (int)d;
            float depth = 1f - depthShading * (keyRange - camera.Key(x, y, z, grid.SizeX, grid.SizeY, grid.SizeZ)) / keyRange;
            Vector3 baseColour = blocks is null ? heightColour[y] : MaterialColours[(int)blocks[x, y, z]];
            Vector3 rgb = baseColour * (brightness[di] * depth);

            p.FaceCorners(x, y, z, d, out SKPoint a, out SKPoint b, out SKPoint c, out SKPoint e);
            if (edges)
            {
                raster.FillQuad(a, b, c, e, Pack(rgb * EdgeDarkening));
                var centre = new SKPoint((a.X + c.X) * 0.5f, (a.Y + c.Y) * 0.5f);
                float k = 1f - inset[di];
                raster.FillQuad(Toward(centre, a, k), Toward(centre, b, k), Toward(centre, c, k), Toward(centre, e, k), Pack(rgb));
            }
            else
            {
                raster.FillQuad(a, b, c, e, Pack(rgb));
            }
        }
    }

    private static void DrawGround(Raster raster, OccupancyGrid grid, ViewCamera camera, Projection p, int ss)
    {
        if (Array.IndexOf(camera.VisibleDirections, FaceDirection.PosY) >= 0)
        {
            // Checkerboard of the grid's y = 0 plane, one square per cell: it shows the frame and the scale.
            uint light = Raster.Pack(GroundLight), dark = Raster.Pack(GroundDark);
            for (int z = 0; z < grid.SizeZ; z++)
                for (int x = 0; x < grid.SizeX; x++)
                    raster.FillQuad(p.Point(x, 0, z), p.Point(x + 1, 0, z), p.Point(x + 1, 0, z + 1), p.Point(x, 0, z + 1),
                        ((x + z) & 1) == 0 ? light : dark);
            return;
        }

        // Edge-on ground: a line under the frame's footprint.
        SKPoint left = p.Point(0, 0, 0), right = p.Point(grid.SizeX, 0, grid.SizeZ);
        float thickness = Math.Max(1f, MathF.Round(0.2f * p.PixelsPerVoxel / ss)) * ss;
        raster.FillRect(Math.Min(left.X, right.X), left.Y, Math.Max(left.X, right.X), left.Y + thickness, Raster.Pack(GroundLine));
    }

    private static void DrawLabel(SKImageInfo info, uint[] pixels, string text)
    {
        float size = Math.Clamp(Math.Min(info.Width, info.Height) * 0.055f, 9f, 24f);
        GCHandle pin = GCHandle.Alloc(pixels, GCHandleType.Pinned);
        try
        {
            using SKSurface surface = SKSurface.Create(info, pin.AddrOfPinnedObject(), info.RowBytes)
                ?? throw new InvalidOperationException("Skia could not wrap the pixels for the label.");
            using SKFont font = MonoFont.Create(size);
            using var paint = new SKPaint { Color = LabelColour, IsAntialias = true };
            surface.Canvas.DrawText(text, size * 0.4f, size * 1.1f, SKTextAlign.Left, font, paint);
        }
        finally
        {
            pin.Free();
        }
    }

    /// <summary>
    /// Light by face direction, relative to the camera: tops brightest, the face seen head-on in an
    /// axis-aligned view next, then the left and the right face of the isometric views.
    /// </summary>
    private static float Brightness(ViewCamera camera, FaceDirection d)
    {
        if (d == FaceDirection.PosY) return 1.0f;
        if (camera.IsAxisAligned) return 0.92f;
        return Vector3.Dot(ViewCamera.Normal(d), camera.Right) < 0 ? 0.80f : 0.62f;
    }

    private static uint Pack(Vector3 rgb) =>
        (uint)Math.Clamp((int)(rgb.X + 0.5f), 0, 255)
        | ((uint)Math.Clamp((int)(rgb.Y + 0.5f), 0, 255) << 8)
        | ((uint)Math.Clamp((int)(rgb.Z + 0.5f), 0, 255) << 16)
        | 0xFF000000u;

    private static SKPoint Toward(SKPoint centre, SKPoint corner, float k) =>
        new(centre.X + (corner.X - centre.X) * k, centre.Y + (corner.Y - centre.Y) * k);

    /// <summary>
    /// Grid point (x, y, z) to pixel: origin + x*ex + y*ey + z*ez. The frame is the cube of edge
    /// max(SizeX, SizeY, SizeZ) centred on the grid horizontally and standing on y = 0; it is fitted
    /// into the image with a 4% margin. In axis-aligned views the scale and origin are snapped to whole
    /// pixels so that every voxel is the same size.
    /// </summary>
    private readonly struct Projection
    {
        private readonly SKPoint _origin, _ex, _ey, _ez;

        private Projection(SKPoint origin, SKPoint ex, SKPoint ey, SKPoint ez, float pixelsPerVoxel)
        {
            _origin = origin; _ex = ex; _ey = ey; _ez = ez;
            PixelsPerVoxel = pixelsPerVoxel;
        }

        /// <summary>Scale in (supersampled) pixels per grid unit.</summary>
        public float PixelsPerVoxel { get; }

        public static Projection For(OccupancyGrid grid, ViewCamera camera, int width, int height, int ss)
        {
            float m = Math.Max(grid.SizeX, Math.Max(grid.SizeY, grid.SizeZ));
            float cx = grid.SizeX / 2f, cz = grid.SizeZ / 2f;
            float uMin = float.MaxValue, uMax = float.MinValue, vMin = float.MaxValue, vMax = float.MinValue;
            for (int corner = 0; corner < 8; corner++)
            {
                var q = new Vector3(
                    cx + ((corner & 1) == 0 ? -m / 2 : m / 2),
                    (corner & 2) == 0 ? 0 : m,
                    cz + ((corner & 4) == 0 ? -m / 2 : m / 2));
                float u = Vector3.Dot(q, camera.Right), w = Vector3.Dot(q, camera.Up);
                uMin = Math.Min(uMin, u); uMax = Math.Max(uMax, u);
                vMin = Math.Min(vMin, w); vMax = Math.Max(vMax, w);
            }
            float margin = MathF.Round(0.04f * Math.Min(width, height) / ss) * ss;
            float s = Math.Min((width - 2 * margin) / (uMax - uMin), (height - 2 * margin) / (vMax - vMin));
            float ox = width / 2f - s * (uMin + uMax) / 2f;
            float oy = height / 2f + s * (vMin + vMax) / 2f;
            if (camera.IsAxisAligned && s >= 2f)
            {
                s = MathF.Floor(s);
                ox = MathF.Round(width / 2f - s * (uMin + uMax) / 2f);
                oy = MathF.Round(height / 2f + s * (vMin + vMax) / 2f);
            }
            SKPoint Axis(Vector3 unit) => new(s * Vector3.Dot(unit, camera.Right), -s * Vector3.Dot(unit, camera.Up));
            return new Projection(new SKPoint(ox, oy), Axis(Vector3.UnitX), Axis(Vector3.UnitY), Axis(Vector3.UnitZ), s);
        }

        /// <summary>Screen vector of one grid unit along axis 0 (x), 1 (y) or 2 (z).</summary>
        public SKPoint Axis(int axis) => axis switch { 0 => _ex, 1 => _ey, _ => _ez };

        public SKPoint Point(float x, float y, float z) =>
            new(_origin.X + x * _ex.X + y * _ey.X + z * _ez.X, _origin.Y + x * _ex.Y + y * _ey.Y + z * _ez.Y);

        /// <summary>
        /// The four corners of a face, each projected from its own lattice point, so that faces sharing a
        /// corner get bit-identical coordinates for it (no seams).
        /// </summary>
        public void FaceCorners(int x, int y, int z, FaceDirection d, out SKPoint a, out SKPoint b, out SKPoint c, out SKPoint e)
        {
            switch (d)
            {
                case FaceDirection.PosX or FaceDirection.NegX:
                    int px = d == FaceDirection.PosX ? x + 1 : x;
                    a = Point(px, y, z); b = Point(px, y + 1, z); c = Point(px, y + 1, z + 1); e = Point(px, y, z + 1);
                    break;
                case FaceDirection.PosY or FaceDirection.NegY:
                    int py = d == FaceDirection.PosY ? y + 1 : y;
                    a = Point(x, py, z); b = Point(x + 1, py, z); c = Point(x + 1, py, z + 1); e = Point(x, py, z + 1);
                    break;
                default:
                    int pz = d == FaceDirection.PosZ ? z + 1 : z;
                    a = Point(x, y, pz); b = Point(x + 1, y, pz); c = Point(x + 1, y + 1, pz); e = Point(x, y + 1, pz);
                    break;
            }
        }

        public (SKPoint A, SKPoint B) FaceEdges(FaceDirection d) => d switch
        {
            FaceDirection.PosX or FaceDirection.NegX => (_ey, _ez),
            FaceDirection.PosY or FaceDirection.NegY => (_ex, _ez),
            _ => (_ex, _ey),
        };
    }
}
