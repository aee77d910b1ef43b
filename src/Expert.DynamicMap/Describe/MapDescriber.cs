using System.Globalization;
using System.Text;
using Expert.DynamicMap.Episodes;
using Expert.DynamicMap.Frontiers;
using Expert.DynamicMap.Geometry;

namespace Expert.DynamicMap.Describe;

/// <summary>
/// DescribeMap's request. AgentId: the agent distances, directions and frontiers are told for
/// (default: the one that reported last).
/// </summary>
public sealed record DescribeRequest(string? AgentId = null, int MaxFrontiers = 3, int MaxLandmarks = 8, int MaxSounds = 5, int FrontierRadius = 64);

/// <summary>
/// A compact text of the map for a language model's prompt: frame, agents, explored area, the best
/// frontiers (or why there is none), landmarks and sounds, each one line, nearest first.
/// </summary>
internal static class MapDescriber
{
    public static string Describe(MapState state, string episodeId, DescribeRequest request)
    {
        var text = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        text.Append(inv, $"Map of episode {episodeId} at tick {state.Now}. Frame: x east, y up, z south (north is -z).\n");

        var agents = state.Agents.Ordered.ToArray();
        var focus = !string.IsNullOrEmpty(request.AgentId)
            ? state.Agents.Find(request.AgentId) ?? throw new MapNotFoundException($"Agent '{request.AgentId}' has not reported in episode '{episodeId}'.")
            : agents.OrderByDescending(a => a.LastTick).ThenBy(a => a.Id, StringComparer.Ordinal).FirstOrDefault();
        Vec3? from = focus?.Pose.Position;

        if (agents.Length == 0) text.Append("Agents: none has reported yet.\n");
        else
        {
            text.Append(inv, $"Agents ({agents.Length}):\n");
            foreach (var agent in agents)
            {
                var p = agent.Pose;
                text.Append(inv, $"- {agent.Id} at {Fmt(p.Position)} facing {p.Compass}, last tick {agent.LastTick}, walked {agent.PathLength:0} blocks");
                if (from is Vec3 f && agent != focus) text.Append(inv, $", {Where(f, p.Position)}");
                text.Append('\n');
            }
        }

        var bounds = state.Store.ChunkBounds();
        if (bounds is null) text.Append("Explored: nothing yet.\n");
        else
        {
            var b = bounds.Value;
            long known = state.Store.KnownCells;
            text.Append(inv, $"Explored: {known} cells known ({state.BlockObservations} block sightings) within x {b.MinX}..{b.MaxX}, y {b.MinY}..{b.MaxY}, z {b.MinZ}..{b.MaxZ}.\n");
        }

        if (focus is not null)
        {
            var report = FrontierFinder.Find(state, new FrontierRequest(focus.Id, Radius: request.FrontierRadius, MaxResults: Math.Max(1, request.MaxFrontiers)));
            if (report.Frontiers.Count == 0) text.Append(inv, $"Frontiers for {focus.Id}: none. {report.WhyNone}\n");
            else
            {
                text.Append(inv, $"Frontiers for {focus.Id} (best first; {report.SetAside.Count} set aside):\n");
                foreach (var f in report.Frontiers.Take(request.MaxFrontiers))
                    text.Append(inv, $"{f.Rank}. {f.Size} cells, go to {f.Goal} ({f.PathDistance:0} steps, {Compass.FromDirection(f.Goal.X + 0.5 - focus.Pose.X, f.Goal.Z + 0.5 - focus.Pose.Z)}), score {f.Score:0.#}\n");
            }
        }

        var landmarks = state.Landmarks.All
            .OrderBy(l => from is Vec3 f ? f.DistanceTo(l.Position) : -l.LastTick).ThenBy(l => l.Id).ToArray();
        if (landmarks.Length == 0) text.Append("Landmarks: none.\n");
        else
        {
            text.Append(inv, $"Landmarks ({landmarks.Length}{(landmarks.Length > request.MaxLandmarks ? $", nearest {request.MaxLandmarks}" : "")}):\n");
            foreach (var l in landmarks.Take(request.MaxLandmarks))
            {
                text.Append(inv, $"- {l.DisplayName} ({l.Kind}) at {Fmt(l.Position)}");
                if (from is Vec3 f) text.Append(inv, $", {Where(f, l.Position)}");
                text.Append(inv, $", seen {l.Sightings}x, last tick {l.LastTick}, confidence {l.ConfidenceAt(state.Now, state.Options.LandmarkHalfLifeTicks):0.00}\n");
            }
        }

        var sounds = state.Sounds.Sources
            .OrderBy(s => s.Located ? 0 : 1).ThenBy(s => from is Vec3 f && s.Located ? f.DistanceTo(s.Position) : -s.LastTick).ThenBy(s => s.Id).ToArray();
        if (sounds.Length == 0) text.Append("Sounds: none.\n");
        else
        {
            text.Append(inv, $"Sounds ({sounds.Length}):\n");
            foreach (var s in sounds.Take(request.MaxSounds))
            {
                if (s.Located)
                {
                    text.Append(inv, $"- {s.Name} at {Fmt(s.Position)} ±{s.Uncertainty:0.#}");
                    if (s.BearingsUsed > 0) text.Append(inv, $" (from {s.BearingsUsed} bearings)");
                    if (from is Vec3 f) text.Append(inv, $", {Where(f, s.Position)}");
                }
                else
                {
                    var d = s.Direction ?? new Vec3(0, 0, 0);
                    text.Append(inv, $"- {s.Name} heard toward {Compass.FromDirection(d.X, d.Z)} from {Fmt(s.Position)}, not located yet (hear it from elsewhere)");
                }
                text.Append(inv, $", heard {s.Hearings}x, last tick {s.LastTick}\n");
            }
        }
        return text.ToString();
    }

    private static string Fmt(Vec3 p) => string.Create(CultureInfo.InvariantCulture, $"({p.X:0}, {p.Y:0}, {p.Z:0})");

    private static string Where(Vec3 from, Vec3 to) =>
        string.Create(CultureInfo.InvariantCulture, $"{from.DistanceTo(to):0} blocks {Compass.FromDirection(to.X - from.X, to.Z - from.Z)}");
}
