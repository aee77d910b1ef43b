using Expert.VqVae.Rendering;
using Google.Protobuf;
using VoxelGrid = Expert.VqVae.Voxels.OccupancyGrid;
using WireView = Steve2.Expert.V1.RenderedView;

namespace Expert.Host.Grpc;

/// <summary>Renders views of a grid into wire messages, honouring the call's cancellation between views.</summary>
internal static class ViewRendering
{
    public static List<WireView> Render(VoxelGrid grid, IReadOnlyList<RenderView> views, RenderOptions options, CancellationToken cancellationToken)
    {
        var rendered = new List<WireView>(views.Count);
        foreach (RenderView view in views)
        {
            cancellationToken.ThrowIfCancellationRequested();
            byte[] png = OccupancyRenderer.RenderPng(grid, view, options);
            rendered.Add(new WireView { Name = view.ToName(), Png = UnsafeByteOperations.UnsafeWrap(png) });
        }
        return rendered;
    }
}
