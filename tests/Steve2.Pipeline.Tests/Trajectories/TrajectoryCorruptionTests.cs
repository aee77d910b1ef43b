using Steve2.Pipeline.Trajectories;

namespace Steve2.Pipeline.Tests.Trajectories;

/// <summary>Damaged files are named, with the line, and the message says what to do.</summary>
public sealed class TrajectoryCorruptionTests
{
    [Fact]
    public void A_torn_line_names_the_file_and_line_after_the_good_steps_were_streamed()
    {
        using var folder = new TestFolder();
        string episodeFolder = TrajectorySamples.RecordSample(folder.Path);
        string steps = Path.Combine(episodeFolder, TrajectoryFormat.StepsFile);
        string[] lines = File.ReadAllLines(steps);
        lines[2] = lines[2][..(lines[2].Length / 2)];
        File.WriteAllLines(steps, lines);

        using IEnumerator<TrajectoryStep> reading = RecordedEpisode.Open(episodeFolder).ReadSteps().GetEnumerator();
        Assert.True(reading.MoveNext());
        Assert.True(reading.MoveNext());
        var e = Assert.Throws<TrajectoryFormatException>(() => reading.MoveNext());

        Assert.Equal(steps, e.File);
        Assert.Equal(3, e.Line);
        Assert.Contains($"{steps}:3", e.Message);
        Assert.Contains("Delete the episode folder", e.Message);
        Assert.Contains("steve2 record", e.Message);
    }

    [Theory]
    [InlineData("\"role\":\"actor\"", "\"role\":\"critic\"", "role 'critic'")]
    [InlineData("\"step\":3", "\"step\":7", "step 7 where step 3")]
    [InlineData("\"instruction\":\"explore\",", "", "not a valid record")]
    [InlineData("\"image\":\"images/000001.png\"", "\"image\":\"../../secret.png\"", "not a path inside the episode folder")]
    public void A_line_that_breaks_a_rule_is_refused_with_its_line(string find, string replace, string expected)
    {
        using var folder = new TestFolder();
        string episodeFolder = TrajectorySamples.RecordSample(folder.Path);
        string steps = Path.Combine(episodeFolder, TrajectoryFormat.StepsFile);
        string text = File.ReadAllText(steps);
        int last = text.LastIndexOf(find, StringComparison.Ordinal);
        Assert.True(last >= 0, $"the sample has no {find}");
        File.WriteAllText(steps, text[..last] + replace + text[(last + find.Length)..]);

        var e = Assert.Throws<TrajectoryFormatException>(() => RecordedEpisode.Open(episodeFolder).ReadSteps().ToList());

        Assert.Equal(4, e.Line);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void A_missing_image_a_lost_line_and_a_bad_manifest_are_each_reported()
    {
        using var folder = new TestFolder();
        string episodeFolder = TrajectorySamples.RecordSample(folder.Path);
        string steps = Path.Combine(episodeFolder, TrajectoryFormat.StepsFile);
        string manifest = Path.Combine(episodeFolder, TrajectoryFormat.ManifestFile);

        File.Delete(Path.Combine(episodeFolder, "images", "000001.png"));
        Assert.Contains("images/000001.png it names is missing",
            Assert.Throws<TrajectoryFormatException>(() => RecordedEpisode.Open(episodeFolder).ReadSteps().ToList()).Message);

        File.WriteAllLines(steps, File.ReadAllLines(steps)[..3]);
        var lost = Assert.Throws<TrajectoryFormatException>(() => RecordedEpisode.Open(episodeFolder).ReadSteps().ToList());
        Assert.Contains("has 3 steps but the manifest says 4", lost.Message);

        string current = $"\"format_version\": {TrajectoryFormat.Version}";
        string written = File.ReadAllText(manifest);
        Assert.Contains(current, written);
        File.WriteAllText(manifest, written.Replace(current, "\"format_version\": 9"));
        Assert.Contains("format version 9", Assert.Throws<TrajectoryFormatException>(() => RecordedEpisode.Open(episodeFolder)).Message);
        // An episode of format 1 (before steps carried their decisions' facts) is refused with what to do.
        File.WriteAllText(manifest, written.Replace(current, "\"format_version\": 1"));
        string old = Assert.Throws<TrajectoryFormatException>(() => RecordedEpisode.Open(episodeFolder)).Message;
        Assert.Contains("format version 1", old);
        Assert.Contains("record the episode again with `steve2 record`", old);

        File.WriteAllText(manifest, "{\"format_version\": 1, \"task\": \"collection\"}");
        var truncated = Assert.Throws<TrajectoryFormatException>(() => RecordedEpisode.Open(episodeFolder));
        Assert.Equal(manifest, truncated.File);
        Assert.Contains("manifest is not valid", truncated.Message);

        File.Delete(manifest);
        Assert.Contains("has no manifest", Assert.Throws<TrajectoryFormatException>(() => new TrajectoryReader(folder.Path).Episodes().ToList()).Message);
    }

    [Fact]
    public void A_damaged_png_and_a_damaged_expert_file_are_reported()
    {
        using var folder = new TestFolder();
        string episodeFolder = TrajectorySamples.RecordSample(folder.Path);
        File.WriteAllBytes(Path.Combine(episodeFolder, "images", "000000.png"), [1, 2, 3]);
        File.WriteAllText(Path.Combine(episodeFolder, TrajectoryFormat.ExpertContextFile), "{\"step\": 99, \"text\": \"x\", \"images\": [], \"facts\": null}\n");
        RecordedEpisode episode = RecordedEpisode.Open(episodeFolder);

        Assert.Contains("not a readable PNG", Assert.Throws<TrajectoryFormatException>(() => episode.LoadImage("images/000000.png")).Message);
        var png = Assert.Throws<TrajectoryFormatException>(() => episode.LoadImage("expert/images/000009.png"));
        Assert.Contains($"Delete the episode folder {episodeFolder} and", png.Message);
        var expert = Assert.Throws<TrajectoryFormatException>(() => episode.ReadExpertContexts().ToList());
        Assert.Contains($"Delete the episode folder {episodeFolder} and", expert.Message);
        Assert.Equal(1, expert.Line);
        Assert.Contains("past the episode's 4 steps", expert.Message);
    }

    [Fact]
    public void A_missing_root_says_how_to_make_one()
    {
        using var folder = new TestFolder();
        var e = Assert.Throws<DirectoryNotFoundException>(() => new TrajectoryReader(folder.Sub("nothing-here")));
        Assert.Contains("steve2 record", e.Message);
    }
}
