using Expert.VqVae.Rendering;

namespace Expert.Host.Options;

/// <summary>
/// Views, image sizes and the CPU work next to the model (rendering and build-order planning).
/// Section <c>Rendering</c>.
/// </summary>
internal sealed class RenderingOptions
{
    public const string Section = "Rendering";

    /// <summary>Views rendered when a request names none: comma separated wire names.</summary>
    public string DefaultViews { get; set; } = "front,side,top,isometric";

    /// <summary>Edge of a PNG when a request gives render_size 0, in pixels.</summary>
    public int DefaultSize { get; set; } = 256;

    /// <summary>Smallest render_size a request may ask for.</summary>
    public int MinSize { get; set; } = 32;

    /// <summary>Largest render_size a request may ask for (mind the 4 MB default message size of clients).</summary>
    public int MaxSize { get; set; } = 1024;

    /// <summary>Supersampling of every render (1..4): 2 is smooth, 1 is the fastest.</summary>
    public int Supersample { get; set; } = 2;

    /// <summary>Renders and build-order plans that may run at once.</summary>
    public int MaxConcurrent { get; set; } = 2;

    /// <summary>RenderOccupancy / GetBuildOrder calls that may wait for a slot; one more is refused at once.</summary>
    public int MaxQueue { get; set; } = 64;

    /// <summary>Largest build order the host sends (steps); a bigger grid's plan is refused with RESOURCE_EXHAUSTED.</summary>
    public int MaxBuildSteps { get; set; } = 250_000;

    /// <summary>
    /// Millions of render units admitted and not yet drawn (per view: pixels drawn, supersampling
    /// included, plus the grid's cells); a request that would pass it is refused with
    /// RESOURCE_EXHAUSTED. Bounds the memory of renders in flight, big grids included.
    /// </summary>
    public double MaxRenderMegapixels { get; set; } = 400;

    /// <summary>Seed of the running estimate of render seconds per million render units (pixels drawn + grid cells) (PNG encoding included).</summary>
    public double SecondsPerMegapixel { get; set; } = 0.03;

    /// <summary>Seed of the running estimate of seconds per build order.</summary>
    public double SecondsPerBuildOrder { get; set; } = 0.02;

    /// <summary>The parsed <see cref="DefaultViews"/>; valid once the options passed validation.</summary>
    public IReadOnlyList<RenderView> ParseDefaultViews() =>
        DefaultViews.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(RenderViews.Parse)
            .ToArray();
}
