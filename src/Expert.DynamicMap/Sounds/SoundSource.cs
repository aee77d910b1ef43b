using Expert.DynamicMap.Geometry;

namespace Expert.DynamicMap.Sounds;

/// <summary>A direction-only hearing: a ray from the listener's eye, in world coordinates.</summary>
public readonly record struct Bearing(Vec3 Origin, Vec3 Direction, long Tick, float Volume, string AgentId);

/// <summary>
/// A sound source. When <see cref="Located"/>, <see cref="Position"/> is its estimate and
/// <see cref="Uncertainty"/> the radius (blocks, about 95%) of the horizontal error; positioned
/// hearings give 0.5 (one cell). When not located (a single bearing, or bearings too parallel),
/// <see cref="Position"/> is the listener and <see cref="Direction"/> the way the sound came from.
/// </summary>
public sealed record SoundSource(
    long Id,
    string Name,
    Vec3 Position,
    double Uncertainty,
    bool Located,
    Vec3? Direction,
    int Hearings,
    int BearingsUsed,
    long FirstTick,
    long LastTick,
    float LastVolume);

/// <summary>A least-squares fix of bearings: the point nearest all rays, and how sure it is.</summary>
public sealed record BearingFix(Vec3 Position, double Uncertainty, double RmsResidual, int Count);
