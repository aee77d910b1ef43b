using Expert.DynamicMap.Agents;
using Expert.DynamicMap.Describe;
using Expert.DynamicMap.Frontiers;
using Expert.DynamicMap.Geometry;
using Expert.DynamicMap.Landmarks;
using Expert.DynamicMap.Layers;
using Expert.DynamicMap.Observations;
using Expert.DynamicMap.Persistence;
using Expert.DynamicMap.Rendering;
using Expert.DynamicMap.Sounds;
using Expert.DynamicMap.Storage;

namespace Expert.DynamicMap.Episodes;

/// <summary>
/// One episode's map: the aggregate every change goes through. A batch is validated whole, checked
/// against replays and limits, appended to the log (when the episode is on disk), and only then applied;
/// a rejected batch leaves the map as it was. All members are thread-safe (one lock per episode).
/// </summary>
public sealed class Episode : IDisposable
{
    private readonly Lock _gate = new();
    private readonly MapState _state;
    private readonly HashSet<string> _replayKeys;
    private readonly VoxelWriter _writer;
    private EpisodeLog? _log;
    private string? _snapshotPath;
    private int _recordsSinceSnapshot;

    private Episode(string id, MapOptions options, MapState state, IEnumerable<string> replayKeys)
    {
        Id = id;
        Options = options;
        _state = state;
        _replayKeys = new HashSet<string>(replayKeys, StringComparer.Ordinal);
        _writer = new VoxelWriter(state.Store);
    }

    public string Id { get; }
    public MapOptions Options { get; }
    public bool IsClosed { get; internal set; }

    /// <summary>An episode in memory only (no log): for tools, tests and benchmarks.</summary>
    public static Episode CreateInMemory(string id, MapOptions? options = null)
    {
        var resolved = (options ?? new MapOptions()).Validate();
        return new Episode(id, resolved, new MapState(resolved), []);
    }

    /// <summary>Opens an episode folder: the latest good snapshot, then the log records after it (a torn tail is cut
    /// off). A damaged snapshot is passed over (the log holds everything); both are reported through <paramref name="warn"/>.</summary>
    internal static Episode Load(string folder, string id, MapOptions options, Action<string>? warn = null)
    {
        Directory.CreateDirectory(folder);
        string snapshotPath = System.IO.Path.Combine(folder, "snapshot.bin");
        var snapshot = SnapshotFile.TryRead(snapshotPath, r => StateCodec.Read(r, options), out string? problem);
        if (problem is not null) warn?.Invoke($"{problem}; it is ignored and the whole log is replayed.");
        var episode = snapshot is { } s
            ? new Episode(id, options, s.State.State, s.State.ReplayKeys)
            : new Episode(id, options, new MapState(options), []);
        int replayed = 0;
        episode._log = EpisodeLog.Open(System.IO.Path.Combine(folder, "log.bin"), options.FsyncEachBatch, snapshot?.LogOffset ?? 0, id,
            (type, body) => { episode.Replay(type, body); replayed++; }, warn);
        episode._snapshotPath = snapshotPath;
        episode._recordsSinceSnapshot = replayed;
        return episode;
    }

    // ---- Changes ------------------------------------------------------------------------------

    /// <summary>Validates, de-duplicates and applies a batch atomically.</summary>
    /// <param name="loadedChunksElsewhere">Chunks held by other loaded episodes (for the registry-wide limit).</param>
    public BatchResult Apply(ObservationBatch batch, long loadedChunksElsewhere = 0)
    {
        ArgumentNullException.ThrowIfNull(batch);
        lock (_gate)
        {
            if (IsClosed) throw new EpisodeClosedException(Id);
            BatchValidator.Validate(batch, Options);

            ReadOnlyMemory<byte>? content = _log is not null || batch.BatchId.Length == 0 ? BatchCodec.EncodeContent(batch) : null;
            string key = BatchCodec.KeyOf(batch, content);
            long blocks = batch.BlockCount;
            if (_replayKeys.Contains(key))
                return new BatchResult(false, true, key, batch.Observations.Count, blocks, _state.Version, _state.Now, 0);

            CheckLimits(batch, loadedChunksElsewhere);

            if (_log is not null)
            {
                using var head = new MemoryStream();
                using (var w = new BinaryWriter(head, System.Text.Encoding.UTF8, leaveOpen: true)) w.Write(key);
                _log.Append(LogRecordType.Batch, head.GetBuffer().AsSpan(0, (int)head.Length), content!.Value.Span);
                _recordsSinceSnapshot++;
            }

            int chunksBefore = _state.Store.ChunkCount;
            ApplyValidated(batch, key);
            MaybeSnapshot();
            return new BatchResult(true, false, key, batch.Observations.Count, blocks, _state.Version, _state.Now,
                _state.Store.ChunkCount - chunksBefore);
        }
    }

