using System.Diagnostics;
using Expert.Host.Batching;
using Expert.VqVae.Rendering;
using Google.Protobuf;
using MaterialGrid = Expert.VqVae.Voxels.MaterialGrid;
using VoxelGrid = Expert.VqVae.Voxels.OccupancyGrid;
using WireView = Steve2.Expert.V1.RenderedView;

namespace Expert.Host.Grpc;

/// <summary>Renders views of a grid into wire messages, honouring the call's cancellation between views.</summary>
internal static class ViewRendering
{
    /// <param name="blocks">The grid's blocks, or null: with blocks every voxel is drawn in its block's colour.</param>
    public static List<WireView> Render(VoxelGrid grid, IReadOnlyList<RenderView> views, RenderOptions options, CancellationToken cancellationToken, MaterialGrid? blocks = null)
    {
        var rendered = new List<WireView>(views.Count);
        foreach (RenderView view in views)
        {
            cancellationToken.ThrowIfCancellationRequested();
            rendered.Add(RenderOne(grid, view, options, blocks));
        }
        return rendered;
    }

    public static WireView RenderOne(VoxelGrid grid, RenderView view, RenderOptions options, MaterialGrid? blocks = null)
    {
        byte[] png = blocks is null ? OccupancyRenderer.RenderPng(grid, view, options) : OccupancyRenderer.RenderBlocksPng(blocks, view, options);
        return new WireView { Name = view.ToName(), Png = UnsafeByteOperations.UnsafeWrap(png) };
    }

    /// <summary>
    /// Renders every (grid, view) pair, each in its own slot of <paramref name="cpu"/>, so the views
    /// of one request spread over the slots and a lighter request's render can run between a heavy
    /// request's views. Results keep the order of <paramref name="grids"/> then <paramref name="views"/>.
    /// Nothing is drawn for a call that is gone: its token is checked once a slot is granted.
    /// </summary>
    public static async Task<WireView[][]> RenderEachInSlotAsync(
        IReadOnlyList<VoxelGrid> grids, IReadOnlyList<RenderView> views, RenderOptions options, CpuWorkLimiter cpu,
        ICostEstimator estimator, Action<long> drawn, CancellationToken cancellationToken, IReadOnlyList<MaterialGrid>? blocks = null)
    {
        var results = new WireView[grids.Count][];
        var jobs = new List<Task>(grids.Count * views.Count);
        for (int g = 0; g < grids.Count; g++)
        {
            results[g] = new WireView[views.Count];
            for (int v = 0; v < views.Count; v++)
            {
                int gi = g, vi = v;
                long units = RequestCost.UnitsPerView(options, grids[g].Volume);
                jobs.Add(Task.Run(async () =>
                {
                    try
                    {
                        using (await cpu.EnterAsync(refuseWhenFull: false, cancellationToken))
                        {
                            cancellationToken.ThrowIfCancellationRequested();
                            long started = Stopwatch.GetTimestamp();
                            results[gi][vi] = RenderOne(grids[gi], views[vi], options, blocks?[gi]);
                            estimator.ObserveRender(units, Stopwatch.GetElapsedTime(started));
                        }
                    }
                    finally
                    {
                        drawn(units); // drawn, or never will be: either way it leaves the render budget
                    }
                }, CancellationToken.None));
            }
        }
        await Task.WhenAll(jobs);
        return results;
    }
}
