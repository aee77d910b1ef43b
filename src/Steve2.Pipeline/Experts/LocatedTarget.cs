using Steve2.Pipeline.Environment;

namespace Steve2.Pipeline.Experts;

/// <summary>
/// A landmark or sound source of the dynamic map that matches a name. When <see cref="Located"/> is false
/// (a sound heard only as a bearing), <see cref="Position"/> is the listener and <see cref="Direction"/> the
/// 16-point compass way the sound came from.
/// </summary>
public sealed record LocatedTarget(string Kind, string Name, Vec3 Position, bool Located, double Uncertainty, double Confidence, double? Distance, string Direction);
