namespace Steve2.Pipeline.Evaluation;

/// <summary>One episode to play: an agent on a task instance.</summary>
public sealed record EpisodeJob(string Agent, string Task, int Seed)
{
    public override string ToString() => $"{Agent} on {Task} seed {Seed}";
}
