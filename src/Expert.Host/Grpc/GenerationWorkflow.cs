using System.Diagnostics;
using Expert.Host.Batching;
using Expert.Host.Model;
using Expert.Host.Options;
using Expert.Host.Telemetry;
using Expert.VqVae.Inference;
using Microsoft.Extensions.Options;
using Steve2.Expert.V1;
using MaterialGrid = Expert.VqVae.Voxels.MaterialGrid;
using VoxelGrid = Expert.VqVae.Voxels.OccupancyGrid;

namespace Expert.Host.Grpc;

/// <summary>
/// One generation from accepted request to response: the batcher's model call, the renders, the
/// build order. Shared by the unary and the streamed RPC, which differ only in the progress they
/// report.
/// <list type="bullet">
/// <item>Admission first (<see cref="AdmissionController"/>): by estimated cost against the call's
/// deadline and the host's budgets; a refusal is RESOURCE_EXHAUSTED at once, before any work.</item>
/// <item>The request's share of the backlog leaves it as its parts finish: the model's share when
/// its model call is over, each view's pixels when it is drawn, the rest when the call ends.</item>
/// <item>Each request's renders and build order run as soon as its own model result is there, each
/// view in its own CPU slot, and the response goes out when they are done: a heavy batch mate's
/// rendering never holds up a lighter request's answer. A call that is gone draws nothing more.</item>
/// </list>
/// </summary>
internal sealed class GenerationWorkflow(
    GenerationBatcher batcher,
    ModelHolder model,
    CpuWorkLimiter cpu,
    AdmissionController admission,
    ICostEstimator estimator,
    IOptions<RenderingOptions> rendering,
    ILogger<GenerationWorkflow> logger)
{
    private readonly int _maxBuildSteps = rendering.Value.MaxBuildSteps;

    /// <param name="arrivedAt">Stopwatch timestamp of the call's arrival.</param>
    /// <param name="deadline">The call's deadline (UTC); <see cref="DateTime.MaxValue"/> for none.</param>
    /// <param name="report">Called with each progress step, in order, never concurrently; null for none.</param>
    public async Task<GenerateOccupancyResponse> RunAsync(
        GenerateCommand command, long arrivedAt, DateTime deadline, Func<GenerationProgress, Task>? report, CancellationToken cancellationToken)
    {
        RequestCost cost = RequestCost.ForGeneration(command.Request.Sampling, command.Views.Count, command.Render,
            command.RenderAllSamples, command.IncludeBuildOrder, GridVolume());
        using AdmissionController.AdmissionLease lease = admission.Admit(cost, deadline);
        GenerationTicket ticket = batcher.Enqueue(command.Request, cancellationToken, deadline);
        if (report is not null)
        {
            await report(Step(GenerationProgress.Types.Stage.Queued, arrivedAt,
                $"Queued behind {ticket.QueuePosition} request(s).", queuePosition: ticket.QueuePosition));
            int batchSize = await ticket.Started;
            await report(Step(GenerationProgress.Types.Stage.Generating, arrivedAt,
                $"Generating in a batch of {batchSize}.", batchSize: batchSize));
        }

        BatchOutcome outcome;
        try
        {
            outcome = await ticket.Completion;
        }
        finally
        {
            lease.ModelDone();
        }
        IReadOnlyList<VoxelGrid> grids = outcome.Result.Grids;
        if (grids.Count == 0) throw new InvalidOperationException("The model returned no grid.");
        // Blocks only where the model imagined them (null: occupancy only, sent as an empty palette).
        IReadOnlyList<MaterialGrid>? blocks = outcome.Result.Blocks;
        if (blocks is not null && blocks.Count != grids.Count)
            throw new InvalidOperationException($"The model returned {blocks.Count} block grids for {grids.Count} grids.");
        SamplingOptions sampling = command.Request.Sampling;

        var response = new GenerateOccupancyResponse
        {
            Grid = grids[0].ToProto(),
            Blocks = blocks?[0].ToProtoBlocks() ?? OccupancyGridMapping.ToProtoBlocks(null),
            ModelVersion = model.Generator?.Info.Version ?? "",
            BatchSize = (uint)outcome.BatchSize,
        };
        if (grids.Count > 1)
        {
            for (int i = 0; i < grids.Count; i++)
            {
                response.Samples.Add(new OccupancySample
                {
                    Index = (uint)i,
                    Seed = unchecked(sampling.Seed + (ulong)i),
                    Grid = i == 0 ? response.Grid : grids[i].ToProto(),
                    Blocks = i == 0 ? response.Blocks : blocks?[i].ToProtoBlocks() ?? OccupancyGridMapping.ToProtoBlocks(null),
                });
            }
        }

        double renderMs = 0;
        if (command.Views.Count > 0)
        {
            if (report is not null)
                await report(Step(GenerationProgress.Types.Stage.Rendering, arrivedAt, $"Rendering {command.Views.Count} view(s)."));
            long renderStarted = Stopwatch.GetTimestamp();
            IReadOnlyList<VoxelGrid> rendered = command.RenderAllSamples && grids.Count > 1 ? grids : [grids[0]];
            RenderedView[][] views = await ViewRendering.RenderEachInSlotAsync(
                rendered, command.Views, command.Render, cpu, estimator, lease.RenderDone, cancellationToken, blocks);
            response.Views.AddRange(views[0]);
            if (rendered.Count > 1)
            {
                for (int i = 0; i < rendered.Count; i++) response.Samples[i].Views.AddRange(views[i]);
            }
            renderMs = Stopwatch.GetElapsedTime(renderStarted).TotalMilliseconds;
        }

        double planMs = 0;
        if (command.IncludeBuildOrder)
        {
            if (report is not null)
                await report(Step(GenerationProgress.Types.Stage.Planning, arrivedAt, "Planning the build order."));
            long planStarted = Stopwatch.GetTimestamp();
            using (await cpu.EnterAsync(refuseWhenFull: false, cancellationToken))
            {
                cancellationToken.ThrowIfCancellationRequested();
                long planning = Stopwatch.GetTimestamp();
                response.BuildOrder = BuildOrderPlanning.Plan(grids[0], _maxBuildSteps, cancellationToken, blocks?[0]);
                estimator.ObserveBuildOrder(Stopwatch.GetElapsedTime(planning));
            }
            planMs = Stopwatch.GetElapsedTime(planStarted).TotalMilliseconds;
        }

        double totalMs = Stopwatch.GetElapsedTime(arrivedAt).TotalMilliseconds;
        response.Timings = new GenerationTimings
        {
            QueueMs = outcome.QueueTime.TotalMilliseconds,
            ModelMs = outcome.ModelTime.TotalMilliseconds,
            RenderMs = renderMs,
            BuildOrderMs = planMs,
            TotalMs = totalMs,
        };
        logger.Generated(sampling.Seed, grids.Count, command.Views.Count, outcome.BatchSize,
            response.Timings.QueueMs, response.Timings.ModelMs, renderMs, totalMs);
        return response;
    }

    private long GridVolume()
    {
        long edge = model.Generator?.Info.GridSize ?? 32;
        return edge * edge * edge;
    }

    private static GenerationProgress Step(GenerationProgress.Types.Stage stage, long arrivedAt, string message, int queuePosition = 0, int batchSize = 0) => new()
    {
        Stage = stage,
        ElapsedMs = Stopwatch.GetElapsedTime(arrivedAt).TotalMilliseconds,
        QueuePosition = (uint)queuePosition,
        BatchSize = (uint)batchSize,
        Message = message,
    };
}
