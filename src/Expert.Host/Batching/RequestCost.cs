using Expert.VqVae.Inference;
using Expert.VqVae.Rendering;

namespace Expert.Host.Batching;

/// <summary>
/// What one request will cost the host, in units that do not depend on the machine: the model's
/// work (samples x decoding steps), the renders (per view: the pixels drawn, supersampling included,
/// plus the grid's cells, which the renderer visits for every view and which a big grid holds in
/// memory: a 256^3 grid weighs 16.7 M, a 1024 px view at 2x 4.2 M, a 256 px view of a 32^3 grid
/// 0.29 M) and whether a build order is planned. <see cref="CostEstimator"/> turns units into seconds.
/// </summary>
/// <param name="GenerationUnits">Samples x decoding steps (0 for calls that only render or plan).</param>
/// <param name="RenderUnits">For every view rendered: pixels drawn (width x height x supersample^2) + the grid's cells; summed.</param>
/// <param name="BuildOrders">Build orders planned (0 or 1).</param>
internal readonly record struct RequestCost(long GenerationUnits, long RenderUnits, int BuildOrders)
{
    /// <summary>Decoding steps assumed when a request leaves decode_steps at 0 (the shipped model's default).</summary>
    public const int DefaultDecodeSteps = 8;

    /// <summary>The cost of a generation: its samples, the views of the first (or every) sample, its build order.</summary>
    /// <param name="gridVolume">Cells of a generated grid (32^3 for the shipped model).</param>
    public static RequestCost ForGeneration(
        SamplingOptions sampling, int views, RenderOptions render, bool renderAllSamples, bool buildOrder, long gridVolume = 32 * 32 * 32)
    {
        int steps = sampling.DecodeSteps > 0 ? sampling.DecodeSteps : DefaultDecodeSteps;
        int renderedSamples = views == 0 ? 0 : renderAllSamples ? sampling.Samples : 1;
        return new RequestCost(
            (long)sampling.Samples * steps,
            (long)renderedSamples * views * UnitsPerView(render, gridVolume),
            buildOrder ? 1 : 0);
    }

    /// <summary>The cost of rendering views of a grid of <paramref name="gridVolume"/> cells the caller sent.</summary>
    public static RequestCost ForRender(int views, RenderOptions render, long gridVolume) => new(0, views * UnitsPerView(render, gridVolume), 0);

    /// <summary>
    /// The cost of a RenderOccupancy call read from its wire fields, before the grid is unpacked (a
    /// 256^3 grid is 16.7 MB once unpacked: a refused call should not allocate it). Out-of-range
    /// fields are clamped here; validation refuses them right after.
    /// </summary>
    public static RequestCost ForRenderRequest(uint sizeX, uint sizeY, uint sizeZ, int views, uint renderSize, Options.RenderingOptions options)
    {
        int viewCount = views > 0 ? views : options.ParseDefaultViews().Count;
        int size = renderSize == 0 ? options.DefaultSize : (int)Math.Clamp(renderSize, (uint)options.MinSize, (uint)options.MaxSize);
        long edge = VqVae.Voxels.OccupancyGrid.MaxEdge;
        long volume = Math.Min(sizeX, edge) * Math.Min(sizeY, edge) * Math.Min(sizeZ, edge);
        return ForRender(viewCount, new RenderOptions { Width = size, Height = size, Supersample = options.Supersample }, volume);
    }

    /// <summary>Render units of one view: the pixels drawn plus the grid's cells.</summary>
    public static long UnitsPerView(RenderOptions render, long gridVolume) => PixelsPerView(render) + gridVolume;

    /// <summary>Pixels the renderer draws for one view (the supersampled raster).</summary>
    public static long PixelsPerView(RenderOptions render)
    {
        long s = render.EffectiveSupersample;
        return (long)render.Width * render.Height * s * s;
    }
}
