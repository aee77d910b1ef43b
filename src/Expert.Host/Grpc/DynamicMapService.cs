using Expert.DynamicMap.Episodes;
using Expert.DynamicMap.Geometry;
using Expert.Host.Maps;
using Expert.Host.Options;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Wire = Steve2.Expert.V1;

namespace Expert.Host.Grpc;

/// <summary>
/// steve2.expert.v1.DynamicMapExpert. Thin: wire forms are converted in <see cref="MapMapping"/>, the work
/// is the library's <see cref="EpisodeRegistry"/> (one lock per episode), and its errors become status
/// codes in <see cref="ErrorMappingInterceptor"/> through <see cref="MapStatus"/>. Streams stop when the call
/// is cancelled or the host stops.
/// </summary>
[Microsoft.AspNetCore.Authorization.Authorize(Policy = Expert.Host.Security.ExpertPolicies.Maps)]
internal sealed class DynamicMapService(MapEpisodes episodes, IOptions<MapHostOptions> options, IHostApplicationLifetime lifetime)
    : Wire.DynamicMapExpert.DynamicMapExpertBase
{
    private EpisodeRegistry Registry => episodes.Registry;
    private MapHostOptions Limits => options.Value;

    // ---- Episodes -------------------------------------------------------------------------------

    public override Task<Wire.EpisodeInfo> OpenEpisode(Wire.OpenEpisodeRequest request, ServerCallContext context) =>
        Task.FromResult(MapMapping.ToWire(Registry.Open(MapMapping.NullIfEmpty(request.EpisodeId))));

    public override Task<Wire.EpisodeInfo> CloseEpisode(Wire.CloseEpisodeRequest request, ServerCallContext context) =>
        Task.FromResult(MapMapping.ToWire(Registry.Close(request.EpisodeId, request.Delete)));

    public override Task<Wire.ListEpisodesResponse> ListEpisodes(Wire.ListEpisodesRequest request, ServerCallContext context)
    {
        var response = new Wire.ListEpisodesResponse();
        response.Episodes.AddRange(Registry.List(request.IncludeClosed).Select(MapMapping.ToWire));
        return Task.FromResult(response);
    }

    // ---- Observations ---------------------------------------------------------------------------

    public override async Task<Wire.ObserveSummary> Observe(IAsyncStreamReader<Wire.ObservationBatch> requestStream, ServerCallContext context)
    {
        using var call = Linked(context);
        var summary = new Wire.ObserveSummary();
        int index = 0;
        await foreach (Wire.ObservationBatch wire in requestStream.ReadAllAsync(call.Token))
        {
            BatchResult result;
            try
            {
                result = Registry.Observe(wire.EpisodeId, MapMapping.ToBatch(wire, Limits, call.Token));
            }
            catch (MapException e)
            {
                throw new ObserveStreamException(index, summary.BatchesApplied, e);
            }
            if (result.Applied)
            {
                summary.BatchesApplied++;
                summary.BlockObservations += result.Blocks;
            }
            else summary.BatchesDuplicate++;
            summary.Version = result.Version;
            summary.Tick = result.Tick;
            index++;
        }
        return summary;
    }

    public override Task<Wire.BatchResult> ObserveBatch(Wire.ObservationBatch request, ServerCallContext context) =>
        Task.FromResult(MapMapping.ToWire(Registry.Observe(request.EpisodeId, MapMapping.ToBatch(request, Limits, context.CancellationToken))));

    // ---- Reads and small changes ----------------------------------------------------------------

    public override Task<Wire.MapLayers> GetMap(Wire.GetMapRequest request, ServerCallContext context)
    {
        // No region: the explored one (as RenderMap), resolved first so that the size limit applies to it too.
        MapRegion? explored = request.Region is null ? Registry.ExploredRegion(request.EpisodeId) : null;
        var layers = MapMapping.ToLayerRequest(request, Limits, explored);
        return Task.FromResult(MapMapping.ToWire(Registry.GetMap(request.EpisodeId, layers)));
    }

    public override Task<Wire.FrontierReport> GetFrontiers(Wire.GetFrontiersRequest request, ServerCallContext context)
    {
        var report = Registry.GetFrontiers(request.EpisodeId, MapMapping.ToFrontierRequest(request));
        return Task.FromResult(MapMapping.ToWire(report, request.IncludeCells));
    }

    public override Task<Wire.BlacklistEntry> MarkFrontierUnreachable(Wire.MarkFrontierUnreachableRequest request, ServerCallContext context)
    {
        var cell = MapMapping.ToCell(request.Cell, "cell");
        var entry = Registry.MarkUnreachable(request.EpisodeId, cell, request.Reason, MapMapping.NullIfEmpty(request.AgentId),
            request.Radius == 0 ? 3.0 : request.Radius);
        return Task.FromResult(MapMapping.ToWire(entry));
    }

    public override Task<Wire.LocateTargetsResponse> LocateTargets(Wire.LocateTargetsRequest request, ServerCallContext context)
    {
        var report = Registry.LocateTargets(request.EpisodeId, request.Name, MapMapping.NullIfEmpty(request.AgentId),
            request.MaxResults == 0 ? 16 : request.MaxResults);
        var response = new Wire.LocateTargetsResponse();
        response.Matches.AddRange(report.Matches.Select(MapMapping.ToWire));
        return Task.FromResult(response);
    }

    public override Task<Wire.Landmark> NameLandmark(Wire.NameLandmarkRequest request, ServerCallContext context)
    {
        var registry = Registry;
        var named = registry.NameLandmark(request.EpisodeId, request.LandmarkId, request.Label);
        long now = registry.Read(request.EpisodeId, e => e.Stats.Tick);
        return Task.FromResult(MapMapping.ToWire(named, now, registry.Options.LandmarkHalfLifeTicks));
    }

    public override Task<Wire.ListAgentsResponse> ListAgents(Wire.ListAgentsRequest request, ServerCallContext context)
    {
        var agents = Registry.Read(request.EpisodeId, e => e.Agents
            .Select(a => MapMapping.ToWire(a, request.IncludeTrails ? e.TrailOf(a.Id) : null))
            .ToArray());
        var response = new Wire.ListAgentsResponse();
        response.Agents.AddRange(agents);
        return Task.FromResult(response);
    }

    public override Task<Wire.RenderedMap> RenderMap(Wire.RenderMapRequest request, ServerCallContext context)
    {
        var render = MapMapping.ToRenderRequest(request, Limits);
        var (png, tick) = Registry.Read(request.EpisodeId, e => (e.RenderPng(render), e.Stats.Tick));
        return Task.FromResult(new Wire.RenderedMap
        {
            Png = Google.Protobuf.UnsafeByteOperations.UnsafeWrap(png),
            WidthPx = render.WidthPx,
            HeightPx = render.HeightPx,
            Tick = tick,
        });
    }

    public override Task<Wire.MapDescription> DescribeMap(Wire.DescribeMapRequest request, ServerCallContext context)
    {
        var describe = MapMapping.ToDescribeRequest(request);
        var (text, tick) = Registry.Read(request.EpisodeId, e => (e.Describe(describe), e.Stats.Tick));
        return Task.FromResult(new Wire.MapDescription { Text = text, Tick = tick });
    }

    // ---- Live changes ---------------------------------------------------------------------------

    /// <summary>
    /// Response headers go out once the watch is registered, so a client that awaits them sees every change
    /// after that. The stream ends when the episode closes (after its CLOSED change), the call is cancelled,
    /// or the host stops.
    /// </summary>
    public override async Task WatchMap(Wire.WatchMapRequest request, IServerStreamWriter<Wire.MapChange> responseStream, ServerCallContext context)
    {
        using MapWatch watch = Registry.Watch(request.EpisodeId, Limits.WatchBuffer);
        using var call = Linked(context);
        await context.WriteResponseHeadersAsync(new Metadata());
        await foreach (MapChange change in watch.Changes.ReadAllAsync(call.Token))
            await responseStream.WriteAsync(MapMapping.ToWire(change), call.Token);
    }

    /// <summary>The call's token, also cancelled when the host stops (so streams do not hold up shutdown).</summary>
    private CancellationTokenSource Linked(ServerCallContext context) =>
        CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
}
