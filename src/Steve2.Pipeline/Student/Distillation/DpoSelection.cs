using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Expert.DynamicMap.Shared;
using Steve2.Pipeline.Student.Data;
using Steve2.Pipeline.Student.Inference;
using Steve2.Pipeline.Student.Model;
using static TorchSharp.torch;

namespace Steve2.Pipeline.Student.Distillation;

/// <summary>
/// One measurement of the held-out agreement: the student after <see cref="Step"/> DPO steps (0: the reference), and
/// <see cref="Correct"/>, one character a held-out state, '1' where its greedy answer was the teacher's label (null in
/// older files).
/// </summary>
public sealed record SelectionPoint(int Step, double Agreement, string? Correct = null);

/// <summary>
/// What the DPO run's checkpoint selection saw and kept (train/selection.json, DISTILLATION.md "Which step is kept"):
/// the held-out episodes ("pair folder: task seed"), the labelled states measured, every measurement, and the step kept.
/// </summary>
public sealed record SelectionSummary(IReadOnlyList<string> HeldOutEpisodes, int States, int HeldOutPairs, IReadOnlyList<SelectionPoint> Points, int SelectedStep)
{
    /// <summary>The one-sided level of the sign test a DPO step must pass against the reference to be kept.</summary>
    public const double Alpha = 0.05;

    [System.Text.Json.Serialization.JsonIgnore]
    public SelectionPoint Selected => Points.First(p => p.Step == SelectedStep);

    /// <summary>The reference's agreement (step 0), NaN when a resumed run lacks it.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public double ReferenceAgreement => Points.FirstOrDefault(p => p.Step == 0)?.Agreement ?? double.NaN;

    /// <summary>
    /// The step kept: among the reference (step 0) and the steps that agree with the teacher on significantly more of the
    /// same held-out states than the reference (<see cref="BeatsReference"/>), the highest agreement, the earliest step on
    /// a tie (the one nearest the reference). Without step 0's measurement (a resumed run of an older file) the highest
    /// agreement, as before.
    /// </summary>
    public static int Best(IEnumerable<SelectionPoint> points)
    {
        var all = points.ToList();
        var reference = all.FirstOrDefault(p => p.Step == 0);
        var eligible = reference is null ? all : all.Where(p => p.Step == 0 || BeatsReference(reference, p)).ToList();
        return eligible.OrderByDescending(p => p.Agreement).ThenBy(p => p.Step).First().Step;
    }

    /// <summary>
    /// Whether <paramref name="candidate"/> agrees with the teacher on significantly more held-out states than
    /// <paramref name="reference"/>: an exact one-sided sign test (McNemar's) on the states where exactly one of the two
    /// is right, P(X >= wins | n = wins + losses, 1/2) at most <see cref="Alpha"/>. False when either lacks its per-state
    /// results or they were measured on other states.
    /// </summary>
    public static bool BeatsReference(SelectionPoint reference, SelectionPoint candidate)
    {
        if (reference.Correct is not { } r || candidate.Correct is not { } c || r.Length != c.Length) return false;
        int wins = 0, losses = 0;
        for (int i = 0; i < r.Length; i++)
        {
            if (c[i] == '1' && r[i] != '1') wins++;
            else if (r[i] == '1' && c[i] != '1') losses++;
        }
        return wins > losses && SignTestTail(wins, wins + losses) <= Alpha;
    }

    /// <summary>P(X >= k) for X ~ Binomial(n, 1/2), summed in log space (n up to thousands).</summary>
    public static double SignTestTail(int k, int n)
    {
        double logPmf = -n * Math.Log(2), tail = 0;
        for (int x = 0; x <= n; x++)
        {
            if (x >= k) tail += Math.Exp(logPmf);
            logPmf += Math.Log((double)(n - x) / (x + 1));
        }
        return Math.Min(1, tail);
    }
}

/// <summary>
/// Early stopping for the DPO run on DAgger's own measure: a share of each round's episodes is held out of training
/// (their pairs and their labels), and the student is measured on those episodes' labelled states (filtered as the
/// pairs are, <see cref="PreferencePairs.Teaches"/>): the share of states where its greedy answer is the teacher's label,
/// exactly. It is measured before the first step (the reference) and at every checkpoint; the run keeps the best step
/// among the reference and the steps significantly better than it on the same states (<see cref="SelectionSummary.Best"/>).
/// Held-out episodes per pair folder: <c>round(fraction * n)</c> of its <c>n</c> labelled episodes, at least one and at
/// most <c>n - 1</c> (none when <c>n</c> is below 2), taken one task at a time (tasks in name order, each task's episodes
/// in the order of SHA-256("task/seed")), the k-th folder starting at task <c>k * held-out</c>: so the held-out states
/// cover the tasks in turn, not whichever a hash favours. Deterministic, and the same episodes stay held out in every
/// later round that aggregates the folder.
/// </summary>
public sealed class DpoSelection
{
    public const string FileName = "selection.json";
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private readonly HashSet<(int Folder, string Task, int Seed)> _heldOut;
    private readonly List<(int[] Prompt, byte[] Image, string Label)> _states;

