using Expert.DynamicMap.Geometry;

namespace Expert.DynamicMap.Sounds;

/// <summary>
/// Sound sources of one episode.
/// <list type="bullet">
/// <item>A hearing with a position is placed directly: it joins the nearest source of the same name
/// within the merge radius (moving it there when its tick is the latest), else starts a source.</item>
/// <item>A direction-only hearing is a bearing. Bearings of one name form groups, one per source (one
/// per animal, not one per name): a bearing joins the located group whose fix its ray passes within
/// max(merge radius, min(2 × uncertainty, 3 × merge radius)) of, and, with a hearing radius, whose
/// fix its range point (the hearing model: range = radius × (1 - volume)) lies near; an unlocated
/// group only when the two range points agree (within the merge radius plus a tenth of each range),
/// or without ranges when the rays meet in front of the listeners, at least the merge radius from each;
/// else it starts a new group. A group with two or more bearings that
/// are not parallel is located by least squares (<see cref="BearingLocator"/>); bearings older than
/// the window (ticks) before the group's newest, or beyond the per-group cap, are dropped.</item>
/// <item>After each update, same-name sources within the merge radius of each other merge (the
/// better-located one keeps its position; hearings add up).</item>
/// </list>
/// </summary>
internal sealed class SoundTracker(double mergeRadius, long bearingWindowTicks, int maxBearingsPerGroup, double hearingRadius = 0)
{
    /// <summary>
    /// Where the hearing model puts a direction-only hearing: with a hearing radius R &gt; 0 a volume v in (0, 1) is
    /// 1 - range / R, so the source lies range = R (1 - v) along the ray; null without a radius or a usable volume.
    /// </summary>
    private Vec3? RangePoint(Vec3 eye, Vec3 direction, float volume) =>
        hearingRadius > 0 && volume is > 0 and < 1 ? eye + direction.Normalized() * (hearingRadius * (1 - volume)) : null;

    /// <summary>
    /// The hearing model's fix of a group: the mean range point of its latest four bearings, uncertain by a tenth of the range
    /// (at least 2 blocks) plus twice their spread; null without a hearing radius or usable volumes.
    /// </summary>
    private BearingFix? RangeFix(IReadOnlyList<Bearing> bearings)
    {
        var points = bearings.Skip(Math.Max(0, bearings.Count - 4))
            .Select(b => (Point: RangePoint(b.Origin, b.Direction, b.Volume), Range: hearingRadius * (1 - b.Volume)))
            .Where(p => p.Point is not null).Select(p => (Point: p.Point!.Value, p.Range)).ToArray();
        if (points.Length == 0) return null;
        var mean = new Vec3(points.Average(p => p.Point.X), points.Average(p => p.Point.Y), points.Average(p => p.Point.Z));
        double spread = Math.Sqrt(points.Average(p => (p.Point - mean).Dot(p.Point - mean)));
        return new BearingFix(mean, RangeTolerance(points.Average(p => p.Range)) + 2 * spread, spread, points.Length);
    }

    /// <summary>How far a range point may sit from another hearing of the same source: the source wanders (a tenth of the range, at least 2 blocks).</summary>
    private static double RangeTolerance(double range) => Math.Max(2, 0.1 * range);

    internal sealed class BearingGroup
    {
        public required long SourceId;
        public required string Name;
        public List<Bearing> Bearings { get; } = [];
    }

    private readonly List<SoundSource> _sources = [];
    private readonly List<BearingGroup> _groups = [];
    private long _nextId = 1;

    public IReadOnlyList<SoundSource> Sources => _sources;
    internal IReadOnlyList<BearingGroup> Groups => _groups;
    public long NextId => _nextId;

    public static string NameOf(string name) =>
        (name.StartsWith("minecraft:", StringComparison.OrdinalIgnoreCase) ? name["minecraft:".Length..] : name).ToLowerInvariant();

