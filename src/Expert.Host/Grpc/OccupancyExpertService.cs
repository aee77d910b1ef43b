using System.Diagnostics;
using Expert.Host.Batching;
using Expert.Host.Model;
using Expert.Host.Options;
using Expert.VqVae.Inference;
using Expert.VqVae.Rendering;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Steve2.Expert.V1;

namespace Expert.Host.Grpc;

/// <summary>
/// steve2.expert.v1.OccupancyExpert. Thin: validation in <see cref="RequestValidator"/>, the work in
/// <see cref="GenerationWorkflow"/>, the renderer and the planner; exceptions become status codes
/// in <see cref="ErrorMappingInterceptor"/>.
/// </summary>
[Microsoft.AspNetCore.Authorization.Authorize(Policy = Expert.Host.Security.ExpertPolicies.Occupancy)]
internal sealed class OccupancyExpertService(
    RequestValidator validator,
    GenerationWorkflow workflow,
    CpuWorkLimiter cpu,
    AdmissionController admission,
    ICostEstimator estimator,
    ModelHolder model,
    IOptions<RenderingOptions> rendering,
    IOptions<BatchingOptions> batching) : OccupancyExpert.OccupancyExpertBase
{
    public override Task<GenerateOccupancyResponse> GenerateOccupancy(GenerateOccupancyRequest request, ServerCallContext context)
    {
        long arrivedAt = Stopwatch.GetTimestamp();
        GenerateCommand command = validator.Validate(request);
        return workflow.RunAsync(command, arrivedAt, context.Deadline, report: null, context.CancellationToken);
    }

    public override async Task GenerateOccupancyStream(
        GenerateOccupancyRequest request, IServerStreamWriter<GenerateOccupancyUpdate> responseStream, ServerCallContext context)
    {
        long arrivedAt = Stopwatch.GetTimestamp();
        GenerateCommand command = validator.Validate(request);
        GenerateOccupancyResponse result = await workflow.RunAsync(command, arrivedAt, context.Deadline,
            progress => responseStream.WriteAsync(new GenerateOccupancyUpdate { Progress = progress }, context.CancellationToken),
            context.CancellationToken);
        await responseStream.WriteAsync(new GenerateOccupancyUpdate { Result = result }, context.CancellationToken);
    }

    public override async Task<RenderOccupancyResponse> RenderOccupancy(RenderOccupancyRequest request, ServerCallContext context)
    {
        // Admitted by its cost before the grid is unpacked: a refused call allocates nothing.
        OccupancyGrid? wire = request.Grid;
        using AdmissionController.AdmissionLease lease = admission.Admit(RequestCost.ForRenderRequest(
            wire?.SizeX ?? 0, wire?.SizeY ?? 0, wire?.SizeZ ?? 0, request.Views.Count, request.RenderSize, rendering.Value), context.Deadline, "render");
        RenderCommand command = validator.Validate(request);
        using (await cpu.EnterAsync(refuseWhenFull: true, context.CancellationToken))
        {
            long started = Stopwatch.GetTimestamp();
            var response = new RenderOccupancyResponse();
            response.Views.AddRange(ViewRendering.Render(command.Grid, command.Views, command.Render, context.CancellationToken, command.Blocks));
            TimeSpan took = Stopwatch.GetElapsedTime(started);
            estimator.ObserveRender(RequestCost.ForRender(command.Views.Count, command.Render, command.Grid.Volume).RenderUnits, took);
            response.RenderMs = took.TotalMilliseconds;
            return response;
        }
    }

    public override async Task<GetBuildOrderResponse> GetBuildOrder(GetBuildOrderRequest request, ServerCallContext context)
    {
        using AdmissionController.AdmissionLease lease = admission.Admit(new RequestCost(0, 0, 1), context.Deadline, "render");
        var (grid, blocks) = validator.Validate(request);
        using (await cpu.EnterAsync(refuseWhenFull: true, context.CancellationToken))
        {
            long started = Stopwatch.GetTimestamp();
            BuildOrder order = BuildOrderPlanning.Plan(grid, rendering.Value.MaxBuildSteps, context.CancellationToken, blocks);
            return new GetBuildOrderResponse { BuildOrder = order, BuildOrderMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds };
        }
    }

    public override Task<GetModelInfoResponse> GetModelInfo(GetModelInfoRequest request, ServerCallContext context)
    {
        RenderingOptions r = rendering.Value;
        var response = new GetModelInfoResponse
        {
            Ready = model.State == ModelState.Ready,
            StatusMessage = model.State == ModelState.Ready ? "" : ClientStatus.Text(model.StatusMessage, ClientStatus.MaxMessageChars), // no server paths
            MinRenderSize = (uint)r.MinSize,
            MaxRenderSize = (uint)r.MaxSize,
            DefaultRenderSize = (uint)r.DefaultSize,
            MaxBatch = (uint)batching.Value.MaxBatch,
        };
        response.AvailableViews.AddRange(RenderViews.All.Select(v => v.ToName()));
        response.DefaultViews.AddRange(validator.DefaultViews.Select(v => v.ToName()));
        if (model.Generator is { } generator)
        {
            ModelInfo info = generator.Info;
            response.ModelVersion = info.Version;
            response.Device = info.Device;
            response.GridSize = (uint)info.GridSize;
            response.Parameters = (ulong)Math.Max(0, info.Parameters);
            response.MaterialPalette.AddRange(info.MaterialPalette.Select(Expert.VqVae.Materials.BlockMaterials.Name));
        }
        return Task.FromResult(response);
    }
}
