using System.Text.RegularExpressions;

namespace Steve2.Pipeline.Tests.Cli;

/// <summary>`steve2 iteration-bench`: one line per agent and task with the agent-iterations it timed, then the agent's summary.</summary>
public sealed class IterationBenchCommandTests
{
    [Fact]
    public async Task It_times_every_agent_iteration_after_the_first_and_reports_memory()
    {
        CliRun run = await CliRun.RunAsync("iteration-bench", "--agents", "teacher-no-expert", "--tasks", "exploration,collection", "--seeds", "0", "--max-iterations", "4");
        Assert.True(run.ExitCode == 0, run.Error);
        var lines = run.Output.Split('\n');
        foreach (string task in new[] { "exploration", "collection" })
        {
            string line = Assert.Single(lines, l => l.StartsWith("  teacher-no-expert", StringComparison.Ordinal) && l.Contains(task));
            Assert.Matches(@"p50 [\d.]+ ms, p95 [\d.]+ ms, mean [\d.]+ ms \(3 agent-iterations\)", line);   // 4 iterations, the first apart
        }
        string summary = Assert.Single(lines, l => l.StartsWith("teacher-no-expert: all tasks", StringComparison.Ordinal));
        Assert.Contains("(6 agent-iterations)", summary);
        Assert.Matches(new Regex(@"RSS now \d+ MB, process peak so far \d+ MB"), summary);
    }
}
