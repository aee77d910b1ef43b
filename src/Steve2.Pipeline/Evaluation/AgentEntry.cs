using Steve2.Pipeline.Agents;

namespace Steve2.Pipeline.Evaluation;

/// <summary>An agent the harness runs: its stable name and how to make a fresh instance for each episode (agents need not be thread-safe).</summary>
public sealed record AgentEntry(string Name, Func<IAgent> Create);
