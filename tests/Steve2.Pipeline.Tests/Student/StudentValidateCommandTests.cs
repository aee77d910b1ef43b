using System.Globalization;
using System.Text.Json;
using Steve2.Pipeline.Cli;
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

        // The per-kind rows: one per role and kind of the teacher's answer, their decisions and exact share as the answers say.
        var rows = run.Output.Split('\n').SkipWhile(l => !l.StartsWith("by the teacher's answer kind", StringComparison.Ordinal)).Skip(1)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(p => p.Length == 5).ToList();
        var expected = lines.GroupBy(l => (Role: l.GetProperty("role").GetString()!, Kind: StudentValidateCommand.AnswerKind(l.GetProperty("teacher").GetString()!))).ToList();
        Assert.Equal(expected.Count, rows.Count);
        foreach (var group in expected)
        {
            var row = rows.Single(r => r[0] == group.Key.Role && r[1] == group.Key.Kind);
            Assert.Equal(group.Count(), int.Parse(row[2], CultureInfo.InvariantCulture));
            double exact = group.Count(l => l.GetProperty("exact").GetBoolean()) / (double)group.Count();
            Assert.InRange(double.Parse(row[3], CultureInfo.InvariantCulture), exact - 0.0006, exact + 0.0006);   // printed with 3 decimals
        }
    }

    [Theory]
    [InlineData("explore north", "explore")]
    [InlineData("moveTo(1, 2, 3)", "moveTo")]
    [InlineData("place_box 1", "place_box")]
    [InlineData("  craft stick 1", "craft")]
    [InlineData("", "(other)")]
    [InlineData("42", "(other)")]
    public void An_answers_kind_is_its_leading_word(string answer, string kind) => Assert.Equal(kind, StudentValidateCommand.AnswerKind(answer));

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
