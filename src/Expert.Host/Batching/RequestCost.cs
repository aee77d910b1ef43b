using Expert.VqVae.Inference;
using Expert.VqVae.Rendering;

namespace Expert.Host.Batching;

/// <summary>
/// What one request will cost the host, in units that do not depend on the machine: the model's
/// work (samples x decoding steps), the renders (views x drawn pixels, supersampling included) and
/// whether a build order is planned. <see cref="CostEstimator"/> turns units into seconds.
/// </summary>
/// <param name="GenerationUnits">Samples x decoding steps (0 for calls that only render or plan).</param>
/// <param name="RenderPixels">Pixels drawn for every view rendered (width x height x supersample^2, summed).</param>
/// <param name="BuildOrders">Build orders planned (0 or 1).</param>
internal readonly record struct RequestCost(long GenerationUnits, long RenderPixels, int BuildOrders)
{
    /// <summary>Decoding steps assumed when a request leaves decode_steps at 0 (the shipped model's default).</summary>
    public const int DefaultDecodeSteps = 8;

    /// <summary>The cost of a generation: its samples, the views of the first (or every) sample, its build order.</summary>
    public static RequestCost ForGeneration(
        SamplingOptions sampling, int views, RenderOptions render, bool renderAllSamples, bool buildOrder)
    {
        int steps = sampling.DecodeSteps > 0 ? sampling.DecodeSteps : DefaultDecodeSteps;
        int renderedSamples = views == 0 ? 0 : renderAllSamples ? sampling.Samples : 1;
        return new RequestCost(
            (long)sampling.Samples * steps,
            (long)renderedSamples * views * PixelsPerView(render),
            buildOrder ? 1 : 0);
    }

    /// <summary>The cost of rendering views of a grid the caller sent.</summary>
    public static RequestCost ForRender(int views, RenderOptions render) => new(0, views * PixelsPerView(render), 0);

    /// <summary>Pixels the renderer draws for one view (the supersampled raster).</summary>
    public static long PixelsPerView(RenderOptions render)
    {
        long s = render.EffectiveSupersample;
        return (long)render.Width * render.Height * s * s;
    }
}
