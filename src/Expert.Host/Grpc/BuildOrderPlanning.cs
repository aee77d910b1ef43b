using System.Globalization;
using Expert.VqVae.BuildOrder;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using WireOrder = Steve2.Expert.V1.BuildOrder;
using WireStep = Steve2.Expert.V1.BuildStep;
using WireAction = Steve2.Expert.V1.BuildAction;
using WireSupport = Steve2.Expert.V1.BlockSupport;
using Expert.VqVae.Materials;
using MaterialGrid = Expert.VqVae.Voxels.MaterialGrid;
using VoxelGrid = Expert.VqVae.Voxels.OccupancyGrid;

namespace Expert.Host.Grpc;

/// <summary>Plans a grid's build order with <see cref="BuildOrderPlanner"/> and puts it on the wire, within the step limit.</summary>
internal static class BuildOrderPlanning
{
    /// <param name="materials">The grid's blocks, or null: with blocks every PLACE step names the block to place.</param>
    public static WireOrder Plan(VoxelGrid grid, int maxSteps, CancellationToken cancellationToken, MaterialGrid? materials = null)
    {
        int blocks = grid.Count();
        if (blocks > maxSteps) throw TooLarge(blocks, maxSteps);
        cancellationToken.ThrowIfCancellationRequested();
        BuildPlan plan = BuildOrderPlanner.Plan(grid);
        if (plan.Count > maxSteps) throw TooLarge(plan.Count, maxSteps);

        var order = new WireOrder
        {
            PlaceCount = (uint)plan.PlaceCount,
            ScaffoldCount = (uint)plan.ScaffoldCount,
            DeferredCount = (uint)plan.DeferredCount,
            LayerCount = (uint)plan.Steps.Select(s => s.Layer).Distinct().Count(),
        };
        order.Steps.Capacity = plan.Count;
        foreach (BuildStep step in plan.Steps)
        {
            order.Steps.Add(new WireStep
            {
                X = (uint)step.X,
                Y = (uint)step.Y,
                Z = (uint)step.Z,
                Layer = (uint)step.Layer,
                Action = step.Kind switch
                {
                    BuildStepKind.Place => WireAction.Place,
                    BuildStepKind.Scaffold => WireAction.Scaffold,
                    BuildStepKind.Remove => WireAction.Remove,
                    _ => WireAction.Unspecified,
                },
                Support = step.Support switch
                {
                    BuildSupport.Ground => WireSupport.Ground,
                    BuildSupport.Below => WireSupport.Below,
                    BuildSupport.Side => WireSupport.Side,
                    BuildSupport.Above => WireSupport.Above,
                    _ => WireSupport.Unspecified,
                },
                Block = materials is not null && step.Kind == BuildStepKind.Place ? BlockMaterials.Name(materials[step.X, step.Y, step.Z]) : "",
            });
        }
        return order;
    }

    private static RpcException TooLarge(int steps, int maxSteps) => ClientStatus.ToRpcException(new Google.Rpc.Status
    {
        Code = (int)Code.ResourceExhausted,
        Message = $"The build order needs at least {steps} steps; this host sends at most {maxSteps} (Rendering:MaxBuildSteps).",
        Details =
        {
            Any.Pack(new ErrorInfo
            {
                Reason = "BUILD_ORDER_TOO_LARGE",
                Domain = ClientStatus.Domain,
                Metadata = { ["limit"] = maxSteps.ToString(CultureInfo.InvariantCulture), ["steps"] = steps.ToString(CultureInfo.InvariantCulture) },
            }),
        },
    });
}
