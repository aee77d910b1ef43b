using SkiaSharp;
using Steve2.Pipeline.Cli;
using Steve2.Pipeline.Play;
using Steve2.Pipeline.Tests.Trajectories;
using Steve2.Pipeline.Trajectories;

namespace Steve2.Pipeline.Tests.Cli;

/// <summary>`steve2 play` end to end: the real world, task and no-expert teacher on a tiny budget; and its refusals.</summary>
public sealed class PlayCommandTests
{
    [Fact]
    public async Task Play_object_search_writes_the_trajectory_a_replay_frame_per_iteration_and_the_result_picture()
    {
        using var folder = new TestFolder();
        string output = folder.Sub("play");

        CliRun run = await CliRun.RunAsync("play", "--agent", "teacher-no-expert", "--task", "object-search", "--seed", "7", "--target", "cow",
            "--max-iterations", "3", "--output", output);

        Assert.True(run.ExitCode == CliApp.Ok, run.Output + run.Error);
        Assert.Contains("an evaluation seed: playing it is not an evaluation", run.Output);
        Assert.Contains("goal: Find a cow", run.Output);
        RecordedEpisode episode = new TrajectoryReader(Path.Combine(output, "trajectory")).Episodes().Single();
        Assert.Equal("cow", episode.Manifest.Goal.TargetName);
        Assert.Equal(TrajectoryFormat.EvaluationSplit, episode.Manifest.Split);
        int iterations = episode.Manifest.Result.Iterations;
        Assert.InRange(iterations, 1, 3);
        Assert.Contains(episode.ReadSteps(), s => s.Role == "actor" && s.Code is not null);

        byte[] replay = File.ReadAllBytes(Path.Combine(output, "replay.png"));
        Assert.Equal((iterations, iterations), ApngWriter.FrameCounts(replay));
        using (SKBitmap first = SKBitmap.Decode(replay))
        {
            Assert.NotNull(first);
            Assert.Equal(2 * 64 * PlayPictures.Scale, first.Width);   // the 64x64 view beside the 64-block map, both scaled
        }
        using SKBitmap result = SKBitmap.Decode(Path.Combine(output, "result.png"));
        Assert.NotNull(result);
    }

    [Fact]
    public async Task Play_creation_with_a_description_builds_it_unscored_and_shows_the_built_region()
    {
        using var folder = new TestFolder();
        string output = folder.Sub("play");

        CliRun run = await CliRun.RunAsync("play", "--agent", "teacher-no-expert", "--task", "creation", "--seed", "1000003",
            "--description", "a small stone tower, 5 blocks wide and 8 blocks tall", "--max-iterations", "4", "--output", output);

        Assert.True(run.ExitCode == CliApp.Ok, run.Output + run.Error);
        Assert.Contains("a training seed", run.Output);
        Assert.Contains("no score", run.Output);
        RecordedEpisode episode = new TrajectoryReader(Path.Combine(output, "trajectory")).Episodes().Single();
        Assert.Equal("a small stone tower, 5 blocks wide and 8 blocks tall", episode.Manifest.Goal.BuildingDescription);
        Assert.Equal("stone", episode.Manifest.Goal.BuildMaterial);
        Assert.False(episode.Manifest.Result.Success);
        byte[] replay = File.ReadAllBytes(Path.Combine(output, "replay.png"));
        Assert.Equal(episode.Manifest.Result.Iterations, ApngWriter.FrameCounts(replay).Declared);
        using SKBitmap result = SKBitmap.Decode(Path.Combine(output, "result.png"));
        Assert.NotNull(result);
    }

    [Theory]
    [InlineData("unknown task 'flying'", "--agent", "teacher-no-expert", "--task", "flying", "--seed", "0")]
    [InlineData("unknown agent 'wizard'", "--agent", "wizard", "--task", "creation", "--seed", "0")]
    [InlineData("--description is for the creation task, not exploration", "--agent", "teacher-no-expert", "--task", "exploration", "--seed", "0", "--description", "a hut")]
    [InlineData("--target is for the object-search task, not creation", "--agent", "teacher-no-expert", "--task", "creation", "--seed", "0", "--target", "cow")]
    [InlineData("takes evaluation seeds 0..99 or training seeds >= 1000000", "--agent", "teacher-no-expert", "--task", "exploration", "--seed", "5000")]
    [InlineData("unknown target 'dragon'", "--agent", "teacher-no-expert", "--task", "object-search", "--seed", "0", "--target", "dragon")]
    public async Task Play_refuses_bad_input_with_one_clear_line_and_writes_nothing(string message, params string[] args)
    {
        using var folder = new TestFolder();
        string output = folder.Sub("play");

        CliRun run = await CliRun.RunAsync(["play", .. args, "--output", output]);

        Assert.Equal(CliApp.BadInput, run.ExitCode);
        Assert.Contains(message, run.Error);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void Apng_of_frames_declares_and_holds_one_control_per_frame_and_refuses_mixed_sizes()
    {
        byte[] Frame(int w, byte shade) => Steve2.Pipeline.World.WorldPictures.EncodePng(new Steve2.Pipeline.Environment.RgbImage(w, 4, Enumerable.Repeat(shade, w * 4 * 3).ToArray()));
        byte[] apng = ApngWriter.Encode([Frame(4, 10), Frame(4, 200), Frame(4, 90)], delayMs: 100);
        Assert.Equal((3, 3), ApngWriter.FrameCounts(apng));
        using SKBitmap first = SKBitmap.Decode(apng);
        Assert.Equal(10, first.GetPixel(0, 0).Red);
        Assert.Throws<ArgumentException>(() => ApngWriter.Encode([Frame(4, 1), Frame(5, 1)], 100));
    }
}
