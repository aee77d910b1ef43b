using System.Net;
using System.Net.Sockets;
using Steve2.Pipeline.Cli;
using Steve2.Pipeline.Tests.Trajectories;
using Steve2.Pipeline.Trajectories;

namespace Steve2.Pipeline.Tests.Cli;

/// <summary>Bad input: one clear line on standard error, exit code 1, nothing written.</summary>
public sealed class CliBadInputTests
{
    [Theory]
    [InlineData("eval --agents teacher,bogus", "unknown agent 'bogus'. Agents: teacher, teacher-no-expert, student.")]
    [InlineData("eval --tasks collection,nope", "unknown task 'nope'. Tasks: object-search, block-search, exploration, collection, creation, creation-materials (or all: the first five).")]
    [InlineData("eval --tasks collection --seeds 250", "seed 250 is not an evaluation seed of collection: its evaluation seeds are 0-99")]
    [InlineData("eval --tasks collection --seeds 1000000", "seed 1000000 is not an evaluation seed of collection")]
    [InlineData("eval --tasks collection --seeds 4-1", "the range 4-1 runs backwards")]
    [InlineData("eval --tasks collection --seeds x", "'x' is not a seed")]
    [InlineData("eval --tasks collection --seeds 0 --parallel 0", "--parallel N")]
    [InlineData("eval --agents student --student-retries 11 --tasks collection --seeds 0", "The student's retries must be in 0..10 (got 11)")]
    [InlineData("record --tasks collection --seeds 3", "seed 3 is an evaluation seed of collection: training data never uses evaluation seeds")]
    [InlineData("record --tasks collection --seeds 500", "seed 500 is out of collection's training range")]
    [InlineData("record --agents nobody --seeds 1000000", "unknown agent 'nobody'")]
    [InlineData("experiment --profile huge", "Unknown profile 'huge': one of quick, full, tiny.")]
    [InlineData("dagger --reference /nonexistent.ckpt --schedule cosine", "Unknown beta schedule 'cosine'")]
    [InlineData("dagger --reference /nonexistent.ckpt --teacher student", "--teacher student: the labelling teacher is teacher or teacher-no-expert.")]
    [InlineData("dagger --reference /nonexistent.ckpt", "--reference: no checkpoint at /nonexistent.ckpt")]
    [InlineData("train-dpo --pairs /nonexistent --reference /nonexistent.ckpt", "--reference: no checkpoint at /nonexistent.ckpt")]
    public async Task Refuses_with_one_line_and_writes_nothing(string command, string expected)
    {
        using var folder = new TestFolder();
        string output = folder.Sub("out");

        CliRun run = await CliRun.RunAsync([.. command.Split(' '), "--output", output]);

        Assert.Equal(CliApp.BadInput, run.ExitCode);
        Assert.StartsWith("error: ", run.Error);
        Assert.Contains(expected, run.Error);
        Assert.Single(run.Error.TrimEnd().Split('\n'));
        Assert.False(Directory.Exists(output));
    }

    /// <summary>Catches: a file of the wrong kind or an older dataset version ending the process with a stack trace.</summary>
    [Fact]
    public async Task A_file_that_is_not_a_student_dataset_is_one_line()
    {
        using var folder = new TestFolder();
        string notDataset = folder.Sub("dataset.bin");
        await File.WriteAllTextAsync(notDataset, "not a dataset at all");

        string student = await Student.StudentTestData.UntrainedCheckpointAsync(folder.Sub("student.ckpt"));

        CliRun run = await CliRun.RunAsync("student-bench", "--student", student, "--dataset", notDataset, "--calls", "1");

        Assert.Equal(CliApp.BadInput, run.ExitCode);
        Assert.Equal($"error: {notDataset} is not a student dataset.", run.Error.TrimEnd());
    }

    [Fact]
    public async Task An_unreachable_expert_host_says_how_to_start_one_and_writes_nothing()
    {
        using var folder = new TestFolder();
        string address = $"http://127.0.0.1:{FreePort()}";

        CliRun run = await CliRun.RunAsync("eval", "--agents", "teacher", "--tasks", "collection", "--seeds", "0",
            "--experts", address, "--output", folder.Sub("out"), "--record", folder.Sub("traj"));

        Assert.Equal(CliApp.BadInput, run.ExitCode);
        Assert.Contains($"error: no expert host answers at {address}", run.Error);
        Assert.Contains("dotnet run --project src/Expert.Host -c Release", run.Error);
        Assert.False(Directory.Exists(folder.Sub("out")));
        Assert.False(Directory.Exists(folder.Sub("traj")));
    }

    [Fact]
    public async Task Eval_never_records_over_existing_episodes()
    {
        using var folder = new TestFolder();
        TrajectorySamples.RecordSample(folder.Sub("traj"), agent: "teacher-no-expert", seed: 3);
        Assert.True(Directory.Exists(TrajectoryFormat.EpisodeFolder(folder.Sub("traj"), "collection", 3, "teacher-no-expert")));

        CliRun run = await CliRun.RunAsync("eval", "--agents", "teacher-no-expert", "--tasks", "collection", "--seeds", "3",
            "--output", folder.Sub("out"), "--record", folder.Sub("traj"));

        Assert.Equal(CliApp.BadInput, run.ExitCode);
        Assert.Contains("already holds", run.Error);
        Assert.False(Directory.Exists(folder.Sub("out")));
    }

    [Fact]
    public async Task Inspect_names_the_corrupt_file_and_line()
    {
        using var folder = new TestFolder();
        string episode = TrajectorySamples.RecordSample(folder.Path);
        string steps = Path.Combine(episode, TrajectoryFormat.StepsFile);
        string[] lines = File.ReadAllLines(steps);
        lines[1] = "{\"step\": 1, \"iteration\": ";
        File.WriteAllLines(steps, lines);

        CliRun run = await CliRun.RunAsync("trajectories", "inspect", folder.Path);

        Assert.Equal(CliApp.BadInput, run.ExitCode);
        Assert.Contains($"error: corrupt trajectory {steps}:2", run.Error);
        Assert.Contains("record it again", run.Error);
    }

    [Fact]
    public async Task Inspect_of_a_missing_folder_says_how_to_record_one()
    {
        using var folder = new TestFolder();
        CliRun run = await CliRun.RunAsync("trajectories", "inspect", folder.Sub("none"));

        Assert.Equal(CliApp.BadInput, run.ExitCode);
        Assert.Contains("there are no trajectories at", run.Error);
    }

    [Fact]
    public async Task Inspect_counts_episodes_and_shows_a_sample_without_expert_context()
    {
        using var folder = new TestFolder();
        TrajectorySamples.RecordSample(folder.Path, seed: 100_001);
        TrajectorySamples.RecordSample(folder.Path, seed: 100_002);

        CliRun run = await CliRun.RunAsync("trajectories", "inspect", folder.Path, "--sample", "3");

        Assert.Equal(CliApp.Ok, run.ExitCode);
        // The line starts with the folder's full path, and the console wraps at 160 columns: where the
        // checkout lies decides where the line breaks (a checkout in /work/wt-tests-mechanics broke it
        // inside this phrase), so compare with the breaks taken out.
        Assert.Contains("2 complete episodes, 0 unfinished", System.Text.RegularExpressions.Regex.Replace(run.Output, @"\s+", " "));
        Assert.Contains("step 2 [actor] agent 0", run.Output);
        Assert.Contains("collect(\"oak_log\", 3)", run.Output);
        Assert.DoesNotContain("EXPERT-ONLY", run.Output);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
