namespace Steve2.Pipeline.Agents;

/// <summary>
/// Something that plays a task: the teacher (with or without the experts), later the student. The agent
/// drives its episode through <see cref="EpisodeContext.StepAsync"/>, which counts iterations and feeds the
/// scorer, and records what it decided through <see cref="EpisodeContext.Recorder"/> (the teacher records
/// every role's step in one place, its apply step); it returns when the context says done.
/// </summary>
public interface IAgent
{
    /// <summary>Stable name: "teacher", "teacher-no-expert", "student".</summary>
    string Name { get; }

    Task RunEpisodeAsync(EpisodeContext episode, CancellationToken cancellationToken);
}
