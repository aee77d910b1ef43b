using System.Text.Json;
using Expert.DynamicMap.Shared;

namespace Expert.VqVae.MlCore.Training;

/// <summary>
/// The metrics history of a run: appended to <c>metrics.jsonl</c> in the run's folder as it goes (one
/// <see cref="MetricPoint"/> a line, written as soon as it is added), read back on resume so that
/// the curves (<see cref="LossCurvePlot"/>) cover the whole run. Any trainer can keep one per
/// run folder: stages keep their points apart.
/// Resume: open with <c>resume: true</c>, then <see cref="TruncateAfter"/> each stage at the step of
/// the checkpoint resumed from, so that steps logged after it (and redone now) are not doubled.
/// A torn last line (a crash mid-append) is dropped with everything after it. Not thread-safe.
/// </summary>
public sealed class TrainingLog
{
    /// <summary>The log's file name in a run folder.</summary>
    public const string FileName = "metrics.jsonl";

    private readonly List<MetricPoint> _points = new();

    /// <param name="outputDir">The run's folder (created by the trainer).</param>
    /// <param name="resume">Keep the points already in the file; otherwise the file is started afresh.</param>
    public TrainingLog(string outputDir, bool resume)
    {
        Path = System.IO.Path.Combine(outputDir, FileName);
        if (resume && File.Exists(Path))
        {
            foreach (var line in File.ReadLines(Path))
            {
                if (string.IsNullOrWhiteSpace(line)) continue;
                try
                {
                    var p = JsonSerializer.Deserialize<MetricPoint>(line);
                    if (p is not null) _points.Add(p);
                }
                catch (JsonException)
                {
                    break; // a torn last line after a crash: everything before it is kept
                }
            }
        }
        else if (File.Exists(Path))
        {
            File.Delete(Path);
        }
    }

    /// <summary>The file the points are appended to.</summary>
    public string Path { get; }

    /// <summary>Every point, in the order logged.</summary>
    public IReadOnlyList<MetricPoint> Points => _points;

    /// <summary>Drops the points of <paramref name="stage"/> past <paramref name="step"/> and rewrites the file (atomically).</summary>
    public void TruncateAfter(string stage, int step)
    {
        _points.RemoveAll(p => p.Stage == stage && p.Step > step);
        AtomicFile.WriteText(Path, string.Concat(_points.Select(p => JsonSerializer.Serialize(p) + "\n")));
    }

    /// <summary>Logs one point and appends it to the file.</summary>
    public void Add(string stage, int step, IReadOnlyDictionary<string, double> values)
    {
        var p = new MetricPoint(stage, step, new Dictionary<string, double>(values));
        _points.Add(p);
        File.AppendAllText(Path, JsonSerializer.Serialize(p) + "\n");
    }
}
