using System.Collections.Concurrent;
using Spectre.Console;
using Steve2.Pipeline.Evaluation;

namespace Steve2.Pipeline.Cli;

/// <summary>The harness's progress as Spectre.Console bars: one per agent x task, and the failures seen so far.</summary>
internal sealed class SpectreProgress(ProgressContext context) : IEvaluationProgress
{
    private readonly ConcurrentDictionary<(string Agent, string Task), ProgressTask> _bars = new();
    private readonly ConcurrentDictionary<(string Agent, string Task), int> _failures = new();

    public void Planned(IReadOnlyList<EpisodeJob> jobs)
    {
        foreach (IGrouping<(string Agent, string Task), EpisodeJob> group in jobs.GroupBy(j => (j.Agent, j.Task)))
            _bars[group.Key] = context.AddTask(Label(group.Key, 0), maxValue: group.Count());
    }

    public void Finished(EpisodeJob job, EpisodeOutcome outcome)
    {
        var key = (job.Agent, job.Task);
        ProgressTask bar = _bars[key];
        if (outcome.Failed) bar.Description = Label(key, _failures.AddOrUpdate(key, 1, (_, n) => n + 1));
        bar.Increment(1);
    }

    private static string Label((string Agent, string Task) key, int failures) =>
        Markup.Escape($"{key.Agent} · {key.Task}") + (failures > 0 ? $" [red]({failures} failed)[/]" : "");
}
