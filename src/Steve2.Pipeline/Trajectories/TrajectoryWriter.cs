using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Steve2.Pipeline.Agents;
using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Tasks;

namespace Steve2.Pipeline.Trajectories;

/// <summary>
/// Records one episode in the trajectory format (TRAJECTORY_FORMAT.md). Steps stream into
/// <c>{episode}.partial/</c> as they come: the student-visible line to steps.jsonl, the image (once
/// per distinct picture) to images/, the expert context apart to expert/. <see cref="Complete"/>
/// flushes every file to disk, writes the manifest and renames the folder into place; disposing
/// without completing deletes the partial folder. Thread-safe: several roles may record at once.
/// </summary>
public sealed class TrajectoryWriter : IStepRecorder, IDisposable
{
    private readonly Lock _gate = new();
    private readonly string _partial;
    private readonly string _agent;
    private readonly string _split;
    private readonly TaskGoal _goal;
    private readonly FileStream _stepsStream;
    private readonly StreamWriter _steps;
    private readonly Dictionary<string, string> _imageFiles = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private FileStream? _expertStream;
    private StreamWriter? _expert;
    private int _stepCount;
    private int _expertSteps;
    private int _expertImages;
    private bool _completed;
    private bool _disposed;

    private TrajectoryWriter(string directory, string agent, string split, TaskGoal goal)
    {
        _split = split;
        EpisodeDirectory = directory;
        _partial = directory + TrajectoryFormat.PartialSuffix;
        _agent = agent;
        _goal = goal;
        Directory.CreateDirectory(Path.Combine(_partial, TrajectoryFormat.ImagesFolder));
        _stepsStream = new FileStream(Path.Combine(_partial, TrajectoryFormat.StepsFile), FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        _steps = new StreamWriter(_stepsStream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { NewLine = "\n" };
    }

    /// <summary>Where the episode will be once complete (<see cref="TrajectoryFormat.EpisodeFolder"/>).</summary>
    public string EpisodeDirectory { get; }

    /// <summary>
    /// Starts recording the episode of <paramref name="goal"/> played by <paramref name="agent"/> under
    /// <paramref name="root"/>; <paramref name="split"/> is the seed's split (<see cref="TrajectoryFormat.SplitOf"/>). A complete recording of the same episode is never overwritten (it throws);
    /// a partial folder left by an interrupted run is deleted first.
    /// </summary>
    public static TrajectoryWriter Begin(string root, string agent, string split, TaskGoal goal)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(agent);
        if (!TrajectoryFormat.Splits.Contains(split))
            throw new ArgumentException($"Split '{split}' is not one of {string.Join(", ", TrajectoryFormat.Splits)}.", nameof(split));
        string directory = TrajectoryFormat.EpisodeFolder(root, goal.Task, goal.Seed, agent);
        if (Directory.Exists(directory))
        {
            throw new InvalidOperationException(
                $"{directory} is already recorded: delete it to record it again, or choose another output folder.");
        }
        string partial = directory + TrajectoryFormat.PartialSuffix;
        if (Directory.Exists(partial)) Directory.Delete(partial, recursive: true);
        var writer = new TrajectoryWriter(directory, agent, split, goal);
        if (goal.TargetImage is { } target) writer.WriteDurably(TrajectoryFormat.GoalImageFile, PngImages.Encode(target));
        return writer;
    }

    /// <summary>Steps recorded so far.</summary>
    public int StepCount
    {
        get { lock (_gate) return _stepCount; }
    }

    public void Record(StepRecord step)
    {
        ArgumentNullException.ThrowIfNull(step);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed || _completed, this);
            if (!TrajectoryFormat.Roles.Contains(step.Role))
                throw new ArgumentException($"Step role '{step.Role}' is not one of {string.Join(", ", TrajectoryFormat.Roles)}.", nameof(step));

            int index = _stepCount;
            var line = new TrajectoryStep(index, step.Iteration, step.Role, step.AgentId, step.Instruction, ImageFile(step.Image),
                step.StateText, step.ActionText, step.Code?.ToCode(), step.Outcome, step.Memory ?? [], step.Facts, step.Backend, step.Fallback);
            _steps.WriteLine(JsonSerializer.Serialize(line, TrajectoryFormat.Json));

            if (step.ExpertContext is { } context) RecordExpert(index, context);
            _stepCount++;
        }
    }

    /// <summary>
    /// Ends the recording: flushes every file to disk, writes manifest.json, and renames the folder to
    /// <see cref="EpisodeDirectory"/>. Returns that folder.
    /// </summary>
    public string Complete(TaskResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed || _completed, this);
            _steps.Flush();
            _stepsStream.Flush(flushToDisk: true);
            if (_expert is not null)
            {
                _expert.Flush();
                _expertStream!.Flush(flushToDisk: true);
            }
            CloseStreams();

            var goal = new TrajectoryGoal(_goal.Instruction, _goal.IterationBudget, _goal.AgentCount, _goal.TargetName,
                _goal.TargetImage is null ? null : TrajectoryFormat.GoalImageFile, _goal.TargetSound, _goal.Materials,
                _goal.BuildingDescription, TrajectoryPosition.From(_goal.BuildSite), _goal.BuildSiteSize, _goal.BuildMaterial, _goal.BuildMaterials);
            var manifest = new EpisodeManifest(TrajectoryFormat.Version, _goal.Task, _goal.Seed, _agent, _split, goal,
                new TrajectoryResult(result.Success, result.Iterations, result.Metrics),
                _stepCount, _imageFiles.Count, _expertSteps, DateTimeOffset.UtcNow, _clock.Elapsed.TotalSeconds);
            WriteDurably(TrajectoryFormat.ManifestFile, Encoding.UTF8.GetBytes(JsonSerializer.Serialize(manifest, TrajectoryFormat.IndentedJson)));

            Directory.Move(_partial, EpisodeDirectory);
            _completed = true;
            return EpisodeDirectory;
        }
    }

    /// <summary>Closes the files; an episode that was not completed leaves nothing behind.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            CloseStreams();
            if (!_completed && Directory.Exists(_partial)) Directory.Delete(_partial, recursive: true);
        }
    }

    private string ImageFile(RgbImage image)
    {
        string key = Convert.ToHexString(SHA256.HashData(image.Pixels)) + $"-{image.Width}x{image.Height}";
        if (_imageFiles.TryGetValue(key, out string? existing)) return existing;
        string file = $"{TrajectoryFormat.ImagesFolder}/{_imageFiles.Count:D6}.png";
        WriteDurably(file, PngImages.Encode(image));
        _imageFiles[key] = file;
        return file;
    }

    private void RecordExpert(int step, ExpertContext context)
    {
        if (_expert is null)
        {
            Directory.CreateDirectory(Path.Combine(_partial, TrajectoryFormat.ExpertFolder, TrajectoryFormat.ImagesFolder));
            _expertStream = new FileStream(Path.Combine(_partial, TrajectoryFormat.ExpertContextFile), FileMode.CreateNew, FileAccess.Write, FileShare.Read);
            _expert = new StreamWriter(_expertStream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { NewLine = "\n" };
        }
        var images = new List<TrajectoryExpertImage>(context.Images.Count);
        foreach (NamedImage image in context.Images)
        {
            string file = $"{TrajectoryFormat.ExpertFolder}/{TrajectoryFormat.ImagesFolder}/{_expertImages++:D6}.png";
            WriteDurably(file, image.Png);
            images.Add(new TrajectoryExpertImage(image.Name, file));
        }
        _expert.WriteLine(JsonSerializer.Serialize(new TrajectoryExpertContext(step, context.Text, images, context.Facts), TrajectoryFormat.Json));
        _expertSteps++;
    }

    private void WriteDurably(string relativePath, byte[] bytes)
    {
        using var stream = new FileStream(Path.Combine(_partial, relativePath), FileMode.CreateNew, FileAccess.Write, FileShare.None);
        stream.Write(bytes);
        stream.Flush(flushToDisk: true);
    }

    private void CloseStreams()
    {
        _steps.Dispose();
        _expert?.Dispose();
    }
}
