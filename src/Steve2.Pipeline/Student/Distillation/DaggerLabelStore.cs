using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Expert.DynamicMap.Shared;
using Steve2.Pipeline.Trajectories;

namespace Steve2.Pipeline.Student.Distillation;

/// <summary>
/// The labels of a DAgger round on disk, one pair of files per episode, each written atomically when its episode ends:
/// <c>{task}/seed-NNNNNNN.labels.jsonl</c> (one <see cref="DaggerLabel"/> a line, in decision order) and
/// <c>{task}/seed-NNNNNNN.images.bin</c> (the distinct step images the labels name: count, then per image its SHA-256 key
/// and RGB bytes, in key order). Thread-safe: parallel episodes write their own files.
/// </summary>
public sealed class DaggerLabelStore(string directory)
{
    public const string LabelsSuffix = ".labels.jsonl", ImagesSuffix = ".images.bin";

    public string Directory => directory;

    /// <summary>The key of an image: the SHA-256 of its pixels, lower-case hex.</summary>
    public static string KeyOf(byte[] pixels) => Convert.ToHexString(SHA256.HashData(pixels)).ToLowerInvariant();

    private string Stem(string task, int seed) => Path.Combine(directory, task, string.Create(CultureInfo.InvariantCulture, $"seed-{seed:D7}"));

    /// <summary>Writes one episode's labels and images (images first: a labels file on disk always has its images).</summary>
    public void Save(string task, int seed, IReadOnlyList<DaggerLabel> labels, IReadOnlyDictionary<string, byte[]> images)
    {
        string stem = Stem(task, seed);
        AtomicFile.Write(stem + ImagesSuffix, stream =>
        {
            using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            var keys = images.Keys.Order(StringComparer.Ordinal).ToList();
            w.Write(keys.Count);
            foreach (string k in keys)
            {
                w.Write(k);
                w.Write(images[k].Length);
                w.Write(images[k]);
            }
        });
        AtomicFile.Write(stem + LabelsSuffix, stream =>
        {
            using var w = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\n" };
            foreach (var label in labels) w.WriteLine(JsonSerializer.Serialize(label, TrajectoryFormat.Json));
        });
    }

    /// <summary>Whether the episode's labels are on disk.</summary>
    public bool Has(string task, int seed) => File.Exists(Stem(task, seed) + LabelsSuffix);

    /// <summary>Every label under the folder (episodes in path order, decisions in order) and the images they name.</summary>
    public (IReadOnlyList<DaggerLabel> Labels, IReadOnlyDictionary<string, byte[]> Images) ReadAll()
    {
        var labels = new List<DaggerLabel>();
        var images = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        if (!System.IO.Directory.Exists(directory)) return (labels, images);
        foreach (string file in System.IO.Directory.EnumerateFiles(directory, "*" + LabelsSuffix, SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            using (var r = new BinaryReader(File.OpenRead(file[..^LabelsSuffix.Length] + ImagesSuffix)))
            {
                int n = r.ReadInt32();
                for (int i = 0; i < n; i++)
                {
                    string key = r.ReadString();
                    images[key] = r.ReadBytes(r.ReadInt32());
                }
            }
            foreach (string line in File.ReadLines(file))
                if (line.Length > 0) labels.Add(JsonSerializer.Deserialize<DaggerLabel>(line, TrajectoryFormat.Json)!);
        }
        return (labels, images);
    }
}
