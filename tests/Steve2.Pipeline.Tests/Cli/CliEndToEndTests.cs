using System.Text.Json;
using Steve2.Pipeline.Cli;
using Steve2.Pipeline.Evaluation;
using Steve2.Pipeline.Tests.Trajectories;
using Steve2.Pipeline.Trajectories;

namespace Steve2.Pipeline.Tests.Cli;

/// <summary>The real world, tasks and teacher through the command line, on a tiny budget; the experts started in process.</summary>
public sealed class CliEndToEndTests
{
    [Fact]
    public async Task Eval_runs_both_teachers_with_in_process_experts_and_writes_the_report_and_trajectories()
    {
        using var folder = new TestFolder();
        string output = folder.Sub("eval"), record = folder.Sub("traj");

        CliRun run = await CliRun.RunAsync("eval", "--agents", "teacher,teacher-no-expert", "--tasks", "exploration,collection",
            "--seeds", "0", "--max-iterations", "4", "--parallel", "2", "--output", output, "--record", record);

        Assert.True(run.ExitCode == CliApp.Ok, run.Output + run.Error);
        Assert.Contains("starting the expert host in process", run.Output);
        Assert.Contains("iteration budgets capped at 4", run.Output);
        foreach (string file in new[] { "results.md", "results.csv", "results.json", "plots/exploration.png", "plots/collection.png" })
            Assert.True(File.Exists(Path.Combine(output, file)), file);
        Assert.Empty(Directory.EnumerateFiles(output, "*.tmp", SearchOption.AllDirectories));

        using JsonDocument json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(output, "results.json")));
        JsonElement episodes = json.RootElement.GetProperty("episodes");
        Assert.Equal(4, episodes.GetArrayLength());
        foreach (JsonElement e in episodes.EnumerateArray())
        {
            Assert.Equal(JsonValueKind.Null, e.GetProperty("error").ValueKind);
            Assert.InRange(e.GetProperty("iterations").GetInt32(), 1, 4);
        }
        Assert.StartsWith("in process (http://127.0.0.1:", json.RootElement.GetProperty("run").GetProperty("expert_host").GetString());

        List<RecordedEpisode> recorded = new TrajectoryReader(record).Episodes().ToList();
        Assert.Equal(4, recorded.Count);
        Assert.All(recorded, e => Assert.Equal(TrajectoryFormat.EvaluationSplit, e.Manifest.Split));
        RecordedEpisode withExperts = recorded.Single(e => e.Manifest is { Task: "exploration", Agent: AgentCatalog.Teacher });
        RecordedEpisode without = recorded.Single(e => e.Manifest is { Task: "exploration", Agent: AgentCatalog.TeacherNoExpert });
        Assert.NotEmpty(withExperts.ReadExpertContexts());   // the teacher used the dynamic map...
        Assert.Empty(without.ReadExpertContexts());          // ...the ablation did not
        Assert.Contains(withExperts.ReadSteps(), s => s.Role == "actor" && s.Code is not null);
    }

    [Fact]
    public async Task Record_writes_training_episodes_and_resumes_without_playing_them_again()
    {
        using var folder = new TestFolder();
        string[] args = ["record", "--agents", "teacher-no-expert", "--tasks", "collection", "--seeds", "1000000", "--output", folder.Path];

        CliRun first = await CliRun.RunAsync(args);
        CliRun again = await CliRun.RunAsync(args);

        Assert.True(first.ExitCode == CliApp.Ok, first.Output + first.Error);
        Assert.Contains("recorded 1 episodes", first.Output);
        Assert.Equal(CliApp.Ok, again.ExitCode);
        Assert.Contains("recorded 0 episodes", again.Output);
        Assert.Contains("1 were already complete", again.Output);
        RecordedEpisode episode = Assert.Single(new TrajectoryReader(folder.Path).Episodes());
        Assert.Equal((1_000_000, "collection", "training"), (episode.Manifest.Seed, episode.Manifest.Task, episode.Manifest.Split));
        Assert.Equal(episode.Manifest.Steps, episode.ReadSteps().Count());
    }
}