    private DpoSelection(HashSet<(int, string, int)> heldOut, List<(int[], byte[], string)> states, IReadOnlyList<string> names)
    {
        _heldOut = heldOut;
        _states = states;
        HeldOutEpisodes = names;
    }

    public IReadOnlyList<string> HeldOutEpisodes { get; }
    public int States => _states.Count;

    /// <summary>Whether the pair (of the <paramref name="folder"/>-th pair folder) comes from a held-out episode.</summary>
    public bool HoldsOut(int folder, string task, int seed) => _heldOut.Contains((folder, task, seed));

    /// <summary>
    /// The held-out episodes of the pair folders' <c>labels/</c> and their labelled states (evenly strided down to
    /// <paramref name="limit"/>). Null when no folder has two labelled episodes (nothing to hold out).
    /// </summary>
    public static DpoSelection? Choose(IReadOnlyList<string> pairDirs, double fraction, int limit, StudentSequences sequences)
    {
        var heldOut = new HashSet<(int, string, int)>();
        var names = new List<string>();
        var states = new List<(int[], byte[], string)>();
        for (int f = 0; f < pairDirs.Count; f++)
        {
            var (labels, images) = new DaggerLabelStore(Path.Combine(pairDirs[f], "labels")).ReadAll();
            var episodes = labels.Select(l => (l.Task, l.Seed)).Distinct().ToList();
            if (episodes.Count < 2) continue;
            int n = Math.Clamp((int)Math.Round(fraction * episodes.Count, MidpointRounding.AwayFromZero), 1, episodes.Count - 1);
            foreach (var (task, seed) in TaskByTask(episodes, f * n).Take(n))
            {
                heldOut.Add((f, task, seed));
                names.Add($"{Path.GetFileName(Path.TrimEndingDirectorySeparator(pairDirs[f]))}: {task} {seed}");
            }
            foreach (var label in labels)
                if (heldOut.Contains((f, label.Task, label.Seed)) && PreferencePairs.Teaches(label))
                    states.Add((sequences.Prompt(label.Prompt), images[label.Image], label.Teacher));
        }
        if (heldOut.Count == 0) return null;
        double stride = Math.Max(1.0, (double)states.Count / limit);
        var kept = Enumerable.Range(0, Math.Min(states.Count, limit)).Select(i => states[(int)(i * stride)]).ToList();
        return new DpoSelection(heldOut, kept, names);
    }

    /// <summary>
    /// The model after <paramref name="step"/> steps on the held-out states: the share where its greedy answer is the
    /// teacher's label (NaN with no state) and which ones. Leaves the model in eval mode.
    /// </summary>
    public SelectionPoint Measure(int step, StudentModel model, StudentSequences sequences, Device device, int batchSize)
    {
        if (_states.Count == 0) return new SelectionPoint(step, double.NaN, "");
        var generator = new StudentGenerator(model, sequences, device);
        var correct = new StringBuilder(_states.Count);
        for (int start = 0; start < _states.Count; start += batchSize)
        {
            var chunk = _states.Skip(start).Take(batchSize).ToList();
            var texts = generator.GenerateText(chunk.Select(s => (s.Prompt, s.Image)).ToList());
            for (int i = 0; i < chunk.Count; i++) correct.Append(texts[i] == chunk[i].Label ? '1' : '0');
        }
        string flags = correct.ToString();
        return new SelectionPoint(step, flags.Count(c => c == '1') / (double)flags.Length, flags);
    }

    /// <summary>The measurements made up to <paramref name="step"/> (a resumed run measures the later ones again).</summary>
    public static List<SelectionPoint> ReadPoints(string dir, int step)
    {
        string path = Path.Combine(dir, FileName);
        if (!File.Exists(path)) return [];
        var summary = JsonSerializer.Deserialize<SelectionSummary>(File.ReadAllText(path))!;
        return summary.Points.Where(p => p.Step <= step).ToList();
    }

    public static void Write(string dir, SelectionSummary summary) =>
        AtomicFile.WriteText(Path.Combine(dir, FileName), JsonSerializer.Serialize(summary, Indented));

    /// <summary>The episodes one task at a time (a round-robin over the tasks in name order, starting at <paramref name="offset"/>).</summary>
    private static IEnumerable<(string Task, int Seed)> TaskByTask(IReadOnlyList<(string Task, int Seed)> episodes, int offset)
    {
        var byTask = episodes.GroupBy(e => e.Task).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.OrderBy(e => Order(e.Task, e.Seed), StringComparer.Ordinal).ToList()).ToList();
        for (int k = 0; k < byTask.Max(t => t.Count); k++)
            for (int i = 0; i < byTask.Count; i++)
                if (byTask[(offset + i) % byTask.Count] is { } task && k < task.Count)
                    yield return task[k];
    }

    private static string Order(string task, int seed) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{task}/{seed}")));
}
