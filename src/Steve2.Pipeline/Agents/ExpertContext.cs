using Steve2.Pipeline.Teacher.Decisions;

namespace Steve2.Pipeline.Agents;

/// <summary>
/// Expert output the teacher used (teacher only): text (map description, frontiers, build order summary),
/// images (occupancy renders, map render) as PNG, and the answers as the rules took them (<see cref="Facts"/>).
/// </summary>
public sealed record ExpertContext(string Text, IReadOnlyList<NamedImage> Images, ExpertFacts? Facts = null);
