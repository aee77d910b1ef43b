namespace Steve2.Pipeline.Teacher.Memory;

/// <summary>What a memory entry holds: a describer's text, a step of a trajectory, or a critic's correction.</summary>
public enum MemoryKind { Description, Trajectory, Correction }

/// <summary>One entry of the teacher's shared memory.</summary>
public sealed record MemoryEntry(int Tick, MemoryKind Kind, string Role, int AgentId, string Text);
