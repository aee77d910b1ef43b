using Steve2.Pipeline.Student.Data;
using Steve2.Pipeline.Tests.Experts;
using Steve2.Pipeline.Tests.Trajectories;
using Steve2.Pipeline.Trajectories;

namespace Steve2.Pipeline.Tests.Student;

/// <summary>The student's dataset never reads expert/, refuses evaluation episodes and is cached by a fingerprint of what it read.</summary>
[Collection(ExpertHostCollection.Name)]
public sealed class StudentDatasetTests(ExpertHostFixture host)
{
    [Fact]
    public async Task A_dataset_made_from_copies_without_expert_is_byte_identical()
    {
        using var folder = new TestFolder();
        string with = folder.Sub("with"), without = folder.Sub("without");
        await StudentTestData.RecordAsync(with, "creation", 1_000_003, host.Clients, budget: 6);
        await StudentTestData.RecordAsync(with, "exploration", 1_000_003, host.Clients, budget: 6);
        var episodes = new TrajectoryReader(with).Episodes().ToList();
        Assert.Contains(episodes, e => e.Manifest.ExpertSteps > 0 && Directory.Exists(Path.Combine(e.Directory, TrajectoryFormat.ExpertFolder)));
        CopyWithoutExpert(with, without);
        Assert.Empty(Directory.EnumerateDirectories(without, TrajectoryFormat.ExpertFolder, SearchOption.AllDirectories));

        byte[] a = Bytes(StudentDataset.Build(with)), b = Bytes(StudentDataset.Build(without));
        Assert.Equal(a, b);
        Assert.Equal(StudentDataset.FingerprintOf(with), StudentDataset.FingerprintOf(without));

        // The cache is read back when nothing changed, rebuilt when a step changed.
        string cache = folder.Sub("dataset.bin");
        var first = StudentDataset.LoadOrBuild(without, cache);
        var messages = new List<string>();
        Assert.Equal(a, Bytes(StudentDataset.LoadOrBuild(without, cache, messages.Add)));
        Assert.Contains("from the cache", messages.Single());
        string steps = Path.Combine(new TrajectoryReader(without).Episodes().First().Directory, TrajectoryFormat.StepsFile);
        File.WriteAllText(steps, File.ReadAllText(steps).Replace("\"state_text\":\"agent 0", "\"state_text\":\"AGENT 0"));
        messages.Clear();
        var rebuilt = StudentDataset.LoadOrBuild(without, cache, messages.Add);
        Assert.NotEqual(first.Fingerprint, rebuilt.Fingerprint);
        Assert.Contains(messages, m => m.Contains("changed"));
    }

    [Fact]
    public async Task Evaluation_episodes_are_refused_and_the_memory_holds_the_teams_progress()
    {
        using var folder = new TestFolder();
        await StudentTestData.RecordAsync(folder.Path, "collection", 1_000_001, null, budget: 4);
        var data = StudentDataset.Build(folder.Path);
        var firstActor = data.Examples.First(e => e.Role == "actor");
        string memory = data.Tokenizer.Decode(firstActor.Memory);
        Assert.StartsWith("pose: ", memory);   // the notes: the actor's own perception
        Assert.Contains("\nprogress: placed 0", memory);
        var laterActor = data.Examples.Where(e => e.Role == "actor").Skip(1).First();
        Assert.Contains("agent 0: ", data.Tokenizer.Decode(laterActor.Memory));   // the first actor's code action and outcome

        await StudentTestData.RecordAsync(folder.Path, "collection", 3, null, budget: 2);   // an evaluation seed
        var e = Assert.Throws<ArgumentException>(() => StudentDataset.Build(folder.Path));
        Assert.Contains("never trains on evaluation episodes", e.Message);
    }

    private static byte[] Bytes(StudentDataset data)
    {
        using var stream = new MemoryStream();
        data.Write(stream);
        return stream.ToArray();
    }

    private static void CopyWithoutExpert(string from, string to)
    {
        foreach (string file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            string rel = Path.GetRelativePath(from, file);
            if (rel.Split(Path.DirectorySeparatorChar).Contains(TrajectoryFormat.ExpertFolder)) continue;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(to, rel))!);
            File.Copy(file, Path.Combine(to, rel));
        }
    }
}
