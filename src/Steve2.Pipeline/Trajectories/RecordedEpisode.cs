using System.Text.Json;
using Steve2.Pipeline.Environment;

namespace Steve2.Pipeline.Trajectories;

/// <summary>
/// One complete recorded episode. <see cref="ReadSteps"/> is the student's view (no expert context);
/// the expert context is read only on purpose, through <see cref="ReadExpertContexts"/>.
/// </summary>
public sealed class RecordedEpisode
{
    private RecordedEpisode(string directory, EpisodeManifest manifest)
    {
        Directory = directory;
        Manifest = manifest;
    }

    public string Directory { get; }

    public EpisodeManifest Manifest { get; }

    /// <summary>Opens an episode folder and checks its manifest.</summary>
    public static RecordedEpisode Open(string directory)
    {
        string file = Path.Combine(directory, TrajectoryFormat.ManifestFile);
        if (!File.Exists(file)) throw new TrajectoryFormatException(file, null, "the episode folder has no manifest (a complete episode always has one)");
        EpisodeManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<EpisodeManifest>(File.ReadAllText(file), TrajectoryFormat.Json);
        }
        catch (JsonException e)
        {
            throw new TrajectoryFormatException(file, null, $"the manifest is not valid ({e.Message})", e);
        }
        if (manifest is null) throw new TrajectoryFormatException(file, null, "the manifest is empty");
        if (manifest.FormatVersion == 1)
            throw new TrajectoryFormatException(file, null,
                $"format version 1 was recorded before steps carried what each decision was a function of (memory and facts, version {TrajectoryFormat.Version}); " +
                "record the episode again with `steve2 record` (version 1 episodes cannot be replayed or distilled)");
        if (manifest.FormatVersion != TrajectoryFormat.Version)
            throw new TrajectoryFormatException(file, null, $"format version {manifest.FormatVersion} is not the version this reader knows ({TrajectoryFormat.Version})");
        if (!TrajectoryFormat.Splits.Contains(manifest.Split))
            throw new TrajectoryFormatException(file, null, $"split '{manifest.Split}' is not one of {string.Join(", ", TrajectoryFormat.Splits)}");
        if (manifest.Steps < 0 || manifest.Images < 0 || manifest.ExpertSteps < 0 || manifest.ExpertSteps > manifest.Steps)
            throw new TrajectoryFormatException(file, null, $"the counts are impossible (steps {manifest.Steps}, images {manifest.Images}, expert steps {manifest.ExpertSteps})");
        if (manifest.Goal.TargetImage is { } goalImage) CheckFile(directory, file, null, goalImage);
        return new RecordedEpisode(directory, manifest);
    }

    /// <summary>The student-visible steps, read lazily and checked line by line.</summary>
    public IEnumerable<TrajectoryStep> ReadSteps()
    {
        string file = Path.Combine(Directory, TrajectoryFormat.StepsFile);
        int count = 0;
        foreach ((int line, TrajectoryStep step) in ReadLines<TrajectoryStep>(file))
        {
            if (step.Step != count) Fail(file, line, $"step {step.Step} where step {count} was expected");
            if (!TrajectoryFormat.Roles.Contains(step.Role)) Fail(file, line, $"role '{step.Role}' is not one of {string.Join(", ", TrajectoryFormat.Roles)}");
            if (step.Iteration < 0 || step.AgentId < 0) Fail(file, line, "the iteration and agent id must not be negative");
            CheckFile(Directory, file, line, step.Image);
            count++;
            yield return step;
        }
        if (count != Manifest.Steps) Fail(file, null, $"the file has {count} steps but the manifest says {Manifest.Steps}");
    }

    /// <summary>Teacher-only: what the experts told the teacher, by step. Never give this to the student.</summary>
    public IEnumerable<TrajectoryExpertContext> ReadExpertContexts()
    {
        string file = Path.Combine(Directory, TrajectoryFormat.ExpertContextFile);
        if (Manifest.ExpertSteps == 0 && !File.Exists(file)) yield break;
        int count = 0, previous = -1;
        foreach ((int line, TrajectoryExpertContext context) in ReadLines<TrajectoryExpertContext>(file))
        {
            if (context.Step <= previous || context.Step >= Manifest.Steps)
                Fail(file, line, $"step {context.Step} is out of order or past the episode's {Manifest.Steps} steps");
            foreach (TrajectoryExpertImage image in context.Images) CheckFile(Directory, file, line, image.File);
            previous = context.Step;
            count++;
            yield return context;
        }
        if (count != Manifest.ExpertSteps) Fail(file, null, $"the file has {count} expert contexts but the manifest says {Manifest.ExpertSteps}");
    }

    /// <summary>Loads an image named by a step (or the goal image) from this episode.</summary>
    public RgbImage LoadImage(string relativePath)
    {
        string path = Path.Combine(Directory, relativePath);
        try
        {
            return PngImages.Decode(File.ReadAllBytes(path));
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            throw new TrajectoryFormatException(path, null, e.Message, e);
        }
    }

    private static IEnumerable<(int Line, T Value)> ReadLines<T>(string file) where T : class
    {
        if (!File.Exists(file)) Fail(file, null, "the file is missing");
        using var reader = new StreamReader(file);
        int line = 0;
        while (reader.ReadLine() is { } text)
        {
            line++;
            T? value;
            try
            {
                value = JsonSerializer.Deserialize<T>(text, TrajectoryFormat.Json);
            }
            catch (JsonException e)
            {
                throw new TrajectoryFormatException(file, line, $"not a valid record ({e.Message})", e);
            }
            if (value is null) Fail(file, line, "an empty record");
            yield return (line, value!);
        }
    }

    private static void CheckFile(string directory, string file, int? line, string relativePath)
    {
        if (string.IsNullOrWhiteSpace(relativePath) || Path.IsPathRooted(relativePath) || relativePath.Split('/', '\\').Contains(".."))
            Fail(file, line, $"'{relativePath}' is not a path inside the episode folder");
        if (!File.Exists(Path.Combine(directory, relativePath)))
            Fail(file, line, $"the image {relativePath} it names is missing");
    }

    private static void Fail(string file, int? line, string problem) => throw new TrajectoryFormatException(file, line, problem);
}
