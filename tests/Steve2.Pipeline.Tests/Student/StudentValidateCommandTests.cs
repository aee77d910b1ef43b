using System.Text.Json;
using Steve2.Pipeline.Student.Inference;
using Steve2.Pipeline.Tests.Cli;
using Steve2.Pipeline.Tests.Trajectories;

namespace Steve2.Pipeline.Tests.Student;

/// <summary>
/// <c>steve2 student-validate</c>: the per-role table for a checkpoint on any recordings' held-out seeds, and with
/// <c>--answers</c> one JSON line per decision whose <c>exact</c> agrees with its two answers. Catches: answers not written,
/// an exact flag that does not compare the texts, held-out seeds not used, a folder without held-out seeds accepted.
/// </summary>
[Collection(StudentCollection.Name)]
public sealed class StudentValidateCommandTests
{
    [Fact]
    public async Task It_prints_the_roles_figures_and_writes_every_answer_beside_the_teachers()
    {
        using var folder = new TestFolder();
        string data = folder.Sub("data"), answers = folder.Sub("answers.jsonl");
        await StudentTestData.RecordAsync(data, "exploration", 1_000_009, null, budget: 4);
        await StudentTestData.RecordAsync(data, "exploration", 1_000_010, null, budget: 4);   // training seed: not used

        var run = await CliRun.RunAsync("student-validate", "--student", StudentAgentOptions.ShippedCheckpoint, "--data", data,
            "--limit", "0", "--answers", answers, "--device", "cpu");

        Assert.True(run.ExitCode == 0, run.Error + run.Output);
        Assert.Contains("conductor", run.Output);
        Assert.Contains("actor", run.Output);
        var lines = File.ReadAllLines(answers).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.NotEmpty(lines);
        Assert.Contains($"on {lines.Count} held-out decisions of {lines.Count}", run.Output);
        foreach (var line in lines)
        {
            Assert.Equal(1_000_009, line.GetProperty("seed").GetInt32());
            Assert.Equal(line.GetProperty("teacher").GetString() == line.GetProperty("student").GetString(), line.GetProperty("exact").GetBoolean());
            Assert.False(string.IsNullOrEmpty(line.GetProperty("state").GetString()));
        }
    }

    [Fact]
    public async Task Recordings_without_held_out_seeds_are_refused_with_a_message()
    {
        using var folder = new TestFolder();
        string data = folder.Sub("data");
        await StudentTestData.RecordAsync(data, "exploration", 1_000_010, null, budget: 2);
        var run = await CliRun.RunAsync("student-validate", "--student", StudentAgentOptions.ShippedCheckpoint, "--data", data, "--device", "cpu");
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("held-out", run.Error);
    }
}
