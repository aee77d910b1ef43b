using System.Collections.Concurrent;
using Grpc.Core;
using Grpc.Net.Client;
using Steve2.Expert.V1;
using Steve2.Pipeline.Agents;
using Steve2.Pipeline.Environment;
using VoxelGrid = Expert.VqVae.Voxels.OccupancyGrid;

namespace Steve2.Pipeline.Experts;

/// <summary>
/// The teacher's clients of the two experts over one channel, or over one channel per expert host replica (client-side
/// load balancing: <see cref="ExpertClients(IReadOnlyList{GrpcChannel})"/>): the creation expert (imagine a building,
/// plan its build order) and the navigation expert (one dynamic map per episode, fed with the agents'
/// observations; frontiers, targets, a text description and a picture of it).
/// Every method is cancellable, has a per-call deadline (<see cref="CallTimeout"/>) and never throws an
/// <see cref="RpcException"/>: a failure comes back as <see cref="ExpertResult{T}.Error"/>, a sentence for
/// the critic. Only the caller's own cancellation throws (<see cref="OperationCanceledException"/>).
/// Thread-safe (the generated clients are).
/// </summary>
public sealed class ExpertClients
{
    private readonly OccupancyExpert.OccupancyExpertClient[] _occupancy;
    private readonly DynamicMapExpert.DynamicMapExpertClient[] _map;
    private readonly int[] _replicaCalls;
    private readonly ConcurrentDictionary<string, int> _mapReplica = new();
    private int _calls, _nextOccupancy = -1, _nextMap = -1;

    public ExpertClients(GrpcChannel channel) : this([channel])
    {
    }

    /// <summary>
    /// Over several replicas of the expert host, one channel each (ExpertConnection with several addresses). The occupancy
    /// expert is stateless: its calls go round-robin over the replicas. A dynamic map lives on the replica that opened it:
    /// each episode's map is given a replica when it is first named (round-robin over episodes) and every later call for
    /// that episode goes there.
    /// </summary>
    public ExpertClients(IReadOnlyList<GrpcChannel> replicas)
        : this(replicas.Select(c => new OccupancyExpert.OccupancyExpertClient(c)).ToArray(), replicas.Select(c => new DynamicMapExpert.DynamicMapExpertClient(c)).ToArray())
    {
    }

    /// <summary>Over given clients (tests pass fakes or clients of an in-process host).</summary>
    public ExpertClients(OccupancyExpert.OccupancyExpertClient occupancy, DynamicMapExpert.DynamicMapExpertClient map) : this([occupancy], [map])
    {
    }

    private ExpertClients(OccupancyExpert.OccupancyExpertClient[] occupancy, DynamicMapExpert.DynamicMapExpertClient[] map)
    {
        if (occupancy.Length == 0 || occupancy.Length != map.Length) throw new ArgumentException("Give one or more expert host replicas.");
        _occupancy = occupancy;
        _map = map;
        _replicaCalls = new int[occupancy.Length];
    }

    /// <summary>The expert host replicas these clients spread their calls over.</summary>
    public int Replicas => _occupancy.Length;

    /// <summary>Calls made so far to replica <paramref name="replica"/> (0-based, in the order the replicas were given).</summary>
    public int CallsTo(int replica) => Volatile.Read(ref _replicaCalls[replica]);

    /// <summary>The next replica's occupancy client (round-robin).</summary>
    private OccupancyExpert.OccupancyExpertClient Occupancy()
    {
        int r = _occupancy.Length == 1 ? 0 : (int)((uint)Interlocked.Increment(ref _nextOccupancy) % (uint)_occupancy.Length);
        Interlocked.Increment(ref _replicaCalls[r]);
        return _occupancy[r];
    }

    /// <summary>The map client of the replica that holds <paramref name="episodeId"/>'s map (chosen round-robin when the episode is first named).</summary>
    private DynamicMapExpert.DynamicMapExpertClient Map(string episodeId)
    {
        int r = _map.Length == 1 ? 0 : _mapReplica.GetOrAdd(episodeId, _ => (int)((uint)Interlocked.Increment(ref _nextMap) % (uint)_map.Length));
        Interlocked.Increment(ref _replicaCalls[r]);
        return _map[r];
    }

    /// <summary>Deadline of one call; generation on a CPU host can take seconds.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Calls made so far (successful or not).</summary>
    public int CallCount => Volatile.Read(ref _calls);

