using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using Expert.DynamicMap.Agents;
using Expert.DynamicMap.Describe;
using Expert.DynamicMap.Frontiers;
using Expert.DynamicMap.Geometry;
using Expert.DynamicMap.Landmarks;
using Expert.DynamicMap.Layers;
using Expert.DynamicMap.Observations;
using Expert.DynamicMap.Rendering;
using Expert.DynamicMap.Shared;
using Expert.DynamicMap.Sounds;

namespace Expert.DynamicMap.Episodes;

/// <summary>A live feed of one episode's changes (WatchMap). Dispose to stop; the feed completes when the episode closes.</summary>
public sealed class MapWatch : IDisposable
{
    private readonly Action<MapWatch> _detach;

    internal MapWatch(Channel<MapChange> channel, Action<MapWatch> detach)
    {
        Channel = channel;
        _detach = detach;
    }

    internal Channel<MapChange> Channel { get; }

    /// <summary>Changes in order; when the reader falls behind, the oldest are dropped.</summary>
    public ChannelReader<MapChange> Changes => Channel.Reader;

    public void Dispose()
    {
        _detach(this);
        Channel.Writer.TryComplete();
    }
}

/// <summary>
/// The episodes of a host: open, close, list, and every map call by episode id. With a data directory,
/// each episode lives in &lt;DataDirectory&gt;/episodes/&lt;id&gt;/ (episode.json, log.bin, snapshot.bin),
/// comes back after a restart, and is evicted from memory after <see cref="MapOptions.IdleEviction"/>
/// without use (reloaded on the next call). Errors are <see cref="MapException"/>s whose
/// <see cref="MapException.Kind"/> names the gRPC status.
/// </summary>
public sealed partial class EpisodeRegistry : IDisposable
{
    private sealed class Entry(string id, DateTimeOffset created)
    {
        public string Id { get; } = id;
        public DateTimeOffset Created { get; } = created;
        public DateTimeOffset? ClosedAt;
        public Episode? Loaded;
        public DateTimeOffset LastAccess;
        public MapStats? LastStats;
        public bool Deleted;
        /// <summary>Why the episode cannot be loaded (path-free), when its folder was found without a log at start.</summary>
        public string? Unrecoverable;
        /// <summary>Why the last load failed (path-free); null after a good load.</summary>
        public string? Damage;
        public readonly Lock Gate = new();
        public readonly List<MapWatch> Watchers = [];
    }