    private void CheckLimits(ObservationBatch batch, long loadedChunksElsewhere)
    {
        var newNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var observation in batch.Observations)
            foreach (var name in observation.Palette)
                if (!_state.Palette.TryGetId(name, out _)) newNames.Add(BlockPalette.Normalize(name));
        if (_state.Palette.Count + newNames.Count > Options.MaxPaletteSize)
            throw new MapLimitExceededException(nameof(MapOptions.MaxPaletteSize), Options.MaxPaletteSize, _state.Palette.Count + newNames.Count,
                "The episode has seen too many distinct block names.");

        // Detections mostly merge into existing landmarks, so the count is checked, not predicted: an episode
        // at the limit refuses batches that carry detections (one batch may pass it by its own detections).
        long detections = 0;
        foreach (var observation in batch.Observations) detections += observation.Entities.Count + observation.Sounds.Count;
        long tracked = _state.Landmarks.All.Count + _state.Sounds.Sources.Count;
        if (detections > 0 && tracked >= Options.MaxLandmarksPerEpisode)
            throw new MapLimitExceededException(nameof(MapOptions.MaxLandmarksPerEpisode), Options.MaxLandmarksPerEpisode, tracked + detections,
                "The episode tracks too many landmarks and sound sources: close it or raise MaxLandmarksPerEpisode.");

