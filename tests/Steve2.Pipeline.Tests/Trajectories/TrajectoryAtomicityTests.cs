using Steve2.Pipeline.Agents;
using Steve2.Pipeline.Tasks;
using Steve2.Pipeline.Trajectories;

namespace Steve2.Pipeline.Tests.Trajectories;

/// <summary>An episode is either complete on disk or invisible to readers.</summary>
public sealed class TrajectoryAtomicityTests
{
    [Fact]
    public void An_episode_being_written_is_invisible_then_appears_complete()
    {
        using var folder = new TestFolder();
        TaskGoal goal = TrajectorySamples.Goal();
        using var writer = TrajectoryWriter.Begin(folder.Path, "teacher", TrajectoryFormat.TrainingSplit, goal);
        foreach (StepRecord step in TrajectorySamples.Steps()) writer.Record(step);

        var reader = new TrajectoryReader(folder.Path);
        Assert.Empty(reader.Episodes());
        Assert.Equal(writer.EpisodeDirectory + TrajectoryFormat.PartialSuffix, Assert.Single(reader.PartialEpisodes()));

        writer.Complete(TrajectorySamples.Result(goal));

        Assert.Empty(reader.PartialEpisodes());
        Assert.Equal(4, Assert.Single(reader.Episodes()).ReadSteps().Count());
    }

    [Fact]
    public void An_episode_disposed_without_completing_leaves_nothing()
    {
        using var folder = new TestFolder();
        using (var writer = TrajectoryWriter.Begin(folder.Path, "teacher", TrajectoryFormat.TrainingSplit, TrajectorySamples.Goal()))
        {
            writer.Record(TrajectorySamples.Steps()[0]);
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(folder.Path, "collection")));
    }

    [Fact]
    public void A_partial_folder_left_by_a_crash_is_skipped_and_replaced_by_the_next_recording()
    {
        using var folder = new TestFolder();
        // What a killed process leaves: a partial folder with a torn last line.
        var crashed = TrajectoryWriter.Begin(folder.Path, "teacher", TrajectoryFormat.TrainingSplit, TrajectorySamples.Goal());
        crashed.Record(TrajectorySamples.Steps()[0]);
        string partial = crashed.EpisodeDirectory + TrajectoryFormat.PartialSuffix;
        File.AppendAllText(Path.Combine(partial, TrajectoryFormat.StepsFile), "{\"step\": 1, \"ite");
        var reader = new TrajectoryReader(folder.Path);
        Assert.Empty(reader.Episodes());
        Assert.Single(reader.PartialEpisodes());

        string complete = TrajectorySamples.RecordSample(folder.Path);

        Assert.False(Directory.Exists(partial));
        Assert.Equal(complete, Assert.Single(reader.Episodes()).Directory);
        Assert.Equal(4, reader.Episodes().Single().ReadSteps().Count());
    }

    [Fact]
    public void A_complete_episode_is_never_overwritten()
    {
        using var folder = new TestFolder();
        string complete = TrajectorySamples.RecordSample(folder.Path);

        var e = Assert.Throws<InvalidOperationException>(() => TrajectoryWriter.Begin(folder.Path, "teacher", TrajectoryFormat.TrainingSplit, TrajectorySamples.Goal()));

        Assert.Contains("already recorded", e.Message);
        Assert.Equal(4, RecordedEpisode.Open(complete).ReadSteps().Count());
    }

    [Fact]
    public void A_step_with_an_unknown_role_is_refused_before_it_is_written()
    {
        using var folder = new TestFolder();
        using var writer = TrajectoryWriter.Begin(folder.Path, "teacher", TrajectoryFormat.TrainingSplit, TrajectorySamples.Goal());
        StepRecord bad = TrajectorySamples.Steps()[0] with { Role = "critic" };

        Assert.Throws<ArgumentException>(() => writer.Record(bad));
        Assert.Equal(0, writer.StepCount);
    }
}
