using System.Text;
using System.Text.Json;
using Expert.DynamicMap.Shared;
using Steve2.Pipeline.Student.Data;
using Steve2.Pipeline.Trajectories;

namespace Steve2.Pipeline.Student.Distillation;

/// <summary>
/// One preference pair of the distillation: at a state the student visited (its <see cref="Prompt"/> and image, as it
/// read them), <see cref="Chosen"/> is the teacher's label and <see cref="Rejected"/> the student's differing answer the
/// critic judged worse (<see cref="Verdict"/>, <see cref="DaggerJudge"/>). <see cref="Distance"/> is the normalised
/// character edit distance between the two texts (0..1). <see cref="Round"/> is the DAgger round the state came from.
/// </summary>
public sealed record PreferencePair(
    int Round,
    string Task,
    int Seed,
    int Step,
    string Role,
    int AgentId,
    StudentPrompt Prompt,
    string Image,
    string Chosen,
    string Rejected,
    string Verdict,
    double Distance);

/// <summary>
/// How pairs are filtered: by default only answers the critic judges worse (<see cref="DaggerJudge.Worse"/>), and none at
/// a "do nothing" decision; <see cref="KeepDiffering"/> also keeps feasible differing answers, <see cref="KeepIdle"/> the
/// do-nothing decisions (<see cref="PreferencePairs.IsIdle"/>).
/// </summary>
public sealed record PairOptions(bool KeepDiffering = false, bool KeepIdle = false);

/// <summary>
/// Makes, writes and reads preference pairs (DISTILLATION.md, "How pairs are made"). From each DAgger label:
/// <list type="number">
/// <item>skipped when the teacher's own label fails the critic's checks (<see cref="DaggerLabel.TeacherProblem"/>): the rules
/// keep an infeasible answer when nothing better exists, and such a label is no better than the student's;</item>
/// <item>each distinct answer the student sampled (its first answer and every re-sample after a refusal) whose verdict is
/// <c>unparseable</c>, <c>infeasible</c>, <c>off-plan</c> or <c>explored</c> (and <c>differs</c> with
/// <see cref="PairOptions.KeepDiffering"/>) makes one pair with the label as chosen; <c>same</c> never does;</item>
/// <item>an answer that is empty after trimming is kept (it is the model's answer: just eos);</item>
/// <item>no pair at a do-nothing decision (<see cref="IsIdle"/>: a conductor told <c>idle</c> whose label is <c>wait</c>, an
/// actor told <c>wait</c> whose label is <c>wait()</c>) unless <see cref="PairOptions.KeepIdle"/>: the student's own
/// higher-level answer (often its safe default) left the teacher nothing to teach there but waiting, and such pairs,
/// 40% of a quick run's, taught the student to wait (DISTILLATION.md, "Measured"). The decision above, where the
/// student's plan or directive said to do nothing, keeps its pair.</item>
/// </list>
/// A pair file is <c>pairs.jsonl</c> (one pair a line) with <c>pairs.images.bin</c> beside it (the images the pairs name,
/// as <see cref="DaggerLabelStore"/> writes them).
/// </summary>
public static class PreferencePairs
{
    public const string FileName = "pairs.jsonl", ImagesFileName = "pairs.images.bin";

    public static IReadOnlyList<PreferencePair> Make(int round, IEnumerable<DaggerLabel> labels, PairOptions? options = null)
    {
        options ??= new PairOptions();
        var pairs = new List<PreferencePair>();
        foreach (var label in labels)
        {
            if (!Teaches(label, options.KeepIdle)) continue;
            foreach (var sample in label.Student.DistinctBy(x => x.Text))
            {
                bool keep = DaggerJudge.Worse.Contains(sample.Verdict) || (options.KeepDiffering && sample.Verdict == DaggerJudge.Differs);
                if (!keep || sample.Text == label.Teacher) continue;
                pairs.Add(new PreferencePair(round, label.Task, label.Seed, label.Step, label.Role, label.AgentId, label.Prompt, label.Image,
                    label.Teacher, sample.Text, sample.Verdict, Distance(label.Teacher, sample.Text)));
            }
        }
        return pairs;
    }

    /// <summary>
    /// Whether the label is one to learn from: the critic accepts the teacher's own answer, and it is not a do-nothing
    /// decision (unless <paramref name="keepIdle"/>). Pairs (<see cref="Make"/>) and the DPO trainer's anchor set use it.
    /// </summary>
    public static bool Teaches(DaggerLabel label, bool keepIdle = false) => label.TeacherProblem is null && (keepIdle || !IsIdle(label));

    /// <summary>A do-nothing decision: a conductor told <c>idle</c> labelled <c>wait</c>, or an actor told <c>wait</c> labelled <c>wait()</c>.</summary>
    public static bool IsIdle(DaggerLabel label) =>
        (label.Role == "conductor" && label.Prompt.Instruction.Trim() == "idle" && label.Teacher.Trim() == "wait")
        || (label.Role == "actor" && label.Prompt.Instruction.Trim() == "wait" && label.Teacher.Trim() == "wait()");

    /// <summary>Levenshtein distance of the two texts over the longer one's length (0: equal, 1: nothing in common).</summary>
    public static double Distance(string a, string b)
    {
        if (a.Length == 0 && b.Length == 0) return 0;
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) previous[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length] / (double)Math.Max(a.Length, b.Length);
    }

    /// <summary>Writes the pairs and the images they name into <paramref name="directory"/>, atomically (images first).</summary>
    public static void Write(string directory, IReadOnlyList<PreferencePair> pairs, IReadOnlyDictionary<string, byte[]> images)
    {
        AtomicFile.Write(Path.Combine(directory, ImagesFileName), stream =>
        {
            using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            var keys = pairs.Select(p => p.Image).Distinct().Order(StringComparer.Ordinal).ToList();
            w.Write(keys.Count);
            foreach (string k in keys)
            {
                if (!images.TryGetValue(k, out var bytes)) throw new ArgumentException($"No image {k} for a pair.");
                w.Write(k);
                w.Write(bytes.Length);
                w.Write(bytes);
            }
        });
        AtomicFile.Write(Path.Combine(directory, FileName), stream =>
        {
            using var w = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\n" };
            foreach (var p in pairs) w.WriteLine(JsonSerializer.Serialize(p, TrajectoryFormat.Json));
        });
    }

    /// <summary>Reads a pair folder written by <see cref="Write"/>.</summary>
    public static (IReadOnlyList<PreferencePair> Pairs, IReadOnlyDictionary<string, byte[]> Images) Read(string directory)
    {
        var images = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using (var r = new BinaryReader(File.OpenRead(Path.Combine(directory, ImagesFileName))))
        {
            int n = r.ReadInt32();
            for (int i = 0; i < n; i++)
            {
                string key = r.ReadString();
                images[key] = r.ReadBytes(r.ReadInt32());
            }
        }
        var pairs = File.ReadLines(Path.Combine(directory, FileName)).Where(l => l.Length > 0)
            .Select(l => JsonSerializer.Deserialize<PreferencePair>(l, TrajectoryFormat.Json)!).ToList();
        return (pairs, images);
    }
}
