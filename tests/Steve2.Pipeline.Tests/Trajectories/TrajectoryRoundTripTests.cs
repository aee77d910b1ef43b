using Steve2.Pipeline.Agents;
using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Trajectories;

namespace Steve2.Pipeline.Tests.Trajectories;

/// <summary>What the writer records, the reader gives back: student view without the expert context, which is read only on purpose.</summary>
public sealed class TrajectoryRoundTripTests
{
    [Fact]
    public void Steps_images_goal_and_result_round_trip()
    {
        using var folder = new TestFolder();
        string episodeFolder = TrajectorySamples.RecordSample(folder.Path);
        IReadOnlyList<StepRecord> written = TrajectorySamples.Steps();

        RecordedEpisode episode = Assert.Single(new TrajectoryReader(folder.Path).Episodes());
        List<TrajectoryStep> steps = episode.ReadSteps().ToList();

        Assert.Equal(Path.Combine(folder.Path, "collection", "seed-100003-teacher"), episodeFolder);
        Assert.Equal(episodeFolder, episode.Directory);
        EpisodeManifest m = episode.Manifest;
        Assert.Equal((TrajectoryFormat.Version, "collection", 100_003, "teacher", "training"), (m.FormatVersion, m.Task, m.Seed, m.Agent, m.Split));
        Assert.Equal(("collect 3 oak_log", 20, 2, "oak_log"), (m.Goal.Instruction, m.Goal.IterationBudget, m.Goal.AgentCount, m.Goal.TargetName));
        Assert.Equal(3, m.Goal.Materials!["oak_log"]);
        Assert.Equal(new BlockPos(1, 64, -2), m.Goal.BuildSite!.ToBlockPos());
        Assert.True(m.Result.Success);
        Assert.Equal(1.0, m.Result.Metrics["accuracy"]);
        Assert.Equal((4, 2, 1), (m.Steps, m.Images, m.ExpertSteps));
        Assert.Equal(TrajectorySamples.Image(5).Pixels, episode.LoadImage(m.Goal.TargetImage!).Pixels);

        Assert.Equal(written.Count, steps.Count);
        for (int i = 0; i < steps.Count; i++)
        {
            TrajectoryStep s = steps[i];
            StepRecord w = written[i];
            Assert.Equal((i, w.Iteration, w.Role, w.AgentId, w.Instruction, w.StateText, w.ActionText, w.Code?.ToCode()),
                (s.Step, s.Iteration, s.Role, s.AgentId, s.Instruction, s.StateText, s.ActionText, s.Code));
            Assert.Equal(w.Outcome?.Success, s.Outcome?.Success);
            Assert.Equal(w.Outcome?.Message, s.Outcome?.Message);
            Assert.Equal(w.Outcome?.Gained, s.Outcome?.Gained);
            RgbImage image = episode.LoadImage(s.Image);
            Assert.Equal((w.Image.Width, w.Image.Height), (image.Width, image.Height));
            Assert.Equal(w.Image.Pixels, image.Pixels);
        }
        Assert.Equal(steps[0].Image, steps[2].Image); // one picture, stored once
        Assert.Equal("collect(\"oak_log\", 3)", steps[2].Code);
    }

    [Fact]
    public void The_expert_context_is_kept_apart_and_read_only_on_purpose()
    {
        using var folder = new TestFolder();
        string episodeFolder = TrajectorySamples.RecordSample(folder.Path);
        RecordedEpisode episode = new TrajectoryReader(folder.Path).Episodes().Single();

        string studentFiles = File.ReadAllText(Path.Combine(episodeFolder, TrajectoryFormat.StepsFile))
                              + File.ReadAllText(Path.Combine(episodeFolder, TrajectoryFormat.ManifestFile));
        Assert.DoesNotContain("EXPERT-ONLY", studentFiles);
        Assert.DoesNotContain("expert", File.ReadAllText(Path.Combine(episodeFolder, TrajectoryFormat.StepsFile)));
        Assert.DoesNotContain(typeof(TrajectoryStep).GetProperties(), p => p.Name.Contains("Expert", StringComparison.OrdinalIgnoreCase));

        TrajectoryExpertContext context = Assert.Single(episode.ReadExpertContexts());
        Assert.Equal(3, context.Step);
        Assert.Equal(TrajectorySamples.ExpertText, context.Text);
        TrajectoryExpertImage map = Assert.Single(context.Images);
        Assert.Equal("map", map.Name);
        Assert.StartsWith("expert/", map.File);
        Assert.Equal(TrajectorySamples.Image(9, 4, 4).Pixels, episode.LoadImage(map.File).Pixels);
    }

    [Fact]
    public void Episodes_are_enumerated_lazily_in_a_stable_order()
    {
        using var folder = new TestFolder();
        TrajectorySamples.RecordSample(folder.Path, seed: 100_010);
        TrajectorySamples.RecordSample(folder.Path, seed: 100_002);
        TrajectorySamples.RecordSample(folder.Path, agent: "teacher-no-expert", seed: 100_002);
        // A damaged third episode does not stop the first two from being read.
        File.WriteAllText(Path.Combine(folder.Path, "collection", "seed-100010-teacher", TrajectoryFormat.ManifestFile), "{");

        using IEnumerator<RecordedEpisode> episodes = new TrajectoryReader(folder.Path).Episodes().GetEnumerator();
        Assert.True(episodes.MoveNext());
        Assert.Equal((100_002, "teacher"), (episodes.Current.Manifest.Seed, episodes.Current.Manifest.Agent));
        Assert.True(episodes.MoveNext());
        Assert.Equal((100_002, "teacher-no-expert"), (episodes.Current.Manifest.Seed, episodes.Current.Manifest.Agent));
        Assert.Throws<TrajectoryFormatException>(() => episodes.MoveNext());
    }
}
