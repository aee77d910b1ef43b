using System.Diagnostics;
using Expert.Host.Batching;
using Expert.Host.Model;
using Expert.Host.Options;
using Expert.Host.Telemetry;
using Expert.VqVae.Inference;
using Microsoft.Extensions.Options;
using Steve2.Expert.V1;
using VoxelGrid = Expert.VqVae.Voxels.OccupancyGrid;

namespace Expert.Host.Grpc;

/// <summary>
/// One generation from accepted request to response: the batcher's model call, the renders, the
/// build order. Shared by the unary and the streamed RPC, which differ only in the progress they
/// report.
/// </summary>
internal sealed class GenerationWorkflow(
    GenerationBatcher batcher,
    ModelHolder model,
    CpuWorkLimiter cpu,
    IOptions<RenderingOptions> rendering,
    ILogger<GenerationWorkflow> logger)
{
    private readonly int _maxBuildSteps = rendering.Value.MaxBuildSteps;

    /// <param name="arrivedAt">Stopwatch timestamp of the call's arrival.</param>
    /// <param name="report">Called with each progress step, in order, never concurrently; null for none.</param>
    public async Task<GenerateOccupancyResponse> RunAsync(
        GenerateCommand command, long arrivedAt, Func<GenerationProgress, Task>? report, CancellationToken cancellationToken)
    {
        GenerationTicket ticket = batcher.Enqueue(command.Request, cancellationToken);
        if (report is not null)
        {
            await report(Step(GenerationProgress.Types.Stage.Queued, arrivedAt,
                $"Queued behind {ticket.QueuePosition} request(s).", queuePosition: ticket.QueuePosition));
            int batchSize = await ticket.Started;
            await report(Step(GenerationProgress.Types.Stage.Generating, arrivedAt,
                $"Generating in a batch of {batchSize}.", batchSize: batchSize));
        }

        BatchOutcome outcome = await ticket.Completion;
        IReadOnlyList<VoxelGrid> grids = outcome.Result.Grids;
        if (grids.Count == 0) throw new InvalidOperationException("The model returned no grid.");
        SamplingOptions sampling = command.Request.Sampling;

        var response = new GenerateOccupancyResponse
        {
            Grid = grids[0].ToProto(),
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
                });
            }
        }

        double renderMs = 0;
        if (command.Views.Count > 0)
        {
            if (report is not null)
                await report(Step(GenerationProgress.Types.Stage.Rendering, arrivedAt, $"Rendering {command.Views.Count} view(s)."));
            long renderStarted = Stopwatch.GetTimestamp();
            using (await cpu.EnterAsync(refuseWhenFull: false, cancellationToken))
            {
                response.Views.AddRange(ViewRendering.Render(grids[0], command.Views, command.Render, cancellationToken));
                if (command.RenderAllSamples && grids.Count > 1)
                {
                    response.Samples[0].Views.AddRange(response.Views);
                    for (int i = 1; i < grids.Count; i++)
                        response.Samples[i].Views.AddRange(ViewRendering.Render(grids[i], command.Views, command.Render, cancellationToken));
                }
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
                response.BuildOrder = BuildOrderPlanning.Plan(grids[0], _maxBuildSteps, cancellationToken);
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

    private static GenerationProgress Step(GenerationProgress.Types.Stage stage, long arrivedAt, string message, int queuePosition = 0, int batchSize = 0) => new()
    {
        Stage = stage,
        ElapsedMs = Stopwatch.GetElapsedTime(arrivedAt).TotalMilliseconds,
        QueuePosition = (uint)queuePosition,
        BatchSize = (uint)batchSize,
        Message = message,
    };
}
