namespace Steve2.Pipeline.Environment;

/// <summary>What an action handler reports before the world ticks and the agent observes.</summary>
internal sealed record ActionResult(bool Success, string Message, int Moved = 0, IReadOnlyDictionary<string, int>? GainedItems = null)
{
    private static readonly IReadOnlyDictionary<string, int> Nothing = new Dictionary<string, int>();

    public IReadOnlyDictionary<string, int> Gained => GainedItems ?? Nothing;
}
