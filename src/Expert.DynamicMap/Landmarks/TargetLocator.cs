using Expert.DynamicMap.Episodes;
using Expert.DynamicMap.Geometry;

namespace Expert.DynamicMap.Landmarks;

public enum TargetKind
{
    Landmark = 1,
    Sound = 2,
}

/// <summary>
/// A landmark or sound source that matches a name. Distance and compass direction are from the
/// agent's last pose when an agent was given. For a sound not yet located, Position is the listener,
/// Located is false and Direction is the compass way the sound came from.
/// </summary>
public sealed record TargetMatch(
    TargetKind Kind,
    long Id,
    string Name,
    string? Label,
    Vec3 Position,
    bool Located,
    double Uncertainty,
    double Confidence,
    long LastTick,
    int Sightings,
    double? Distance,
    string? Direction);

public sealed record TargetReport(string Query, string? AgentId, IReadOnlyList<TargetMatch> Matches);

/// <summary>LocateTargets: landmarks and sound sources whose name (or label) contains the query, nearest first (or latest first without an agent).</summary>
internal static class TargetLocator
{
    public static TargetReport Locate(MapState state, string query, string? agentId, int maxResults)
    {
        Vec3? from = null;
        if (!string.IsNullOrEmpty(agentId))
            from = (state.Agents.Find(agentId) ?? throw new MapNotFoundException($"Agent '{agentId}' has not reported in this episode.")).Pose.Position;

        var matches = new List<TargetMatch>();
        foreach (var l in state.Landmarks.Match(query))
            matches.Add(Make(TargetKind.Landmark, l.Id, l.Kind, l.Label, l.Position, true, 0.5,
                l.ConfidenceAt(state.Now, state.Options.LandmarkHalfLifeTicks), l.LastTick, l.Sightings, from, null));
        foreach (var s in state.Sounds.Match(query))
            matches.Add(Make(TargetKind.Sound, s.Id, s.Name, null, s.Position, s.Located, s.Located ? s.Uncertainty : double.PositiveInfinity,
                s.Located ? Math.Clamp(1.0 / (1.0 + s.Uncertainty / 4.0), 0, 1) : 0.1, s.LastTick, s.Hearings, from, s.Located ? null : s.Direction));

        var ordered = from is null
            ? matches.OrderByDescending(m => m.LastTick).ThenBy(m => m.Kind).ThenBy(m => m.Id)
            : matches.OrderBy(m => m.Located ? 0 : 1).ThenBy(m => m.Distance).ThenBy(m => m.Kind).ThenBy(m => m.Id);
        return new TargetReport(query, string.IsNullOrEmpty(agentId) ? null : agentId, ordered.Take(maxResults).ToArray());
    }

    private static TargetMatch Make(TargetKind kind, long id, string name, string? label, Vec3 position, bool located, double uncertainty,
        double confidence, long lastTick, int sightings, Vec3? from, Vec3? soundDirection)
    {
        double? distance = null;
        string? direction = null;
        if (soundDirection is Vec3 d)
            direction = Compass.FromDirection(d.X, d.Z);
        else if (from is Vec3 f)
        {
            distance = f.DistanceTo(position);
            direction = Compass.FromDirection(position.X - f.X, position.Z - f.Z);
        }
        if (from is Vec3 f2 && distance is null && located) distance = f2.DistanceTo(position);
        return new TargetMatch(kind, id, name, label, position, located, uncertainty, confidence, lastTick, sightings, distance, direction);
    }
}
