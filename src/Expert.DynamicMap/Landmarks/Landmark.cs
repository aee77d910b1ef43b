using Expert.DynamicMap.Geometry;

namespace Expert.DynamicMap.Landmarks;

/// <summary>
/// A tracked entity or object: detections of the same kind near each other are one landmark.
/// <see cref="Position"/> is where the detection with the latest tick put it. <see cref="DetectionConfidence"/>
/// combines the detections' confidences (1 - Π(1 - cᵢ)); <see cref="ConfidenceAt"/> also decays it with the
/// time since the landmark was last seen.
/// </summary>
public sealed record Landmark(
    long Id,
    string Kind,
    string? Label,
    Vec3 Position,
    long FirstTick,
    long LastTick,
    int Sightings,
    double DetectionConfidence,
    string LastAgentId)
{
    /// <summary>The label when named, else "kind#id".</summary>
    public string DisplayName => Label ?? $"{Kind}#{Id}";

    /// <summary>Confidence that the landmark is still there at <paramref name="now"/> (halves every <paramref name="halfLifeTicks"/>).</summary>
    public double ConfidenceAt(long now, double halfLifeTicks)
    {
        double age = Math.Max(0, now - LastTick);
        return DetectionConfidence * Math.Pow(0.5, age / Math.Max(1, halfLifeTicks));
    }
}