    public void HearAt(string rawName, Vec3 position, float volume, long tick)
    {
        string name = NameOf(rawName);
        int best = Nearest(name, position, mergeRadius, exceptId: -1);
        if (best < 0)
        {
            _sources.Add(new SoundSource(_nextId++, name, position, 0.5, true, null, 1, 0, tick, tick, volume));
        }
        else
        {
            var current = _sources[best];
            bool newer = tick >= current.LastTick;
            _sources[best] = current with
            {
                Position = newer || !current.Located || current.Uncertainty > 0.5 ? position : current.Position,
                Uncertainty = 0.5,
                Located = true,
                Direction = null,
                Hearings = current.Hearings + 1,
                FirstTick = Math.Min(current.FirstTick, tick),
                LastTick = Math.Max(current.LastTick, tick),
                LastVolume = newer ? volume : current.LastVolume,
            };
            // A source placed exactly no longer follows its bearing group.
            _groups.RemoveAll(g => g.SourceId == current.Id);
        }
        MergeAround(name);
    }

    public void HearToward(string rawName, Vec3 eye, Vec3 direction, float volume, long tick, string agentId)
    {
        string name = NameOf(rawName);
        var bearing = new Bearing(eye, direction.Normalized(), tick, volume, agentId);

        // One group per source: a bearing joins the group it agrees with (its ray passes the group's fix, and its
        // range from the hearing model, when known, agrees with the fix or with the group's last range point);
        // never a group merely because it has the same name.
        Vec3? point = RangePoint(eye, bearing.Direction, volume);
        BearingGroup? group = null;
        double bestDistance = double.MaxValue;
        foreach (var candidate in _groups)
        {
            if (candidate.Name != name) continue;
            var source = FindSource(candidate.SourceId);
            if (source is null) continue;
            double? distance;
            if (source.Located)
            {
                distance = BearingLocator.DistanceToRay(source.Position, eye, bearing.Direction);
                double gate = Math.Max(mergeRadius, Math.Min(2 * source.Uncertainty, 3 * mergeRadius));
                if (distance is not double d0 || d0 > gate) continue;
                if (point is Vec3 p && p.DistanceTo(source.Position) > gate + RangeTolerance(p.DistanceTo(eye))) continue;
            }
            else
            {
                var last = candidate.Bearings[^1];
                Vec3? lastPoint = RangePoint(last.Origin, last.Direction, last.Volume);
                if (point is Vec3 p && lastPoint is Vec3 q)
                {
                    distance = p.DistanceTo(q);
                    if (distance > mergeRadius + RangeTolerance(p.DistanceTo(eye)) + RangeTolerance(q.DistanceTo(last.Origin))) continue;
                }
                else
                {
                    // No range: the rays must meet in front of both listeners (or run parallel from nearby places).
                    var trial = new List<Bearing>(candidate.Bearings) { bearing };
                    var trialFix = BearingLocator.Locate(trial);
                    double angle = Math.Acos(Math.Clamp(last.Direction.Normalized().Dot(bearing.Direction), -1, 1)) * 180 / Math.PI;
                    // A fix at the listeners is two sources seen from one place, not one source between them.
                    if (trialFix is not null && trial.All(b => b.Origin.DistanceTo(trialFix.Position) >= mergeRadius)) distance = trialFix.RmsResidual;
                    else if (angle < 3 && last.Origin.DistanceTo(eye) <= mergeRadius) distance = last.Origin.DistanceTo(eye);
                    else continue;
                }
            }
            if (distance is double d && d < bestDistance)
            {
                group = candidate;
                bestDistance = d;
            }
        }
        if (group is null)
        {
            var created = new SoundSource(_nextId++, name, eye, double.PositiveInfinity, false, bearing.Direction, 0, 0, tick, tick, volume);
            _sources.Add(created);
            group = new BearingGroup { SourceId = created.Id, Name = name };
            _groups.Add(group);
        }

        group.Bearings.Add(bearing);
        long newest = group.Bearings.Max(b => b.Tick);
        group.Bearings.RemoveAll(b => b.Tick < newest - bearingWindowTicks);
        group.Bearings.Sort((x, y) => x.Tick.CompareTo(y.Tick));
        if (group.Bearings.Count > maxBearingsPerGroup) group.Bearings.RemoveRange(0, group.Bearings.Count - maxBearingsPerGroup);

        int index = IndexOf(group.SourceId);
        var current = _sources[index];
        var fix = BearingLocator.Locate(group.Bearings);
        if (RangeFix(group.Bearings) is { } byRange && (fix is null || byRange.Uncertainty < fix.Uncertainty)) fix = byRange;
        bool newer = tick >= current.LastTick;
        var latest = group.Bearings[^1];
        _sources[index] = fix is null
            ? current with
            {
                Position = latest.Origin,
                Direction = latest.Direction,
                Located = false,
                Uncertainty = double.PositiveInfinity,
                Hearings = current.Hearings + 1,
                BearingsUsed = group.Bearings.Count,
                FirstTick = Math.Min(current.FirstTick, tick),
                LastTick = Math.Max(current.LastTick, tick),
                LastVolume = newer ? volume : current.LastVolume,
            }
            : current with
            {
                Position = fix.Position,
                Direction = null,
                Located = true,
                Uncertainty = fix.Uncertainty,
                Hearings = current.Hearings + 1,
                BearingsUsed = fix.Count,
                FirstTick = Math.Min(current.FirstTick, tick),
                LastTick = Math.Max(current.LastTick, tick),
                LastVolume = newer ? volume : current.LastVolume,
            };
        MergeAround(name);
    }

