using Expert.VqVae.MlCore.Runtime;
using Steve2.Pipeline.Student.Data;
using Steve2.Pipeline.Student.Training;
using TorchSharp;

namespace Steve2.Pipeline.Student.Inference;

/// <summary>A loaded student: the checkpoint on its device, its generator and the batcher every episode of a run shares.</summary>
public sealed class StudentPolicy : IDisposable
{
    private StudentPolicy(StudentAgentOptions options, StudentHeader header, StudentBatcher batcher)
    {
        Options = options;
        Header = header;
        Batcher = batcher;
    }

    public StudentAgentOptions Options { get; }
    public StudentHeader Header { get; }
    public StudentBatcher Batcher { get; }

    public static StudentPolicy Load(StudentAgentOptions options)
    {
        options = options.Validated();
        var device = TorchRuntime.ResolveDevice(options.Device);
        if (StudentCheckpoint.PromptMismatch(StudentCheckpoint.Format.ReadHeader(options.ResolvedModelPath)) is string why)
            throw new ArgumentException($"The student {options.ResolvedModelPath} {why}.");
        var (header, model, tokenizer, _) = StudentCheckpoint.Load(options.ResolvedModelPath, options.DecoderFolder);
        model.to(device);
        model.eval();
        var generator = new StudentGenerator(model, new StudentSequences(tokenizer, model.Config), device);
        return new StudentPolicy(options, header, new StudentBatcher(generator, options.MaxBatch));
    }

    public void Dispose() => Batcher.Dispose();
}
