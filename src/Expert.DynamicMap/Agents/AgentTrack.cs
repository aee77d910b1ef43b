using Expert.DynamicMap.Geometry;

namespace Expert.DynamicMap.Agents;

/// <summary>One point of an agent's trail: where its feet were at a tick.</summary>
public readonly record struct TrailPoint(long Tick, double X, double Y, double Z);

/// <summary>How often an agent reported from one cell (its feet cell), and when it last did.</summary>
public readonly record struct VisitCount(int X, int Y, int Z, int Count, long LastTick);

/// <summary>What the map knows about one agent, as a copy safe to hand out.</summary>
public sealed record AgentState(string Id, MapPose Pose, long LastTick, long FirstTick, int Observations, int TrailLength, double PathLength);

/// <summary>
/// One agent's pose (the one with the latest tick), its trail (ordered by tick; late points are
/// inserted in place) and its visit counts per feet cell.
/// </summary>
internal sealed class AgentTrack(string id)
{
    internal struct Visit
    {
        public int Count;
        public long LastTick;
    }

    private readonly List<TrailPoint> _trail = [];
    private readonly Dictionary<long, Visit> _visits = new(Geometry.PackedKeyComparer.Instance);

    public string Id { get; } = id;
    public MapPose Pose { get; private set; }
    public long LastTick { get; private set; } = long.MinValue;
    public long FirstTick { get; private set; } = long.MaxValue;
    public int Observations { get; private set; }

    public IReadOnlyList<TrailPoint> Trail => _trail;
    internal Dictionary<long, Visit> Visits => _visits;

    public void Record(long tick, MapPose pose)
    {
        Observations++;
        if (tick >= LastTick)
        {
            LastTick = tick;
            Pose = pose;
        }
        if (tick < FirstTick) FirstTick = tick;

        var point = new TrailPoint(tick, pose.X, pose.Y, pose.Z);
        if (_trail.Count == 0 || _trail[^1].Tick <= tick) _trail.Add(point);
        else _trail.Insert(UpperBound(tick), point);

        long key = CellMath.Pack(CellMath.Cell(pose.X), CellMath.Cell(pose.Y), CellMath.Cell(pose.Z));
        if (!_visits.TryGetValue(key, out var visit)) visit = new Visit { Count = 0, LastTick = long.MinValue };
        visit.Count++;
        visit.LastTick = Math.Max(visit.LastTick, tick);
        _visits[key] = visit;
    }

    private int UpperBound(long tick)
    {
        int lo = 0, hi = _trail.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_trail[mid].Tick <= tick) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    public double PathLength
    {
        get
        {
            double total = 0;
            for (int i = 1; i < _trail.Count; i++)
            {
                var a = _trail[i - 1];
                var b = _trail[i];
                double dx = b.X - a.X, dy = b.Y - a.Y, dz = b.Z - a.Z;
                total += Math.Sqrt(dx * dx + dy * dy + dz * dz);
            }
            return total;
        }
    }

    public AgentState ToState() => new(Id, Pose, LastTick, FirstTick, Observations, _trail.Count, PathLength);

    public IEnumerable<VisitCount> VisitCounts()
    {
        foreach (var (key, visit) in _visits)
        {
            var (x, y, z) = CellMath.Unpack(key);
            yield return new VisitCount(x, y, z, visit.Count, visit.LastTick);
        }
    }

    internal void Restore(MapPose pose, long lastTick, long firstTick, int observations, List<TrailPoint> trail, List<(long Key, Visit Visit)> visits)
    {
        Pose = pose;
        LastTick = lastTick;
        FirstTick = firstTick;
        Observations = observations;
        _trail.Clear();
        _trail.AddRange(trail);
        _visits.Clear();
        foreach (var (key, visit) in visits) _visits.Add(key, visit);
    }
}

/// <summary>The agents of one episode, by id (ordinal).</summary>
internal sealed class AgentRoster
{
    private readonly Dictionary<string, AgentTrack> _agents = new(StringComparer.Ordinal);

    public int Count => _agents.Count;

    public IEnumerable<AgentTrack> All => _agents.Values;

    public AgentTrack? Find(string id) => _agents.GetValueOrDefault(id);

    public AgentTrack GetOrAdd(string id)
    {
        if (!_agents.TryGetValue(id, out var track))
        {
            track = new AgentTrack(id);
            _agents.Add(id, track);
        }
        return track;
    }

    /// <summary>Agents ordered by id, for stable output.</summary>
    public IEnumerable<AgentTrack> Ordered => _agents.Values.OrderBy(a => a.Id, StringComparer.Ordinal);
}
