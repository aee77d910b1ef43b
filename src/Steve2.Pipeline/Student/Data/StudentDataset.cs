using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Expert.DynamicMap.Shared;
using Expert.VqVae.MlCore.Text;
using Steve2.Pipeline.Tasks;
using Steve2.Pipeline.Trajectories;
using Steve2.Pipeline.Student.Model;

namespace Steve2.Pipeline.Student.Data;

/// <summary>
/// The student's behaviour-cloning data, made once from recorded trajectories (format v2) and cached in one
/// versioned file (<see cref="FileName"/>). Only what the student may see is read: each episode's manifest,
/// steps.jsonl and step images, through <see cref="RecordedEpisode.ReadSteps"/>; <c>expert/</c> is never opened, so a
/// copy of the episodes without it makes the same bytes (a test proves it). Training-split episodes only: an
/// evaluation (or unassigned) episode is refused. Seeds whose last digit is 9 are held out for validation
/// (<see cref="IsValidationSeed"/>); the tokenizer is fitted on the other seeds' texts.
/// The cache is keyed by a fingerprint of exactly the files read (paths and SHA-256), and by <see cref="Version"/>.
/// </summary>
public sealed class StudentDataset
{
    public const int Version = 10;   // 3: the notes list directions and build steps most useful first; 4: an actor's goal line; 5: directions as full words; 6: collection checklists and recipe steps, a block searcher's descent, an actor's view and stop; 7: the manager's split, the explore bonus in the order, claims, blocked sound bearings, a sound area's distance, the look around's point, an actor's too-far way; 8: a space between a bracket and a number (StudentVocabulary), a collector's step now or what blocks it and the block below its feet; 9: a searcher's look around only when the rules would look, a structure's distance, claim and look inside, a sound area's outside or inside, a seen chest named so; 10: a space between a bracket and a word too, and the teacher's look angles in whole degrees
    public const string FileName = "dataset.bin";
    private const string Magic = "S2STDATA";

    private StudentDataset(string fingerprint, int imageSize, CompactBpeTokenizer tokenizer, IReadOnlyList<byte[]> images, IReadOnlyList<StudentExample> examples)
    {
        Fingerprint = fingerprint;
        ImageSize = imageSize;
        Tokenizer = tokenizer;
        Images = images;
        Examples = examples;
    }

    /// <summary>SHA-256 over the relative paths and contents of every file the dataset was made from.</summary>
    public string Fingerprint { get; }
    public int ImageSize { get; }
    public CompactBpeTokenizer Tokenizer { get; }

    /// <summary>Distinct step images, RGB bytes row by row (ImageSize^2 * 3 each).</summary>
    public IReadOnlyList<byte[]> Images { get; }
    public IReadOnlyList<StudentExample> Examples { get; }

    public IEnumerable<StudentExample> Training => Examples.Where(e => !IsValidationSeed(e.Seed));
    public IEnumerable<StudentExample> Validation => Examples.Where(e => IsValidationSeed(e.Seed));

    /// <summary>Held-out seeds: those whose last digit is 9 (a tenth of any seed range).</summary>
    public static bool IsValidationSeed(int seed) => seed % 10 == 9;

    /// <summary>The cached dataset of <paramref name="root"/> when its fingerprint and version match, else a new one (saved to <paramref name="cachePath"/>).</summary>
    /// <param name="tokenizer">Encode with this tokenizer (a checkpoint's, to fine-tune it on new data; unseen pieces go
    /// to bytes) instead of fitting one on the training texts; it is part of the cache's fingerprint.</param>
    public static StudentDataset LoadOrBuild(string root, string cachePath, Action<string>? log = null, CompactBpeTokenizer? tokenizer = null)
    {
        string fingerprint = FingerprintOf(root, tokenizer);
        if (File.Exists(cachePath))
        {
            try
            {
                var cached = Read(cachePath);
                if (cached.Fingerprint == fingerprint)
                {
                    log?.Invoke($"dataset: {cached.Examples.Count} examples from the cache {cachePath}");
                    return cached;
                }
                log?.Invoke("dataset: the data changed since the cache was made; building it again");
            }
            catch (InvalidDataException e)
            {
                log?.Invoke($"dataset: the cache cannot be read ({e.Message}); building it again");
            }
        }
        var built = Build(root, tokenizer);
        AtomicFile.Write(cachePath, built.Write);
        log?.Invoke($"dataset: {built.Examples.Count} examples ({built.Images.Count} images, vocabulary {built.Tokenizer.VocabularySize}) cached in {cachePath}");
        return built;
    }

