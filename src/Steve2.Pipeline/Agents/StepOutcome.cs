namespace Steve2.Pipeline.Agents;

/// <summary>What an actor's code action did: success, the world's message, items gained.</summary>
public sealed record StepOutcome(bool Success, string Message, IReadOnlyDictionary<string, int> Gained);