    /// <summary>Imagines a building from text: its grid, renders of the named views (PNG) and its build order.</summary>
    public Task<ExpertResult<ImaginedBuilding>> ImagineBuildingAsync(string description, ulong seed, IReadOnlyList<string>? views, int renderSize,
        CancellationToken cancellationToken) =>
        CallAsync("GenerateOccupancy", async options =>
        {
            var request = new GenerateOccupancyRequest { Description = description, Seed = seed, IncludeBuildOrder = true, RenderSize = (uint)renderSize };
            if (views is not null) request.Views.AddRange(views);
            GenerateOccupancyResponse response = await Occupancy().GenerateOccupancyAsync(request, options);
            VoxelGrid grid = ExpertWireConversions.FromWire(response.Grid);
            return new ImaginedBuilding(grid, Images(response.Views), ExpertWireConversions.FromWire(response.BuildOrder), response.ModelVersion,
                ExpertWireConversions.FromWire(response.Blocks, grid));
        }, cancellationToken);

    /// <summary>
    /// Several imagined samples of one description in one call (seeds from <paramref name="seed"/> on, as the host
    /// numbers them); the first with its renders of <paramref name="views"/>. The build order is not asked for.
    /// </summary>
    public Task<ExpertResult<IReadOnlyList<ImaginedBuilding>>> ImagineSamplesAsync(string description, ulong seed, int samples, IReadOnlyList<string>? views,
        int renderSize, CancellationToken cancellationToken, float? temperature = null) =>
        CallAsync("GenerateOccupancy", async options =>
        {
            var request = new GenerateOccupancyRequest { Description = description, Seed = seed, Samples = (uint)samples, RenderSize = (uint)renderSize };
            if (temperature is float t) request.Temperature = t;
            if (views is not null) request.Views.AddRange(views);
            GenerateOccupancyResponse response = await Occupancy().GenerateOccupancyAsync(request, options);
            IReadOnlyList<ImaginedBuilding> all = response.Samples.Count > 0
                ? response.Samples.Select((x, i) => Sample(x.Grid, x.Blocks,
                    i == 0 && x.Views.Count == 0 ? Images(response.Views) : Images(x.Views), response.ModelVersion)).ToArray()
                : [Sample(response.Grid, response.Blocks, Images(response.Views), response.ModelVersion)];
            return all;
        }, cancellationToken);

    /// <summary>One answered sample with its blocks (null when the answer's palette is empty).</summary>
    private static ImaginedBuilding Sample(Steve2.Expert.V1.OccupancyGrid wire, BlockGrid? blocks, NamedImage[] views, string modelVersion)
    {
        VoxelGrid grid = ExpertWireConversions.FromWire(wire);
        return new ImaginedBuilding(grid, views, [], modelVersion, ExpertWireConversions.FromWire(blocks, grid));
    }

    private static NamedImage[] Images(IEnumerable<RenderedView> views) => views.Select(v => new NamedImage(v.Name, v.Png.ToByteArray())).ToArray();

    /// <summary>The order in which to place a grid's blocks (each on the ground or against a placed block).</summary>
    public Task<ExpertResult<IReadOnlyList<PlannedBlock>>> GetBuildOrderAsync(VoxelGrid grid, CancellationToken cancellationToken) =>
        CallAsync("GetBuildOrder", async options =>
        {
            GetBuildOrderResponse response = await Occupancy().GetBuildOrderAsync(new GetBuildOrderRequest { Grid = ExpertWireConversions.ToWire(grid) }, options);
            return ExpertWireConversions.FromWire(response.BuildOrder);
        }, cancellationToken);

    /// <summary>Opens (or reopens, idempotently) the dynamic map of an episode.</summary>
    public Task<ExpertResult<string>> OpenMapAsync(string episodeId, CancellationToken cancellationToken) =>
        CallAsync("OpenEpisode", async options =>
            (await Map(episodeId).OpenEpisodeAsync(new OpenEpisodeRequest { EpisodeId = episodeId }, options)).EpisodeId, cancellationToken);

    /// <summary>Closes an episode's map; <paramref name="delete"/> also forgets it and deletes its files.</summary>
    public Task<ExpertResult<bool>> CloseMapAsync(string episodeId, bool delete, CancellationToken cancellationToken) =>
        CallAsync("CloseEpisode", async options =>
            (await Map(episodeId).CloseEpisodeAsync(new CloseEpisodeRequest { EpisodeId = episodeId, Delete = delete }, options)).Closed, cancellationToken);

    /// <summary>Streams the agents' observations at one tick into the map (one atomic batch); returns the blocks applied.</summary>
    public Task<ExpertResult<long>> ObserveAsync(string episodeId, IReadOnlyList<Environment.Observation> observations, long tick, CancellationToken cancellationToken) =>
        CallAsync("ObserveBatch", async options =>
        {
            var batch = new ObservationBatch { EpisodeId = episodeId, BatchId = $"t{tick}" };
            foreach (Environment.Observation o in observations) batch.Observations.Add(ExpertWireConversions.ToWire(o, tick));
            BatchResult result = await Map(episodeId).ObserveBatchAsync(batch, options);
            return result.Blocks;
        }, cancellationToken);