    /// <summary>Sources whose name contains the query (ignoring case).</summary>
    public IEnumerable<SoundSource> Match(string query)
    {
        string name = NameOf(query);
        return _sources.Where(s => s.Name.Contains(name, StringComparison.Ordinal));
    }

    private SoundSource? FindSource(long id)
    {
        int index = IndexOf(id);
        return index < 0 ? null : _sources[index];
    }

    private int IndexOf(long id)
    {
        for (int i = 0; i < _sources.Count; i++) if (_sources[i].Id == id) return i;
        return -1;
    }

    private int Nearest(string name, Vec3 position, double radius, long exceptId)
    {
        int best = -1;
        double bestDistance = double.MaxValue;
        for (int i = 0; i < _sources.Count; i++)
        {
            var source = _sources[i];
            if (source.Name != name || !source.Located || source.Id == exceptId) continue;
            double distance = source.Position.DistanceTo(position);
            if (distance <= radius && distance < bestDistance)
            {
                best = i;
                bestDistance = distance;
            }
        }
        return best;
    }

    private void MergeAround(string name)
    {
        bool merged = true;
        while (merged)
        {
            merged = false;
            for (int i = 0; i < _sources.Count && !merged; i++)
            {
                var a = _sources[i];
                if (a.Name != name || !a.Located) continue;
                int j = Nearest(name, a.Position, mergeRadius, exceptId: a.Id);
                if (j < 0) continue;
                var b = _sources[j];
                var (keep, drop) = a.Uncertainty <= b.Uncertainty ? (a, b) : (b, a);
                var combined = keep with
                {
                    Hearings = a.Hearings + b.Hearings,
                    BearingsUsed = Math.Max(a.BearingsUsed, b.BearingsUsed),
                    FirstTick = Math.Min(a.FirstTick, b.FirstTick),
                    LastTick = Math.Max(a.LastTick, b.LastTick),
                    LastVolume = a.LastTick >= b.LastTick ? a.LastVolume : b.LastVolume,
                };
                _sources[IndexOf(keep.Id)] = combined;
                _sources.RemoveAt(IndexOf(drop.Id));
                // The dropped source's bearings now feed the survivor.
                var survivorGroup = _groups.FirstOrDefault(g => g.SourceId == keep.Id);
                var droppedGroup = _groups.FirstOrDefault(g => g.SourceId == drop.Id);
                if (droppedGroup is not null)
                {
                    _groups.Remove(droppedGroup);
                    if (survivorGroup is not null) survivorGroup.Bearings.AddRange(droppedGroup.Bearings);
                    else if (combined.Uncertainty > 0.5) { droppedGroup.SourceId = keep.Id; _groups.Add(droppedGroup); }
                }
                merged = true;
            }
        }
    }

    internal void Restore(IEnumerable<SoundSource> sources, IEnumerable<BearingGroup> groups, long nextId)
    {
        _sources.Clear();
        _sources.AddRange(sources);
        _groups.Clear();
        _groups.AddRange(groups);
        _nextId = nextId;
    }
}
