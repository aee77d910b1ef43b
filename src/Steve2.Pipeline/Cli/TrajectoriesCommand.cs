using System.CommandLine;
using Spectre.Console;
using Steve2.Pipeline.Teacher.Decisions;
using Steve2.Pipeline.Trajectories;

namespace Steve2.Pipeline.Cli;

/// <summary>
/// <c>steve2 trajectories inspect DIR [--sample N]</c>: checks every recorded episode, counts them, decides every step that
/// carries facts again with the rule backend ("rules agree": the rule teacher's steps must all agree), decides them once more
/// without the expert context ("w/o experts": the share of the teacher's decisions that are a function of the team's own
/// facts alone, which is what a student that never sees the experts can copy exactly), and shows a sample.
/// A recording of an LLM teacher (<c>--teacher-config</c>) also gets the steps a chat model answered and those where the
/// rules took over ("chat / fell back"): its chat steps need not agree with the rules.
/// </summary>
internal static class TrajectoriesCommand
{
    public static Command Create()
    {
        var directory = new Argument<string>("directory") { Description = "A recording folder (written by `steve2 record` or `steve2 eval --record`)." };
        var sample = new Option<int>("--sample") { Description = "Steps of the first episode to show.", DefaultValueFactory = _ => 3 };
        var inspect = new Command("inspect", "Validate every episode (each line and image reference), print counts per task and agent, how many steps the rules decide again to the recorded answer, and a sample.")
        {
            directory, sample,
        };
        inspect.SetAction((parse, cancellationToken) => CliApp.GuardAsync(parse, () =>
        {
            int show = parse.GetValue(sample);
            if (show < 0) throw new ArgumentException($"--sample must not be negative, got {show}.");
            var reader = new TrajectoryReader(parse.GetValue(directory)!);
            IAnsiConsole console = CliApp.Console(parse);

            var table = new Table().AddColumns("task", "agent", "split", "episodes", "successes", "steps", "images", "expert steps", "rules agree", "w/o experts");
            var groups = new SortedDictionary<(string Task, string Agent, string Split), (int Episodes, int Successes, int Steps, int Images, int Expert, int WithFacts, int Agree, int Alone, int Chat, int FellBack)>();
            var byRole = new SortedDictionary<string, (int WithFacts, int Agree, int Alone)>(StringComparer.Ordinal);
            RecordedEpisode? first = null;
            foreach (RecordedEpisode episode in reader.Episodes())
            {
                cancellationToken.ThrowIfCancellationRequested();
                first ??= episode;
                EpisodeManifest m = episode.Manifest;
                var experts = episode.ReadExpertContexts().ToDictionary(c => c.Step); // validates the teacher-only file
                int steps = 0, withFacts = 0, agree = 0, alone = 0, chat = 0, fellBack = 0;
                foreach (TrajectoryStep step in episode.ReadSteps())                    // and every line
                {
                    steps++;
                    if (step.Backend?.StartsWith("chat:", StringComparison.Ordinal) == true) chat++;
                    if (step.Fallback is not null) fellBack++;
                    if (step.Facts is null) continue;
                    withFacts++;
                    TrajectoryExpertContext? context = experts.GetValueOrDefault(step.Step);
                    bool same = RuleReplay.Decide(step, context) == step.ActionText;
                    bool sameAlone = context is null ? same : RuleReplay.Decide(step, null) == step.ActionText;
                    if (same) agree++;
                    if (sameAlone) alone++;
                    var r = byRole.GetValueOrDefault(step.Role);
                    byRole[step.Role] = (r.WithFacts + 1, r.Agree + (same ? 1 : 0), r.Alone + (sameAlone ? 1 : 0));
                }
                var key = (m.Task, m.Agent, m.Split);
                var g = groups.GetValueOrDefault(key);
                groups[key] = (g.Episodes + 1, g.Successes + (m.Result.Success ? 1 : 0), g.Steps + steps, g.Images + m.Images, g.Expert + experts.Count,
                    g.WithFacts + withFacts, g.Agree + agree, g.Alone + alone, g.Chat + chat, g.FellBack + fellBack);
            }
            bool llm = groups.Values.Any(g => g.Chat > 0 || g.FellBack > 0);
            if (llm) table.AddColumn("chat / fell back");
            foreach (((string task, string agent, string split), var g) in groups)
            {
                var cells = new List<string> { Markup.Escape(task), Markup.Escape(agent), Markup.Escape(split), $"{g.Episodes}", $"{g.Successes}", $"{g.Steps}", $"{g.Images}", $"{g.Expert}", $"{g.Agree}/{g.WithFacts}", $"{g.Alone}/{g.WithFacts}" };
                if (llm) cells.Add($"{g.Chat} / {g.FellBack}");
                table.AddRow(cells.ToArray());
            }

            int partial = reader.PartialEpisodes().Count;
            console.MarkupLine(Markup.Escape($"{Path.GetFullPath(reader.Root)}: {groups.Values.Sum(g => g.Episodes)} complete episodes, " +
                                             $"{partial} unfinished (.partial, ignored)"));
            console.Write(table);
            if (byRole.Count > 0)
                console.MarkupLine(Markup.Escape("by role (rules agree, w/o experts): " +
                                                 string.Join(", ", byRole.Select(r => $"{r.Key} {r.Value.Agree}/{r.Value.WithFacts}, {r.Value.Alone}/{r.Value.WithFacts}"))));
            if (first is not null) ShowSample(console, first, show);
            return Task.FromResult(CliApp.Ok);
        }));
        return new Command("trajectories", "Work with recorded trajectories.") { inspect };
    }

    private static void ShowSample(IAnsiConsole console, RecordedEpisode episode, int count)
    {
        EpisodeManifest m = episode.Manifest;
        console.MarkupLine(Markup.Escape($"sample: {episode.Directory}"));
        console.MarkupLine(Markup.Escape($"  goal: {m.Goal.Instruction} (budget {m.Goal.IterationBudget}, {m.Goal.AgentCount} agents)"));
        console.MarkupLine(Markup.Escape($"  result: success {m.Result.Success}, {m.Result.Iterations} iterations; " +
                                         string.Join(", ", m.Result.Metrics.Select(x => $"{x.Key} {x.Value:0.###}"))));
        foreach (TrajectoryStep s in episode.ReadSteps().Take(count))
        {
            console.MarkupLine(Markup.Escape($"  step {s.Step} [{s.Role}{(s.Backend is null or "rules" ? "" : ", " + s.Backend)}] agent {s.AgentId}, iteration {s.Iteration}: {s.Instruction}"));
            if (s.Fallback is not null) console.MarkupLine(Markup.Escape($"      (the rules answered: {s.Fallback})"));
            console.MarkupLine(Markup.Escape($"      -> {s.ActionText}" + (s.Code is null ? "" : $"  `{s.Code}`") +
                                             (s.Outcome is null ? "" : $"  ({(s.Outcome.Success ? "ok" : "failed")}: {s.Outcome.Message})")));
        }
    }
}
