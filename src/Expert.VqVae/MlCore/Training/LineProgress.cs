using System.Diagnostics;
using System.Globalization;

namespace Expert.VqVae.MlCore.Training;

/// <summary>
/// Plain progress lines on a writer (logs and non-interactive terminals): every
/// <paramref name="every"/> steps and at a stage's last step, "[hh:mm:ss] stage step/total name=value ...",
/// values in invariant culture with four significant digits; messages as "[hh:mm:ss] text".
/// </summary>
public sealed class LineProgress(TextWriter writer, int every = 50) : ITrainingProgress
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly int _every = every > 0 ? every : throw new ArgumentOutOfRangeException(nameof(every), every, "must be at least 1");

    public void Step(string stage, int step, int totalSteps, IReadOnlyDictionary<string, double> values)
    {
        if (step % _every != 0 && step != totalSteps) return;
        string parts = string.Join(" ", values.Select(kv => $"{kv.Key}={kv.Value.ToString("G4", CultureInfo.InvariantCulture)}"));
        writer.WriteLine($"[{_clock.Elapsed:hh\\:mm\\:ss}] {stage} {step}/{totalSteps} {parts}");
    }

    public void Message(string text) => writer.WriteLine($"[{_clock.Elapsed:hh\\:mm\\:ss}] {text}");
}
