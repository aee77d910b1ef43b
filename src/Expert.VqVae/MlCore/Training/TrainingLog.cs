using System.Globalization;
using System.Text.Json;

namespace Expert.VqVae.MlCore.Training;

/// <summary>One logged point: a stage, a step and named values (stable names, see TRAINING.md).</summary>
public sealed record MetricPoint(string Stage, int Step, IReadOnlyDictionary<string, double> Values);

/// <summary>Where the trainer reports progress; the CLI draws a progress bar, tests stay quiet.</summary>
public interface ITrainingProgress
{
    void Step(string stage, int step, int totalSteps, IReadOnlyDictionary<string, double> values);
    void Message(string text);
}

/// <summary>Plain progress lines, every <c>every</c> steps (for logs and non-interactive terminals).</summary>
public sealed class LineProgress(TextWriter writer, int every = 50) : ITrainingProgress
{
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();

    public void Step(string stage, int step, int totalSteps, IReadOnlyDictionary<string, double> values)
    {
        if (step % every != 0 && step != totalSteps) return;
        string parts = string.Join(" ", values.Select(kv => $"{kv.Key}={kv.Value.ToString("G4", CultureInfo.InvariantCulture)}"));
        writer.WriteLine($"[{_clock.Elapsed:hh\\:mm\\:ss}] {stage} {step}/{totalSteps} {parts}");
    }

    public void Message(string text) => writer.WriteLine($"[{_clock.Elapsed:hh\\:mm\\:ss}] {text}");
}

/// <summary>Silent progress (tests).</summary>
public sealed class NoProgress : ITrainingProgress
{
    public static readonly NoProgress Instance = new();
    public void Step(string stage, int step, int totalSteps, IReadOnlyDictionary<string, double> values) { }
    public void Message(string text) { }
}

/// <summary>
/// The metrics history of a run: appended to metrics.jsonl as it goes (one JSON object a line:
/// stage, step, values), read back on resume so curves cover the whole run.
/// </summary>
public sealed class TrainingLog
{
    private readonly string _path;
    private readonly List<MetricPoint> _points = new();

    public TrainingLog(string outputDir, bool resume)
    {
        _path = Path.Combine(outputDir, "metrics.jsonl");
        if (resume && File.Exists(_path))
        {
            foreach (var line in File.ReadLines(_path))
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
        else if (File.Exists(_path))
        {
            File.Delete(_path);
        }
    }

    public IReadOnlyList<MetricPoint> Points => _points;

    /// <summary>Drops points past a step of a stage (resume from an older checkpoint than the log).</summary>
    public void TruncateAfter(string stage, int step)
    {
        _points.RemoveAll(p => p.Stage == stage && p.Step > step);
        File.WriteAllLines(_path, _points.Select(p => JsonSerializer.Serialize(p)));
    }

    public void Add(string stage, int step, IReadOnlyDictionary<string, double> values)
    {
        var p = new MetricPoint(stage, step, new Dictionary<string, double>(values));
        _points.Add(p);
        File.AppendAllText(_path, JsonSerializer.Serialize(p) + "\n");
    }
}