    private sealed record EpisodeMeta(string Id, DateTimeOffset Created, DateTimeOffset? ClosedAt);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]
    private static partial Regex EpisodeIdPattern();

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _openGate = new();
    private readonly TimeProvider _time;
    private readonly string? _root;
    private readonly ITimer? _evictionTimer;
    private readonly List<string> _loadWarnings = [];
    private readonly Action<MapStorageWarning>? _warn;
    private bool _disposed;

    /// <param name="onWarning">Hears what storage recovery did or found (a torn tail cut off, a damaged snapshot or
    /// episode.json passed over, a damaged episode deleted), with the full path, for the server's log.</param>
    public EpisodeRegistry(MapOptions options, TimeProvider? time = null, bool evictOnTimer = true, Action<MapStorageWarning>? onWarning = null)
    {
        Options = options.Validate();
        _time = time ?? TimeProvider.System;
        _warn = onWarning;
        if (options.DataDirectory is not null)
        {
            _root = Path.Combine(options.DataDirectory, "episodes");
            Directory.CreateDirectory(_root);
            foreach (var folder in Directory.EnumerateDirectories(_root).Order(StringComparer.Ordinal))
            {
                string name = Path.GetFileName(folder);
                if (name.StartsWith(DeletedPrefix, StringComparison.Ordinal))
                {
                    TryDeleteFolder(folder, name); // a delete that was interrupted
                    continue;
                }
                if (!EpisodeIdPattern().IsMatch(name))
                {
                    Warn(name, folder, $"{folder}: skipped (not an episode id)", startup: true);
                    continue;
                }
                if (ReadEntry(folder, name) is { } entry) _entries[name] = entry;
            }
            if (evictOnTimer)
            {
                var period = TimeSpan.FromTicks(Math.Clamp(options.IdleEviction.Ticks / 4, TimeSpan.FromSeconds(1).Ticks, TimeSpan.FromMinutes(1).Ticks));
                _evictionTimer = _time.CreateTimer(_ => { try { EvictIdle(); } catch (Exception) { /* next tick retries */ } }, null, period, period);
            }
        }
    }

    public MapOptions Options { get; }

    /// <summary>Episode folders that could not be read at start (they are left on disk untouched).</summary>
    public IReadOnlyList<string> LoadWarnings => _loadWarnings;

    public bool IsPersistent => _root is not null;

    private const string DeletedPrefix = ".deleted-";

    /// <summary>
    /// The entry of an episode folder found at start. A damaged or missing episode.json does not hide an episode:
    /// with a log or snapshot beside it the episode is recovered (as open, created when its log was), and
    /// episode.json is written again; with neither, the folder is listed as damaged (DATA_LOSS, deletable).
    /// </summary>
    private Entry? ReadEntry(string folder, string id)
    {
        var now = _time.GetUtcNow();
        string metaPath = Path.Combine(folder, "episode.json");
        string problem;
        try
        {
            var meta = JsonSerializer.Deserialize<EpisodeMeta>(File.ReadAllText(metaPath));
            if (meta is not null && meta.Id == id) return new Entry(id, meta.Created) { ClosedAt = meta.ClosedAt, LastAccess = now };
            problem = meta is null ? "episode.json is empty" : "episode.json names another episode";
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException or NotSupportedException)
        {
            problem = e is FileNotFoundException ? "episode.json is missing" : $"episode.json cannot be read ({e.GetType().Name})";
        }

        string log = Path.Combine(folder, "log.bin"), snapshot = Path.Combine(folder, "snapshot.bin");
        bool hasLog = File.Exists(log), hasSnapshot = File.Exists(snapshot);
        if (!hasLog && !hasSnapshot)
        {
            if (!Directory.EnumerateFileSystemEntries(folder).Any())
            {
                Warn(id, folder, $"{folder}: skipped (an empty folder)", startup: true);
                return null;
            }
            Warn(id, folder, $"{folder}: {problem} and there is no log; the episode answers DATA_LOSS until it is deleted.", startup: true);
            return new Entry(id, now) { LastAccess = now, Unrecoverable = $"{problem} and its log is missing.", Damage = $"{problem} and its log is missing." };
        }
        var created = new DateTimeOffset(File.GetCreationTimeUtc(hasLog ? log : snapshot), TimeSpan.Zero);
        var entry = new Entry(id, created) { LastAccess = now };
        try
        {
            WriteMeta(folder, new EpisodeMeta(id, created, null));
            Warn(id, folder, $"{folder}: {problem}; recovered from its log (as open) and episode.json written again.", startup: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Warn(id, folder, $"{folder}: {problem}; recovered from its log (as open), episode.json could not be rewritten ({e.Message}).", startup: true);
        }
        return entry;
    }

    private void Warn(string episodeId, string path, string message, bool startup = false)
    {
        if (startup) _loadWarnings.Add(message);
        _warn?.Invoke(new MapStorageWarning(episodeId, path, message));
    }

    // ---- Episodes -------------------------------------------------------------------------------

    /// <summary>
    /// Opens an episode: with the caller's id, or a new one (32 hex digits) when empty. Opening an
    /// id that is already open returns it unchanged (a client retry); a closed id is FAILED_PRECONDITION.
    /// </summary>
    public EpisodeInfo Open(string? episodeId = null)
    {
        ThrowIfDisposed();
        string id = string.IsNullOrEmpty(episodeId) ? Guid.NewGuid().ToString("N") : episodeId;
        if (!EpisodeIdPattern().IsMatch(id))
            throw new MapValidationException("episode_id", "must be 1-64 characters of letters, digits, '_', '.', '-', starting with a letter or digit");
        lock (_openGate)
        {
            if (_entries.TryGetValue(id, out var existing))
            {
                if (existing.ClosedAt is not null) throw new EpisodeClosedException(id);
                lock (existing.Gate)
                {
                    // A damaged episode is not handed back as usable: DATA_LOSS (delete it to free its slot).
                    Access(existing, write: false);
                    return InfoLocked(existing);
                }
            }
            int open = _entries.Values.Count(e => e.ClosedAt is null);
            if (open >= Options.MaxOpenEpisodes)
                throw new MapLimitExceededException(nameof(MapOptions.MaxOpenEpisodes), Options.MaxOpenEpisodes, open + 1,
                    "Close finished episodes, or raise MaxOpenEpisodes.");

            var now = _time.GetUtcNow();
            var entry = new Entry(id, now) { LastAccess = now };
            if (_root is not null)
            {
                string folder = Path.Combine(_root, id);
                Directory.CreateDirectory(folder);
                WriteMeta(folder, new EpisodeMeta(id, now, null));
                entry.Loaded = Episode.Load(folder, id, Options);
            }
            else entry.Loaded = Episode.CreateInMemory(id, Options);
            _entries[id] = entry;
            lock (entry.Gate) return InfoLocked(entry);
        }
    }

    /// <summary>Closes an episode: its map stays readable (and on disk) but takes no more changes. Idempotent.
    /// With <paramref name="delete"/>, its files and memory are released and the id is forgotten.</summary>
    public EpisodeInfo Close(string episodeId, bool delete = false)
    {
        var entry = Find(episodeId);
        EpisodeInfo info;
        lock (entry.Gate)
        {
            if (entry.Deleted) throw new EpisodeNotFoundException(episodeId);
            if (delete) return DeleteLocked(entry);
            if (entry.ClosedAt is null)
            {
                var episode = EnsureLoaded(entry);
                var closedAt = _time.GetUtcNow();
                if (_root is not null)
                {
                    // episode.json first: if it cannot be written (disk full) nothing has changed and the close can be retried.
                    WriteMeta(Path.Combine(_root, entry.Id), new EpisodeMeta(entry.Id, entry.Created, closedAt));
                }
                episode.IsClosed = true;
                entry.ClosedAt = closedAt;
                entry.LastStats = episode.Stats;
                if (_root is not null) Unload(entry); // the snapshot, when it can be written (the log holds everything)
                var stats = entry.LastStats;
                Publish(entry, new MapChange(entry.Id, stats.Version, stats.Tick, MapChangeKind.Closed, [], null, 0, stats.Landmarks, stats.SoundSources));
            }
            foreach (var watch in entry.Watchers.ToArray()) watch.Channel.Writer.TryComplete();
            info = InfoLocked(entry);
        }
        return info;
    }

    /// <summary>
    /// Deletes an episode whatever state its files are in: nothing is read (a damaged episode is deleted as well
    /// as an intact one), the id and its MaxOpenEpisodes slot are released, and the folder is renamed aside, then
    /// removed (what cannot be removed now is removed at the next start).
    /// </summary>
    private EpisodeInfo DeleteLocked(Entry entry)
    {
        var stats = entry.Loaded?.Stats ?? entry.LastStats;
        if (entry.ClosedAt is null)
        {
            entry.ClosedAt = _time.GetUtcNow();
            if (stats is not null)
                Publish(entry, new MapChange(entry.Id, stats.Version, stats.Tick, MapChangeKind.Closed, [], null, 0, stats.Landmarks, stats.SoundSources));
        }
        foreach (var watch in entry.Watchers.ToArray()) watch.Channel.Writer.TryComplete();
        var info = new EpisodeInfo(entry.Id, entry.Created, entry.ClosedAt, false, stats);
        entry.Deleted = true;
        try { entry.Loaded?.Dispose(); }
        catch (IOException) { /* its files go anyway */ }
        entry.Loaded = null;
        _entries.TryRemove(entry.Id, out _);
        if (_root is not null)
        {
            string folder = Path.Combine(_root, entry.Id);
            if (entry.Damage is not null) Warn(entry.Id, folder, $"{folder}: a damaged episode was deleted ({entry.Damage})");
            if (Directory.Exists(folder))
            {
                string aside = Path.Combine(_root, $"{DeletedPrefix}{entry.Id}-{Guid.NewGuid():N}");
                try { Directory.Move(folder, aside); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { aside = folder; }
                TryDeleteFolder(aside, entry.Id);
            }
        }
        return info;
    }

    private void TryDeleteFolder(string folder, string episodeId)
    {
        try { Directory.Delete(folder, recursive: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Warn(episodeId, folder, $"{folder}: could not be removed ({e.Message}); the next start retries.");
        }
    }

    public IReadOnlyList<EpisodeInfo> List(bool includeClosed = true)
    {
        var result = new List<EpisodeInfo>();
        foreach (var entry in _entries.Values.OrderBy(e => e.Created).ThenBy(e => e.Id, StringComparer.Ordinal))
        {
            if (!includeClosed && entry.ClosedAt is not null) continue;
            lock (entry.Gate)
            {
                if (!entry.Deleted) result.Add(InfoLocked(entry));
            }
        }
        return result;
    }

    public EpisodeInfo Info(string episodeId)
    {
        var entry = Find(episodeId);
        lock (entry.Gate) return InfoLocked(entry);
    }

    /// <summary>Whether the episode is in memory now (false after eviction, until the next call).</summary>
    public bool IsLoaded(string episodeId) => Find(episodeId).Loaded is not null;

    // ---- Changes --------------------------------------------------------------------------------

    /// <summary>Applies a batch atomically (see <see cref="Episode.Apply"/>); a replay returns Duplicate and changes nothing.</summary>
    public BatchResult Observe(string episodeId, ObservationBatch batch)
    {
        var entry = Find(episodeId);
        lock (entry.Gate)
        {
            var episode = Access(entry, write: true);
            var result = episode.Apply(batch, LoadedChunksExcept(entry));
            if (result.Applied)
            {
                if (entry.Watchers.Count > 0)
                {
                    var (landmarks, sounds) = episode.TrackedCounts;
                    Publish(entry, new MapChange(entry.Id, result.Version, result.Tick, MapChangeKind.Observed,
                        batch.Observations.Select(o => o.AgentId).Distinct(StringComparer.Ordinal).ToArray(),
                        Touched(batch), result.Blocks, landmarks, sounds));
                }
            }
            return result;
        }
    }

    public Landmark NameLandmark(string episodeId, long landmarkId, string label) =>
        Write(episodeId, e => e.NameLandmark(landmarkId, label), MapChangeKind.LandmarkNamed);

    public BlacklistEntry MarkUnreachable(string episodeId, Cell cell, string reason, string? agentId = null, double radius = 3.0) =>
        Write(episodeId, e => e.MarkUnreachable(cell, reason, agentId, radius), MapChangeKind.Blacklisted);

    // ---- Reads ----------------------------------------------------------------------------------

    public MapLayers GetMap(string episodeId, LayerRequest request) => Read(episodeId, e => e.GetMap(request));
    public MapRegion ExploredRegion(string episodeId) => Read(episodeId, e => e.ExploredRegion());
    public FrontierReport GetFrontiers(string episodeId, FrontierRequest request) => Read(episodeId, e => e.GetFrontiers(request));
    public TargetReport LocateTargets(string episodeId, string name, string? agentId = null, int maxResults = 16) =>
        Read(episodeId, e => e.LocateTargets(name, agentId, maxResults));
    public byte[] RenderPng(string episodeId, RenderRequest request) => Read(episodeId, e => e.RenderPng(request));
    public string Describe(string episodeId, DescribeRequest? request = null) => Read(episodeId, e => e.Describe(request));
    public IReadOnlyList<AgentState> Agents(string episodeId) => Read(episodeId, e => e.Agents);
    public IReadOnlyList<Landmark> Landmarks(string episodeId) => Read(episodeId, e => e.Landmarks);
    public IReadOnlyList<SoundSource> SoundSources(string episodeId) => Read(episodeId, e => e.SoundSources);
    public CellInfo CellAt(string episodeId, int x, int y, int z) => Read(episodeId, e => e.CellAt(x, y, z));

    /// <summary>The deterministic encoding of the whole map (equal bytes: identical maps).</summary>
    public byte[] ExportState(string episodeId) => Read(episodeId, e => e.ExportState());

    /// <summary>Runs a read on the episode under its lock (for calls this class has no shortcut for).</summary>
    public T Read<T>(string episodeId, Func<Episode, T> read)
    {
        var entry = Find(episodeId);
        lock (entry.Gate) return read(Access(entry, write: false));
    }

    /// <summary>Follows an episode's changes. The feed holds <paramref name="capacity"/> changes; older ones are dropped when it is not read.</summary>
    public MapWatch Watch(string episodeId, int capacity = 256)
    {
        var entry = Find(episodeId);
        var channel = Channel.CreateBounded<MapChange>(new BoundedChannelOptions(Math.Max(1, capacity))
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        var watch = new MapWatch(channel, w => { lock (entry.Gate) entry.Watchers.Remove(w); });
        lock (entry.Gate)
        {
            if (entry.Deleted) throw new EpisodeNotFoundException(episodeId);
            if (entry.ClosedAt is not null) channel.Writer.TryComplete();
            else entry.Watchers.Add(watch);
        }
        return watch;
    }

    // ---- Memory ---------------------------------------------------------------------------------

    /// <summary>Writes idle episodes to disk and drops them from memory; returns how many. Needs a data directory.</summary>
    public int EvictIdle()
    {
        if (_root is null) return 0;
        var now = _time.GetUtcNow();
        int evicted = 0;
        foreach (var entry in _entries.Values)
        {
            if (entry.Loaded is null || now - entry.LastAccess < Options.IdleEviction) continue;
            lock (entry.Gate)
            {
                if (entry.Loaded is null || now - entry.LastAccess < Options.IdleEviction) continue;
                Unload(entry);
                evicted++;
            }
        }
        return evicted;
    }

    /// <summary>Writes every loaded episode's snapshot (for a clean shutdown).</summary>
    public void FlushAll()
    {
        foreach (var entry in _entries.Values)
            lock (entry.Gate) entry.Loaded?.Flush();
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _evictionTimer?.Dispose();
        foreach (var entry in _entries.Values)
        {
            lock (entry.Gate)
            {
                if (entry.Loaded is not null)
                {
                    if (_root is not null) Unload(entry);
                    else entry.Loaded.Dispose();
                }
                foreach (var watch in entry.Watchers.ToArray()) watch.Channel.Writer.TryComplete();
            }
        }
    }

    // ---- Internals ------------------------------------------------------------------------------

    private Entry Find(string episodeId)
    {
        ThrowIfDisposed();
        if (string.IsNullOrEmpty(episodeId)) throw new MapValidationException("episode_id", "must not be empty");
        return _entries.TryGetValue(episodeId, out var entry) && !entry.Deleted ? entry : throw new EpisodeNotFoundException(episodeId);
    }

    private Episode Access(Entry entry, bool write)
    {
        if (entry.Deleted) throw new EpisodeNotFoundException(entry.Id);
        if (write && entry.ClosedAt is not null) throw new EpisodeClosedException(entry.Id);
        entry.LastAccess = _time.GetUtcNow();
        return EnsureLoaded(entry);
    }

    private Episode EnsureLoaded(Entry entry)
    {
        if (entry.Loaded is not null) return entry.Loaded;
        if (_root is null) throw new EpisodeNotFoundException(entry.Id);
        string folder = Path.Combine(_root, entry.Id);
        if (entry.Unrecoverable is not null) throw new EpisodeCorruptedException(entry.Id, entry.Unrecoverable + DeleteAdvice);
        Episode episode;
        try
        {
            episode = Episode.Load(folder, entry.Id, Options, message => Warn(entry.Id, folder, $"{folder}: {message}"));
        }
        catch (EpisodeCorruptedException e)
        {
            string prefix = $"Episode '{entry.Id}' on disk is damaged: ";
            entry.Damage = e.Message.StartsWith(prefix, StringComparison.Ordinal) ? e.Message[prefix.Length..] : e.Message;
            Warn(entry.Id, folder, $"{folder}: {e.Message}");
            throw new EpisodeCorruptedException(entry.Id, entry.Damage + DeleteAdvice);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or EndOfStreamException or InvalidDataException)
        {
            // Files that cannot be opened, or a record that passes its CRC but does not decode.
            entry.Damage = $"its files cannot be read ({e.GetType().Name}).";
            Warn(entry.Id, folder, $"{folder}: {e.Message}");
            throw new EpisodeCorruptedException(entry.Id, entry.Damage + DeleteAdvice);
        }
        entry.Damage = null;
        episode.IsClosed = entry.ClosedAt is not null;
        entry.Loaded = episode;
        return episode;
    }

    private const string DeleteAdvice = " CloseEpisode with delete removes it.";

    /// <summary>Drops a loaded episode from memory; its snapshot is written when it can be (the log already holds
    /// every change, so a snapshot that cannot be written loses nothing and never keeps the episode in memory).</summary>
    private void Unload(Entry entry)
    {
        var episode = entry.Loaded!;
        try { episode.Flush(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            string folder = Path.Combine(_root!, entry.Id);
            Warn(entry.Id, folder, $"{folder}: the snapshot could not be written ({e.Message}); the log is replayed on the next load.");
        }
        entry.LastStats = episode.Stats;
        episode.Dispose();
        entry.Loaded = null;
    }

    private T Write<T>(string episodeId, Func<Episode, T> change, MapChangeKind kind)
    {
        var entry = Find(episodeId);
        lock (entry.Gate)
        {
            var episode = Access(entry, write: true);
            var result = change(episode);
            var stats = episode.Stats;
            Publish(entry, new MapChange(entry.Id, stats.Version, stats.Tick, kind, [], null, 0, stats.Landmarks, stats.SoundSources));
            return result;
        }
    }

    private long LoadedChunksExcept(Entry except)
    {
        long total = 0;
        foreach (var entry in _entries.Values)
            if (entry != except && entry.Loaded is { } episode) total += episode.ChunkCount;
        return total;
    }

    private static void Publish(Entry entry, MapChange change)
    {
        foreach (var watch in entry.Watchers) watch.Channel.Writer.TryWrite(change);
    }

    private static MapRegion? Touched(ObservationBatch batch)
    {
        int minX = int.MaxValue, maxX = int.MinValue, minZ = int.MaxValue, maxZ = int.MinValue, minY = int.MaxValue, maxY = int.MinValue;
        foreach (var observation in batch.Observations)
        {
            int px = CellMath.Cell(observation.Pose.X), py = CellMath.Cell(observation.Pose.Y), pz = CellMath.Cell(observation.Pose.Z);
            minX = Math.Min(minX, px); maxX = Math.Max(maxX, px); minY = Math.Min(minY, py); maxY = Math.Max(maxY, py + 1); minZ = Math.Min(minZ, pz); maxZ = Math.Max(maxZ, pz);
            foreach (var b in observation.Blocks)
            {
                if (b.X < minX) minX = b.X; if (b.X > maxX) maxX = b.X;
                if (b.Y < minY) minY = b.Y; if (b.Y > maxY) maxY = b.Y;
                if (b.Z < minZ) minZ = b.Z; if (b.Z > maxZ) maxZ = b.Z;
            }
        }
        return minX == int.MaxValue ? null : new MapRegion(minX, minZ, maxX - minX + 1, maxZ - minZ + 1, minY, maxY);
    }

    private EpisodeInfo InfoLocked(Entry entry) =>
        new(entry.Id, entry.Created, entry.ClosedAt, entry.Loaded is not null, entry.Loaded?.Stats ?? entry.LastStats);

    private static void WriteMeta(string folder, EpisodeMeta meta) =>
        AtomicFile.WriteText(Path.Combine(folder, "episode.json"), JsonSerializer.Serialize(meta));

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
