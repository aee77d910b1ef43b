using System.CommandLine;
using Steve2.Pipeline.Student.Inference;

namespace Steve2.Pipeline.Cli;

/// <summary>The student agent's options on `eval`, `record`, `play` and `iteration-bench`: --student PATH, --device, --temperature, --top-k, --student-retries, --student-decoder.</summary>
internal sealed class StudentCliOptions
{
    private readonly Option<string?> _path = new("--student") { Description = "The student's checkpoint (default: the shipped one). Used when --agents names student." };
    private readonly Option<string> _device = new("--device") { Description = "The student's device: auto (CUDA when present), cpu, cuda or cuda:N.", DefaultValueFactory = _ => "auto" };
    private readonly Option<double> _temperature = new("--temperature") { Description = "The student's sampling temperature (0: greedy, the default).", DefaultValueFactory = _ => 0 };
    private readonly Option<int> _topK = new("--top-k") { Description = "Sample the student's tokens from the k most likely (0: all).", DefaultValueFactory = _ => 0 };

    private readonly Option<int> _retries = new("--student-retries")
    {
        Description = "Times the student is asked again after an answer the critic refuses or has a concern about (a build step off the plan), before the safe default or its first usable answer.",
        DefaultValueFactory = _ => new StudentAgentOptions().MaxRetries,
    };

    private readonly Option<string?> _decoder = new("--student-decoder") { Description = "For a student trained around a pretrained decoder (train-student --decoder): the decoder's folder, when it moved since training (default: the folder the checkpoint names)." };

    public IEnumerable<Option> All => [_path, _device, _temperature, _topK, _retries, _decoder];

    public StudentAgentOptions Resolve(ParseResult parse) => new()
    {
        ModelPath = parse.GetValue(_path),
        DecoderFolder = parse.GetValue(_decoder),
        Device = parse.GetValue(_device)!,
        Sampling = new SamplingOptions(parse.GetValue(_temperature), parse.GetValue(_topK)).Validated(),
        MaxRetries = parse.GetValue(_retries),
    };
}