        int chunks = _state.Store.ChunkCount;
        long episodeRoom = Options.MaxChunksPerEpisode - chunks;
        long globalRoom = Options.MaxLoadedChunks - loadedChunksElsewhere - chunks;
        long room = Math.Min(episodeRoom, globalRoom);
        if (ChunkFootprint.UpperBound(batch, Options.EyeHeight) <= room) return;
        int fresh = ChunkFootprint.CountNew(_state.Store, batch, Options.EyeHeight);
        if (fresh > episodeRoom)
            throw new MapLimitExceededException(nameof(MapOptions.MaxChunksPerEpisode), Options.MaxChunksPerEpisode, chunks + fresh,
                "The episode's map is full: close it and open a new one, or raise MaxChunksPerEpisode.");
        if (fresh > globalRoom)
            throw new MapLimitExceededException(nameof(MapOptions.MaxLoadedChunks), Options.MaxLoadedChunks, loadedChunksElsewhere + chunks + fresh,
                "The host holds too many map chunks: close idle episodes or raise MaxLoadedChunks.");
    }

    private void ApplyValidated(ObservationBatch batch, string key)
    {
        var state = _state;
        double eyeHeight = Options.EyeHeight;
        foreach (var observation in batch.Observations)
        {
            long tick = observation.Tick;
            int stamp = state.Clock.Next(tick);
            if (tick > state.Now) state.Now = tick;
            var pose = observation.Pose;
            state.Agents.GetOrAdd(observation.AgentId).Record(tick, pose);

            var ids = new ushort[observation.Palette.Count];
            for (int k = 0; k < ids.Length; k++) ids[k] = state.Palette.GetOrAdd(observation.Palette[k]);

            _writer.Begin(stamp, tick, state.Clock.Ticks);
            var blocks = observation.Blocks;
            for (int j = 0; j < blocks.Length; j++)
            {
                var block = blocks[j];
                _writer.WriteBlock(block.X, block.Y, block.Z, ids[block.Block]);
            }
            double eyeX = pose.X, eyeY = pose.Y + eyeHeight, eyeZ = pose.Z;
            for (int j = 0; j < blocks.Length; j++)
            {
                var block = blocks[j];
                _writer.ClearRay(eyeX, eyeY, eyeZ, block.X, block.Y, block.Z);
            }

            foreach (var entity in observation.Entities) state.Landmarks.Observe(entity, tick, observation.AgentId);
            foreach (var sound in observation.Sounds)
            {
                if (sound.Position is Vec3 position) state.Sounds.HearAt(sound.Name, position, sound.Volume, tick);
                else if (sound.Direction is Vec3 direction)
                    state.Sounds.HearToward(sound.Name, new Vec3(eyeX, eyeY, eyeZ), direction, sound.Volume, tick, observation.AgentId);
            }
            state.BlockObservations += blocks.Length;
        }
        state.Version++;
        _replayKeys.Add(key);
    }

    /// <summary>Gives a landmark a name (kept on disk).</summary>
    public Landmark NameLandmark(long landmarkId, string label)
    {
        lock (_gate)
        {
            if (IsClosed) throw new EpisodeClosedException(Id);
            if (string.IsNullOrWhiteSpace(label)) throw new MapValidationException("label", "must not be empty");
            if (label.Length > Options.MaxNameLength) throw new MapValidationException("label", $"is {label.Length} characters long; at most {Options.MaxNameLength}");
            if (_state.Landmarks.Find(landmarkId) is null) throw new MapNotFoundException($"Landmark {landmarkId} does not exist in episode '{Id}'.");
            if (_log is not null)
            {
                using var body = new MemoryStream();
                using (var w = new BinaryWriter(body, System.Text.Encoding.UTF8, leaveOpen: true)) { w.Write(landmarkId); w.Write(label); }
                _log.Append(LogRecordType.NameLandmark, body.GetBuffer().AsSpan(0, (int)body.Length), []);
                _recordsSinceSnapshot++;
            }
            var named = _state.Landmarks.Name(landmarkId, label);
            _state.Version++;
            MaybeSnapshot();
            return named;
        }
    }

    /// <summary>Records that a place was found unreachable: frontier groups within <paramref name="radius"/> of it are set aside (for one agent, or all when null).</summary>
    public BlacklistEntry MarkUnreachable(Cell cell, string reason, string? agentId = null, double radius = 3.0)
    {
        lock (_gate)
        {
            if (IsClosed) throw new EpisodeClosedException(Id);
            var violations = new List<FieldViolation>();
            if (string.IsNullOrWhiteSpace(reason)) violations.Add(new FieldViolation("reason", "must not be empty"));
            else if (reason.Length > 4 * Options.MaxNameLength) violations.Add(new FieldViolation("reason", "is too long"));
            if (!double.IsFinite(radius) || radius < 0 || radius > 64) violations.Add(new FieldViolation("radius", "must be within [0, 64]"));
            if (!Options.Bounds.ContainsCell(cell.X, cell.Y, cell.Z)) violations.Add(new FieldViolation("cell", "is outside the world bounds"));
            if (agentId is not null && agentId.Length > Options.MaxNameLength) violations.Add(new FieldViolation("agent_id", "is too long"));
            if (violations.Count > 0) throw new MapValidationException(violations);
            var entry = new BlacklistEntry(cell, radius, reason, string.IsNullOrEmpty(agentId) ? null : agentId, _state.Now);
            if (_log is not null)
            {
                using var body = new MemoryStream();
                using (var w = new BinaryWriter(body, System.Text.Encoding.UTF8, leaveOpen: true)) WriteBlacklist(w, entry);
                _log.Append(LogRecordType.Blacklist, body.GetBuffer().AsSpan(0, (int)body.Length), []);
                _recordsSinceSnapshot++;
            }
            _state.Blacklist.Add(entry);
            _state.Version++;
            MaybeSnapshot();
            return entry;
        }
    }

    private static void WriteBlacklist(BinaryWriter w, BlacklistEntry e)
    {
        w.Write(e.Cell.X); w.Write(e.Cell.Y); w.Write(e.Cell.Z); w.Write(e.Radius); w.Write(e.Reason);
        w.Write(e.AgentId is not null); w.Write(e.AgentId ?? ""); w.Write(e.Tick);
    }

    private void Replay(LogRecordType type, byte[] body)
    {
        using var reader = new BinaryReader(new MemoryStream(body, writable: false));
        switch (type)
        {
            case LogRecordType.Batch:
            {
                string key = reader.ReadString();
                var batch = BatchCodec.DecodeContent(reader, "");
                ApplyValidated(batch, key);
                break;
            }
            case LogRecordType.NameLandmark:
                _state.Landmarks.Name(reader.ReadInt64(), reader.ReadString());
                _state.Version++;
                break;
            case LogRecordType.Blacklist:
            {
                var cell = new Cell(reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32());
                double radius = reader.ReadDouble();
                string reason = reader.ReadString();
                bool hasAgent = reader.ReadBoolean();
                string agent = reader.ReadString();
                _state.Blacklist.Add(new BlacklistEntry(cell, radius, reason, hasAgent ? agent : null, reader.ReadInt64()));
                _state.Version++;
                break;
            }
            default:
                throw new EpisodeCorruptedException(Id, $"unknown log record type {(byte)type}.");
        }
    }

    // ---- Persistence ----------------------------------------------------------------------------

    private void MaybeSnapshot()
    {
        if (_log is not null && _recordsSinceSnapshot >= Options.SnapshotEveryRecords) WriteSnapshotLocked();
    }

    private void WriteSnapshotLocked()
    {
        if (_log is null || _snapshotPath is null) return;
        long offset = _log.Length;
        if (!Options.FsyncEachBatch) _log.Sync();
        SnapshotFile.Write(_snapshotPath, offset, w => StateCodec.Write(w, _state, _replayKeys));
        _recordsSinceSnapshot = 0;
    }

    /// <summary>Writes a snapshot now when records were logged since the last one.</summary>
    public void Flush()
    {
        lock (_gate)
        {
            if (_recordsSinceSnapshot > 0) WriteSnapshotLocked();
        }
    }

    /// <summary>The deterministic encoding of the whole map state: equal bytes, identical maps.</summary>
    public byte[] ExportState()
    {
        lock (_gate)
        {
            using var stream = new MemoryStream();
            using (var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) StateCodec.Write(w, _state, _replayKeys);
            return stream.ToArray();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _log?.Dispose();
            _log = null;
        }
    }

    // ---- Reads ----------------------------------------------------------------------------------

    public MapStats Stats
    {
        get
        {
            lock (_gate) return StatsLocked();
        }
    }

    private MapStats StatsLocked()
    {
        long bytes = (long)_state.Store.ChunkCount * (Chunk.ApproximateBytes + 48) + _state.Clock.ApproximateBytes
            + _state.Agents.All.Sum(a => a.Trail.Count * 40L + a.Visits.Count * 48L + 256)
            + _replayKeys.Count * 96L + (_state.Landmarks.All.Count + _state.Sounds.Sources.Count) * 160L + 4096;
        return new MapStats(_state.Version, _state.Now, _state.Agents.Count, _state.Store.ChunkCount, _state.Store.KnownCells,
            _state.BlockObservations, _state.Palette.Count, _state.Landmarks.All.Count, _state.Sounds.Sources.Count, bytes);
    }

    internal int ChunkCount => _state.Store.ChunkCount;

    internal (int Landmarks, int Sounds) TrackedCounts
    {
        get
        {
            lock (_gate) return (_state.Landmarks.All.Count, _state.Sounds.Sources.Count);
        }
    }

    public IReadOnlyList<AgentState> Agents
    {
        get
        {
            lock (_gate) return _state.Agents.Ordered.Select(a => a.ToState()).ToArray();
        }
    }

    public IReadOnlyList<TrailPoint> TrailOf(string agentId)
    {
        lock (_gate)
            return (_state.Agents.Find(agentId) ?? throw new MapNotFoundException($"Agent '{agentId}' has not reported in episode '{Id}'.")).Trail.ToArray();
    }

    public IReadOnlyList<Landmark> Landmarks
    {
        get
        {
            lock (_gate) return _state.Landmarks.All.ToArray();
        }
    }

    public IReadOnlyList<SoundSource> SoundSources
    {
        get
        {
            lock (_gate) return _state.Sounds.Sources.ToArray();
        }
    }

    public IReadOnlyList<BlacklistEntry> Blacklist
    {
        get
        {
            lock (_gate) return _state.Blacklist.Entries.ToArray();
        }
    }

    public CellInfo CellAt(int x, int y, int z)
    {
        lock (_gate)
        {
            var reader = new CellReader(_state.Store);
            ushort block = reader.BlockAt(x, y, z);
            int stamp = reader.StampAt(x, y, z);
            return new CellInfo(new Cell(x, y, z), _state.Palette.NameOf(block), _state.Palette.KindOf(block),
                stamp == 0 ? null : _state.Clock.TickOf(stamp), reader.SeenAt(x, y, z));
        }
    }

    public MapLayers GetMap(LayerRequest request)
    {
        ValidateRegion(request.Region, "region");
        if (request.Layers is not null)
            for (int i = 0; i < request.Layers.Count; i++)
                if (!Enum.IsDefined(request.Layers[i])) throw new MapValidationException($"layers[{i}]", $"{(int)request.Layers[i]} is not a layer");
        lock (_gate) return LayerBuilder.Build(_state, request);
    }

    /// <summary>
    /// The region GetMap and RenderMap use when none is asked for: the columns observed so far (their chunks' bounds,
    /// at most <see cref="MapOptions.MaxRegionSide"/> a side) over the world's vertical range; around the first agent
    /// while nothing is observed.
    /// </summary>
    public MapRegion ExploredRegion()
    {
        lock (_gate) return MapRenderer.DefaultRegion(_state);
    }

    public FrontierReport GetFrontiers(FrontierRequest request)
    {
        var violations = new List<FieldViolation>();
        if (string.IsNullOrWhiteSpace(request.AgentId)) violations.Add(new FieldViolation("agent_id", "must not be empty"));
        if (request.Radius is < 1 || request.Radius > Options.MaxRegionSide / 2) violations.Add(new FieldViolation("radius", $"must be within 1..{Options.MaxRegionSide / 2}"));
        if (request.VerticalReach is < 0 or > 256) violations.Add(new FieldViolation("vertical_reach", "must be within 0..256"));
        if (request.YMin is int lo && request.YMax is int hi && (hi < lo || hi - lo > 512)) violations.Add(new FieldViolation("y_max", "must be >= y_min and within 512 of it"));
        if (request.MinSize < 1) violations.Add(new FieldViolation("min_size", "must be >= 1"));
        if (!double.IsFinite(request.GainWeight) || request.GainWeight < 0) violations.Add(new FieldViolation("gain_weight", "must be finite and >= 0"));
        if (!double.IsFinite(request.DistanceWeight) || request.DistanceWeight < 0) violations.Add(new FieldViolation("distance_weight", "must be finite and >= 0"));
        if (!double.IsFinite(request.UnseenWeight) || request.UnseenWeight < 0) violations.Add(new FieldViolation("unseen_weight", "must be finite and >= 0"));
        if (request.MaxResults is < 1 or > 1000) violations.Add(new FieldViolation("max_results", "must be within 1..1000"));
        if (violations.Count > 0) throw new MapValidationException(violations);
        lock (_gate) return FrontierFinder.Find(_state, request);
    }

    public TargetReport LocateTargets(string query, string? agentId = null, int maxResults = 16)
    {
        if (string.IsNullOrWhiteSpace(query)) throw new MapValidationException("name", "must not be empty");
        if (maxResults is < 1 or > 1000) throw new MapValidationException("max_results", "must be within 1..1000");
        lock (_gate) return TargetLocator.Locate(_state, query, agentId, maxResults);
    }

    public byte[] RenderPng(RenderRequest request)
    {
        if (request.Region is MapRegion region) ValidateRegion(region, "region");
        if (request.WidthPx is < 16 or > 4096 || request.HeightPx is < 16 or > 4096)
            throw new MapValidationException("width_px", "width and height must be within 16..4096 pixels");
        lock (_gate) return MapRenderer.RenderPng(_state, request);
    }

    public string Describe(DescribeRequest? request = null)
    {
        lock (_gate) return MapDescriber.Describe(_state, Id, request ?? new DescribeRequest());
    }

    private void ValidateRegion(MapRegion region, string field)
    {
        var violations = new List<FieldViolation>();
        if (region.Width < 1 || region.Width > Options.MaxRegionSide) violations.Add(new FieldViolation($"{field}.width", $"must be within 1..{Options.MaxRegionSide}"));
        if (region.Depth < 1 || region.Depth > Options.MaxRegionSide) violations.Add(new FieldViolation($"{field}.depth", $"must be within 1..{Options.MaxRegionSide}"));
        if (region.YMax < region.YMin) violations.Add(new FieldViolation($"{field}.y_max", "must be >= y_min"));
        var b = Options.Bounds;
        if ((long)region.X0 < b.MinX - Options.MaxRegionSide || (long)region.X0 > b.MaxX) violations.Add(new FieldViolation($"{field}.x0", "is outside the world bounds"));
        if ((long)region.Z0 < b.MinZ - Options.MaxRegionSide || (long)region.Z0 > b.MaxZ) violations.Add(new FieldViolation($"{field}.z0", "is outside the world bounds"));
        if (region.YMin < b.MinY - 1 || region.YMax > b.MaxY + 1) violations.Add(new FieldViolation($"{field}.y_min", $"the vertical range must lie within [{b.MinY - 1}, {b.MaxY + 1}]"));
        if (violations.Count > 0) throw new MapValidationException(violations);
    }
}
