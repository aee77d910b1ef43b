using Expert.DynamicMap.Geometry;
using Expert.DynamicMap.Observations;

namespace Expert.DynamicMap.Landmarks;

/// <summary>
/// Merges detections into landmarks: a detection joins the nearest landmark of the same kind
/// (names compared ignoring case and a "minecraft:" namespace) within the merge radius of its last
/// position, else it starts a new one. Late detections (older than the landmark's last sighting)
/// count as sightings but do not move it.
/// </summary>
internal sealed class LandmarkTracker(double mergeRadius)
{
    private readonly List<Landmark> _items = [];
    private readonly Dictionary<long, int> _indexById = [];
    private long _nextId = 1;

    public IReadOnlyList<Landmark> All => _items;

    public long NextId => _nextId;

    public static string KindOf(string name) =>
        (name.StartsWith("minecraft:", StringComparison.OrdinalIgnoreCase) ? name["minecraft:".Length..] : name).ToLowerInvariant();

    public Landmark Observe(EntitySeen entity, long tick, string agentId)
    {
        string kind = KindOf(entity.Name);
        var position = entity.Position;
        int best = -1;
        double bestDistance = double.MaxValue;
        for (int i = 0; i < _items.Count; i++)
        {
            var landmark = _items[i];
            if (landmark.Kind != kind) continue;
            double distance = landmark.Position.DistanceTo(position);
            if (distance <= mergeRadius && distance < bestDistance)
            {
                best = i;
                bestDistance = distance;
            }
        }

        double confidence = Math.Clamp((double)entity.Confidence, 0.0, 1.0);
        if (best < 0)
        {
            var created = new Landmark(_nextId++, kind, null, position, tick, tick, 1, confidence, agentId);
            _indexById[created.Id] = _items.Count;
            _items.Add(created);
            return created;
        }

        var current = _items[best];
        bool newer = tick >= current.LastTick;
        var updated = current with
        {
            Position = newer ? position : current.Position,
            LastTick = Math.Max(current.LastTick, tick),
            FirstTick = Math.Min(current.FirstTick, tick),
            Sightings = current.Sightings + 1,
            DetectionConfidence = 1 - (1 - current.DetectionConfidence) * (1 - confidence),
            LastAgentId = newer ? agentId : current.LastAgentId,
        };
        _items[best] = updated;
        return updated;
    }

    public Landmark? Find(long id) => _indexById.TryGetValue(id, out int index) ? _items[index] : null;

    public Landmark Name(long id, string label)
    {
        int index = _indexById[id];
        var named = _items[index] with { Label = label };
        _items[index] = named;
        return named;
    }

    /// <summary>Landmarks whose kind or label contains the query (ignoring case).</summary>
    public IEnumerable<Landmark> Match(string query)
    {
        string kind = KindOf(query);
        return _items.Where(l => l.Kind.Contains(kind, StringComparison.Ordinal)
            || (l.Label is not null && l.Label.Contains(query, StringComparison.OrdinalIgnoreCase)));
    }

    internal void Restore(IEnumerable<Landmark> items, long nextId)
    {
        _items.Clear();
        _indexById.Clear();
        foreach (var item in items)
        {
            _indexById[item.Id] = _items.Count;
            _items.Add(item);
        }
        _nextId = nextId;
    }
}