    /// <summary>Frontiers ranked for one agent (within <paramref name="radius"/> columns), those set aside, or why there is none.</summary>
    public Task<ExpertResult<FrontierAnswer>> GetFrontiersAsync(string episodeId, int agentId, int radius, int maxResults, CancellationToken cancellationToken, int minSize = 0) =>
        CallAsync("GetFrontiers", async options =>
        {
            FrontierReport report = await Map(episodeId).GetFrontiersAsync(new GetFrontiersRequest
            {
                EpisodeId = episodeId,
                AgentId = ExpertWireConversions.AgentId(agentId),
                Radius = radius,
                MaxResults = maxResults,
                MinSize = minSize,
            }, options);
            return new FrontierAnswer(
                report.Frontiers.Select(f => new MapFrontier(f.Rank, f.Size, new BlockPos(f.Goal.X, f.Goal.Y, f.Goal.Z),
                    new Vec3(f.Centroid.X, f.Centroid.Y, f.Centroid.Z), f.PathDistance, f.Score, f.UnseenArea, f.InferredCells)).ToArray(),
                report.WhyNone,
                report.SetAside.Select(a => new SetAsideFrontier(a.Size, new Vec3(a.Centroid.X, a.Centroid.Y, a.Centroid.Z), a.Reason)).ToArray());
        }, cancellationToken);

    /// <summary>Reports a place an agent could not reach: frontiers near it are set aside for that agent.</summary>
    public Task<ExpertResult<bool>> MarkUnreachableAsync(string episodeId, int agentId, BlockPos cell, string reason, CancellationToken cancellationToken, double radius = 0) =>
        CallAsync("MarkFrontierUnreachable", async options =>
        {
            await Map(episodeId).MarkFrontierUnreachableAsync(new MarkFrontierUnreachableRequest
            {
                EpisodeId = episodeId,
                AgentId = ExpertWireConversions.AgentId(agentId),
                Cell = new MapCell { X = cell.X, Y = cell.Y, Z = cell.Z },
                Reason = reason,
                Radius = radius,
            }, options);
            return true;
        }, cancellationToken);

    /// <summary>Landmarks and sound sources whose name contains <paramref name="name"/>, nearest to the agent first.</summary>
    public Task<ExpertResult<IReadOnlyList<LocatedTarget>>> LocateTargetsAsync(string episodeId, string name, int agentId, CancellationToken cancellationToken) =>
        CallAsync("LocateTargets", async options =>
        {
            LocateTargetsResponse response = await Map(episodeId).LocateTargetsAsync(new LocateTargetsRequest
            {
                EpisodeId = episodeId,
                Name = name,
                AgentId = ExpertWireConversions.AgentId(agentId),
            }, options);
            return (IReadOnlyList<LocatedTarget>)response.Matches.Select(m => new LocatedTarget(
                m.Kind == TargetKind.Sound ? "sound" : "landmark", m.Name, new Vec3(m.Position.X, m.Position.Y, m.Position.Z),
                m.Located, m.Uncertainty, m.Confidence, m.HasDistance ? m.Distance : null, m.Direction)).ToArray();
        }, cancellationToken);

    /// <summary>A compact text of the map for one agent (frontiers, landmarks, sounds), for a prompt.</summary>
    public Task<ExpertResult<string>> DescribeMapAsync(string episodeId, int agentId, CancellationToken cancellationToken) =>
        CallAsync("DescribeMap", async options =>
            (await Map(episodeId).DescribeMapAsync(new DescribeMapRequest { EpisodeId = episodeId, AgentId = ExpertWireConversions.AgentId(agentId) }, options)).Text,
            cancellationToken);

    /// <summary>A PNG of the map (everything observed) at <paramref name="sizePx"/> pixels a side.</summary>
    public Task<ExpertResult<byte[]>> RenderMapAsync(string episodeId, int sizePx, CancellationToken cancellationToken) =>
        CallAsync("RenderMap", async options =>
            (await Map(episodeId).RenderMapAsync(new RenderMapRequest { EpisodeId = episodeId, WidthPx = sizePx, HeightPx = sizePx }, options)).Png.ToByteArray(),
            cancellationToken);

    private async Task<ExpertResult<T>> CallAsync<T>(string name, Func<CallOptions, Task<T>> call, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _calls);
        try
        {
            return ExpertResult<T>.Success(await call(new CallOptions(deadline: DateTime.UtcNow + CallTimeout, cancellationToken: cancellationToken)));
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("The episode was cancelled during an expert call.", e, cancellationToken);
        }
        catch (RpcException e)
        {
            string error = ExpertErrors.Describe(name, e);
            if (e.StatusCode == StatusCode.Unavailable) ExpertOutage.Unreachable(error);
            return ExpertResult<T>.Failure(error);
        }
        catch (HttpRequestException e)
        {
            string error = $"expert call {name} failed: the host could not be reached ({e.Message}); continue without it.";
            ExpertOutage.Unreachable(error);
            return ExpertResult<T>.Failure(error);
        }
    }
}
