using Steve2.Pipeline.Agents;
using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Tasks;

namespace Steve2.Pipeline.Tests.Trajectories;

/// <summary>Hand-made steps and goals for trajectory tests.</summary>
internal static class TrajectorySamples
{
    public const string ExpertText = "EXPERT-ONLY: frontier at (40, 64, -12), 37 unseen columns";

    public static RgbImage Image(int seed, int width = 8, int height = 6)
    {
        var pixels = new byte[width * height * 3];
        new Random(seed).NextBytes(pixels);
        return new RgbImage(width, height, pixels);
    }

    public static TaskGoal Goal(string task = "collection", int seed = 100_003, RgbImage? targetImage = null) =>
        new(task, seed, "collect 3 oak_log", IterationBudget: 20, AgentCount: 2, TargetName: "oak_log", TargetImage: targetImage,
            Materials: new Dictionary<string, int> { ["oak_log"] = 3 }, BuildSite: new BlockPos(1, 64, -2));

    /// <summary>A manager, a conductor and two actors; the second actor's step carries expert context; the images of the first three are one picture.</summary>
    public static IReadOnlyList<StepRecord> Steps()
    {
        RgbImage first = Image(1), second = Image(2);
        var expert = new ExpertContext(ExpertText, [new NamedImage("map", PngOf(Image(9, 4, 4)))]);
        return
        [
            new StepRecord(0, "manager", 0, "collect 3 oak_log", first, "plains, 2 agents", "agent 0: get logs; agent 1: explore", null, null, null),
            new StepRecord(0, "conductor", 0, "get logs", first, "a tree 5 blocks north", "chop the tree to the north", null, null, null),
            new StepRecord(0, "actor", 0, "chop the tree to the north", first, "a tree 5 blocks north", "collect oak_log x3",
                new Collect("oak_log", 3), new StepOutcome(true, "collected 3 oak_log", new Dictionary<string, int> { ["oak_log"] = 3 }), null),
            new StepRecord(1, "actor", 1, "explore", second, "open plains", "explore east 50",
                new Explore(Direction.East, 50), new StepOutcome(false, "path blocked by water", new Dictionary<string, int>()), expert),
        ];
    }

    public static TaskResult Result(TaskGoal goal) =>
        new(goal.Task, goal.Seed, true, 2, new Dictionary<string, double> { ["success"] = 1, ["accuracy"] = 1, ["iterations"] = 2 });

    public static byte[] PngOf(RgbImage image) => Steve2.Pipeline.Trajectories.PngImages.Encode(image);

    /// <summary>Records the sample episode under <paramref name="root"/> and returns its folder.</summary>
    public static string RecordSample(string root, string agent = "teacher", int seed = 100_003)
    {
        TaskGoal goal = Goal(seed: seed, targetImage: Image(5));
        using var writer = Steve2.Pipeline.Trajectories.TrajectoryWriter.Begin(root, agent, Steve2.Pipeline.Trajectories.TrajectoryFormat.TrainingSplit, goal);
        foreach (StepRecord step in Steps()) writer.Record(step);
        return writer.Complete(Result(goal));
    }
}
