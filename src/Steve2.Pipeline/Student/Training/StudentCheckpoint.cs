using Expert.VqVae.MlCore.Checkpoints;
using Expert.VqVae.MlCore.Text;
using Steve2.Pipeline.Student.Data;
using Steve2.Pipeline.Student.Model;
using Steve2.Pipeline.Student.Model.Pretrained;
using TorchSharp;

namespace Steve2.Pipeline.Student.Training;

/// <summary>
/// The student checkpoint's header: the resolved config, the tokenizer (its identity: the vocabulary itself), the
/// stage and step, the best validation exact match, the dataset's fingerprint and the options that make a resume
/// exact (seed, batch, steps, learning rate), and the version of the prompts it was trained on (<see cref="StudentDataset.Version"/>;
/// 0 in checkpoints written before the field).
/// </summary>
public sealed record StudentHeader(
    int FormatVersion,
    StudentConfig Config,
    TokenizerVocabulary Tokenizer,
    string Stage,
    int Step,
    double BestMetric,
    string DatasetFingerprint,
    StudentTrainOptions? Training,
    bool HasOptimizerState,
    int DatasetVersion = 0);

/// <summary>
/// Student checkpoints in the ML core's one layout (<see cref="CheckpointFormat{THeader}"/>, magic "S2STCKPT"):
/// header, the vision encoder, the projector, the decoder, then the optimiser's state when training. Written atomically.
/// </summary>
public static class StudentCheckpoint
{
    public const int Version = 1;

    public static CheckpointFormat<StudentHeader> Format { get; } = new("S2STCKPT", "STEVE-2 student checkpoint",
        validate: h => h.FormatVersion != Version ? $"has student format {h.FormatVersion}; this build reads format {Version}" : null);

    public static void Save(string path, StudentHeader header, StudentModel model, torch.optim.Optimizer? optimizer = null) =>
        Format.Save(path, header with { FormatVersion = Version, HasOptimizerState = optimizer is not null }, model.Parts, optimizer);

    /// <summary>
    /// Loads the model (on the CPU) and its tokenizer; the optimiser's state is left in the file (see <see cref="LoadOptimizer"/>).
    /// A student made around a pretrained decoder reads the decoder from the folder its header names (or
    /// <paramref name="decoderFolder"/>, when it moved), after checking the files' SHA-256 against the header; a frozen
    /// decoder's weights come from there, a trained one's from the checkpoint.
    /// </summary>
    public static (StudentHeader Header, StudentModel Model, CompactBpeTokenizer Tokenizer, long OptimizerOffset) Load(string path, string? decoderFolder = null)
    {
        using var reader = Format.OpenRead(path);
        var tokenizer = new CompactBpeTokenizer(reader.Header.Tokenizer);
        var config = reader.Header.Config;
        if (config.Pretrained is { } needed && !Directory.Exists(decoderFolder ?? needed.Folder))
            throw new ArgumentException($"{path} was trained around the pretrained decoder {needed.Architecture} in {decoderFolder ?? needed.Folder}, which is not there: give its folder (--student-decoder DIR).");
        var model = config.Pretrained is { } p
            ? StudentModel.WithPretrained(config, PretrainedDecoder.Load(decoderFolder ?? p.Folder, p.Frozen, expected: p))
            : new StudentModel(config, tokenizer.Specials.IdOf(StudentVocabulary.Image));
        foreach (var part in model.Parts) reader.LoadModule(part);
        return (reader.Header, model, tokenizer, reader.HasMore ? reader.Position : -1);
    }

    /// <summary>
    /// Why a student cannot play with this build's prompts, or null: a checkpoint trained on another version of the
    /// dataset (<see cref="StudentDataset.Version"/>: what the notes say and how) would read prompts it never saw and
    /// answer worse without a sign. Checkpoints from before the version was recorded (0) are taken as they are.
    /// </summary>
    public static string? PromptMismatch(StudentHeader header) =>
        header.DatasetVersion != 0 && header.DatasetVersion != StudentDataset.Version
            ? $"was trained on student prompts of dataset version {header.DatasetVersion}; this build writes version {StudentDataset.Version} (Student/STUDENT.md, \"What the student reads\"): train it again on this build, or play it with the build that trained it"
            : null;

    public static void LoadOptimizer(string path, long offset, torch.optim.Optimizer optimizer) =>
        CheckpointFormat<StudentHeader>.LoadOptimizerState(path, offset, optimizer);
}