    /// <summary>Reads every training episode under <paramref name="root"/> (TRAJECTORY_FORMAT.md) into examples.</summary>
    /// <param name="tokenizer">The tokenizer to encode with; null fits one on the training seeds' texts.</param>
    /// <exception cref="ArgumentException">An evaluation or unassigned episode, or no episode at all.</exception>
    public static StudentDataset Build(string root, CompactBpeTokenizer? tokenizer = null)
    {
        bool given = tokenizer is not null;
        var episodes = Episodes(root);
        var raw = new List<(RecordedEpisode Episode, TrajectoryStep Step, string Memory, int Image)>();
        var images = new List<byte[]>();
        var imageIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        int imageSize = 0;
        foreach (var episode in episodes)
        {
            var history = new List<RememberedStep>();
            var episodeImages = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var step in episode.ReadSteps())
            {
                if (!episodeImages.TryGetValue(step.Image, out int index))
                {
                    var image = episode.LoadImage(step.Image);
                    if (image.Width != image.Height || (imageSize != 0 && image.Width != imageSize))
                        throw new ArgumentException($"{episode.Directory}/{step.Image} is {image.Width}x{image.Height}; the student reads square images of one size.");
                    imageSize = image.Width;
                    string key = Convert.ToHexString(SHA256.HashData(image.Pixels));
                    if (!imageIndex.TryGetValue(key, out index))
                    {
                        index = images.Count;
                        images.Add(image.Pixels);
                        imageIndex[key] = index;
                    }
                    episodeImages[step.Image] = index;
                }
                raw.Add((episode, step, StudentMemory.Text(history, step.Role, step.AgentId, step.Facts, step.Instruction), index));
                history.Add(new RememberedStep(step.Role, step.AgentId, step.ActionText, step.Code, step.Outcome));
            }
        }
        if (raw.Count == 0) throw new ArgumentException($"No recorded steps under {root}: record teacher trajectories first (steve2 record).");
        tokenizer ??= StudentVocabulary.Fit(raw.Where(r => !IsValidationSeed(r.Episode.Manifest.Seed))
            .SelectMany(r => new[] { r.Step.Instruction, r.Step.StateText, r.Memory, r.Step.ActionText }));
        var specials = tokenizer.Specials;
        var examples = raw.Select(r => new StudentExample(r.Episode.Manifest.Task, r.Episode.Manifest.Seed, r.Step.Role, r.Step.AgentId,
            specials.IdOf(StudentVocabulary.RoleToken(r.Step.Role)), StudentVocabulary.Encode(tokenizer, r.Step.Instruction),
            StudentVocabulary.Encode(tokenizer, r.Step.StateText), StudentVocabulary.Encode(tokenizer, r.Memory), r.Image,
            StudentVocabulary.Encode(tokenizer, r.Step.ActionText), r.Step.ActionText,
            r.Step.Facts is null ? null : JsonSerializer.Serialize(r.Step.Facts, TrajectoryFormat.Json))).ToList();
        return new StudentDataset(FingerprintOf(root, given ? tokenizer : null), imageSize, tokenizer, images, examples);
    }

    /// <summary>
    /// Each prompt segment's token length (p50, p95, max) against the config's budget and the share of examples it cuts:
    /// what to look at before choosing budgets ("memory p50 71 p95 140 max 210 / 192 (cut 2.1%)").
    /// </summary>
    public string LengthSummary(StudentConfig config)
    {
        string Segment(string name, Func<StudentExample, int> length, int budget)
        {
            var lengths = Examples.Select(length).Order().ToArray();
            if (lengths.Length == 0) return $"{name} -";
            int At(double q) => lengths[Math.Min(lengths.Length - 1, (int)(q * lengths.Length))];
            double cut = lengths.Count(l => l > budget) / (double)lengths.Length;
            return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{name} p50 {At(0.5)} p95 {At(0.95)} max {lengths[^1]} / {budget} (cut {cut:P1})");
        }
        return string.Join("; ", Segment("instruction", e => e.Instruction.Length, config.MaxInstructionTokens),
            Segment("state", e => e.State.Length, config.MaxStateTokens), Segment("memory", e => e.Memory.Length, config.MaxMemoryTokens),
            Segment("answer", e => e.Action.Length + 1, config.MaxActionTokens));
    }

    /// <summary>The training episodes under <paramref name="root"/>; throws on any other split.</summary>
    public static IReadOnlyList<RecordedEpisode> Episodes(string root)
    {
        if (!System.IO.Directory.Exists(root)) throw new DirectoryNotFoundException($"No trajectory folder {root}.");
        var episodes = new TrajectoryReader(root).Episodes().ToList();
        foreach (var e in episodes)
            if (e.Manifest.Split != TrajectoryFormat.TrainingSplit || e.Manifest.Seed < TaskSeedPolicy.TrainingFirst)
                throw new ArgumentException(
                    $"{e.Directory} is a {e.Manifest.Split} episode (seed {e.Manifest.Seed}): the student never trains on evaluation episodes. " +
                    $"Give a folder of `steve2 record` episodes (training seeds from {TaskSeedPolicy.TrainingFirst}).");
        return episodes;
    }

    /// <summary>SHA-256 over the relative path, length and SHA-256 of every file the dataset reads (manifests, steps, step
    /// images), and the given tokenizer's vocabulary when the dataset is encoded with one.</summary>
    public static string FingerprintOf(string root, CompactBpeTokenizer? tokenizer = null)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"student-dataset v{Version}\n"));
        if (tokenizer is not null) hash.AppendData(Encoding.UTF8.GetBytes($"tokenizer {JsonSerializer.Serialize(tokenizer.Vocabulary)}\n"));
        foreach (var episode in Episodes(root))
        {
            string rel = Path.GetRelativePath(root, episode.Directory).Replace('\\', '/');
            var files = new List<string> { TrajectoryFormat.ManifestFile, TrajectoryFormat.StepsFile };
            string imageDir = Path.Combine(episode.Directory, TrajectoryFormat.ImagesFolder);
            if (System.IO.Directory.Exists(imageDir))
                files.AddRange(System.IO.Directory.EnumerateFiles(imageDir).Select(f => TrajectoryFormat.ImagesFolder + "/" + Path.GetFileName(f)).Order(StringComparer.Ordinal));
            foreach (string f in files)
            {
                byte[] bytes = File.ReadAllBytes(Path.Combine(episode.Directory, f));
                hash.AppendData(Encoding.UTF8.GetBytes($"{rel}/{f} {bytes.Length} "));
                hash.AppendData(SHA256.HashData(bytes));
            }
        }
        return Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
    }

    /// <summary>Writes the dataset (deterministic bytes: the same data always gives the same file).</summary>
    public void Write(Stream stream)
    {
        using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        w.Write(Encoding.ASCII.GetBytes(Magic));
        w.Write(Version);
        w.Write(Fingerprint);
        w.Write(JsonSerializer.Serialize(Tokenizer.Vocabulary));
        w.Write(ImageSize);
        w.Write(Images.Count);
        foreach (var image in Images) w.Write(image);
        w.Write(Examples.Count);
        foreach (var e in Examples)
        {
            w.Write(e.Task);
            w.Write(e.Seed);
            w.Write(e.Role);
            w.Write(e.AgentId);
            w.Write(e.RoleId);
            WriteIds(w, e.Instruction);
            WriteIds(w, e.State);
            WriteIds(w, e.Memory);
            w.Write(e.ImageIndex);
            WriteIds(w, e.Action);
            w.Write(e.ActionText);
            w.Write(e.FactsJson ?? "");
        }
    }

    /// <summary>Reads a dataset file.</summary>
    /// <exception cref="InvalidDataException">Not a dataset file, or another version.</exception>
    public static StudentDataset Read(string path)
    {
        using var r = new BinaryReader(File.OpenRead(path), Encoding.UTF8);
        try
        {
            if (Encoding.ASCII.GetString(r.ReadBytes(8)) != Magic) throw new InvalidDataException($"{path} is not a student dataset.");
            int version = r.ReadInt32();
            if (version != Version) throw new InvalidDataException($"{path} has dataset version {version}; this build makes version {Version}.");
            string fingerprint = r.ReadString();
            var tokenizer = new CompactBpeTokenizer(JsonSerializer.Deserialize<TokenizerVocabulary>(r.ReadString())!);
            int imageSize = r.ReadInt32();
            var images = new byte[r.ReadInt32()][];
            for (int i = 0; i < images.Length; i++) images[i] = r.ReadBytes(imageSize * imageSize * 3);
            var examples = new StudentExample[r.ReadInt32()];
            for (int i = 0; i < examples.Length; i++)
            {
                string task = r.ReadString();
                int seed = r.ReadInt32();
                string role = r.ReadString();
                int agent = r.ReadInt32(), roleId = r.ReadInt32();
                int[] instruction = ReadIds(r), state = ReadIds(r), memory = ReadIds(r);
                int image = r.ReadInt32();
                int[] action = ReadIds(r);
                string text = r.ReadString(), facts = r.ReadString();
                examples[i] = new StudentExample(task, seed, role, agent, roleId, instruction, state, memory, image, action, text, facts.Length == 0 ? null : facts);
            }
            return new StudentDataset(fingerprint, imageSize, tokenizer, images, examples);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"{path} is truncated.", e);
        }
    }

    private static void WriteIds(BinaryWriter w, int[] ids)
    {
        w.Write(ids.Length);
        foreach (int id in ids) w.Write(id);
    }

    private static int[] ReadIds(BinaryReader r)
    {
        var ids = new int[r.ReadInt32()];
        for (int i = 0; i < ids.Length; i++) ids[i] = r.ReadInt32();
        return ids;
    }
}
