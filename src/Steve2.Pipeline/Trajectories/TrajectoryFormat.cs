using System.Text.Json;
using System.Text.Json.Serialization;

namespace Steve2.Pipeline.Trajectories;

/// <summary>File names, version and JSON settings of the trajectory format (TRAJECTORY_FORMAT.md).</summary>
public static class TrajectoryFormat
{
    /// <summary>
    /// The version written in every manifest; readers refuse other versions. 2 added each step's <c>memory</c> and
    /// <c>facts</c> and the expert context's <c>facts</c> (what a decision was a function of).
    /// </summary>
    public const int Version = 2;

    public const string ManifestFile = "manifest.json";
    public const string StepsFile = "steps.jsonl";
    public const string ImagesFolder = "images";
    public const string GoalImageFile = "goal.png";

    /// <summary>The teacher-only folder: the student's reader never opens it.</summary>
    public const string ExpertFolder = "expert";
    public const string ExpertContextFile = "expert/context.jsonl";

    /// <summary>Suffix of an episode folder still being written (or left by a crash): never read.</summary>
    public const string PartialSuffix = ".partial";

    /// <summary>Episodes on a task's training seeds: the distillation's data.</summary>
    public const string TrainingSplit = "training";

    /// <summary>Episodes on a task's evaluation seeds (<c>steve2 eval --record</c>): for analysis, never for training.</summary>
    public const string EvaluationSplit = "evaluation";

    /// <summary>Episodes on seeds in neither range (tests, ad-hoc tasks).</summary>
    public const string UnassignedSplit = "unassigned";

    /// <summary>The split names a manifest may carry.</summary>
    public static IReadOnlyList<string> Splits { get; } = [TrainingSplit, EvaluationSplit, UnassignedSplit];

    /// <summary>The split of a task seed.</summary>
    public static string SplitOf(Tasks.TaskSeeds seeds, int seed) =>
        seeds.IsEvaluationSeed(seed) ? EvaluationSplit : seeds.IsTrainingSeed(seed) ? TrainingSplit : UnassignedSplit;

    /// <summary>The role names a step may carry.</summary>
    public static IReadOnlyList<string> Roles { get; } = ["manager", "conductor", "actor"];

    /// <summary>
    /// snake_case names, no indentation (one object per line), missing non-nullable members refused on read, enums
    /// as snake_case words, the world's geometry as bare coordinates (<see cref="GeometryJson"/>).
    /// </summary>
    internal static JsonSerializerOptions Json { get; } = CreateJson();

    private static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DictionaryKeyPolicy = null,
            WriteIndented = false,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        foreach (JsonConverter converter in GeometryJson.Converters) options.Converters.Add(converter);
        return options;
    }

    /// <summary>The manifest is indented for people reading it.</summary>
    internal static JsonSerializerOptions IndentedJson { get; } = new(Json) { WriteIndented = true };

    /// <summary>The folder of one episode under a recording root: <c>{task}/seed-{seed:D6}-{agent}</c>.</summary>
    public static string EpisodeFolder(string root, string task, int seed, string agent) =>
        Path.Combine(root, task, FormattableString.Invariant($"seed-{seed:D6}-{agent}"));
}
