using System.Diagnostics;
using Expert.VqVae.Voxels;

namespace Expert.VqVae.Rendering;

/// <summary>
/// The render figure quoted in RENDERS.md: mean milliseconds for the four default views of
/// <see cref="SampleBuildings.Pagoda"/> (about 5,000 voxels in 32^3) at 256x256, PNG encoding included.
/// </summary>
public static class RenderBenchmark
{
    /// <summary>Runs three warm-up renders, then <paramref name="iterations"/> timed ones; returns the mean ms per 4-view render.</summary>
    public static double Run(int iterations)
    {
        if (iterations < 1) throw new ArgumentOutOfRangeException(nameof(iterations), iterations, "Run at least one iteration.");
        OccupancyGrid grid = SampleBuildings.Pagoda();
        for (int i = 0; i < 3; i++) OccupancyRenderer.RenderPngs(grid);
        long bytes = 0;
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < iterations; i++)
            foreach (RenderedView view in OccupancyRenderer.RenderPngs(grid))
                bytes += view.Png.Length;
        watch.Stop();
        GC.KeepAlive(bytes);
        return watch.Elapsed.TotalMilliseconds / iterations;
    }
}
