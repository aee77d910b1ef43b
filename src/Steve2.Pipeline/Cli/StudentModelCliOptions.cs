using System.CommandLine;
using Expert.VqVae.MlCore.Runtime;
using Expert.VqVae.MlCore.Text;
using Steve2.Pipeline.Student.Model;
using Steve2.Pipeline.Student.Training;
using TorchSharp;

namespace Steve2.Pipeline.Cli;

/// <summary>
/// The options of the commands that load a student checkpoint as a model (`student-bench`, `student-validate`):
/// --student PATH (required), --device, --threads, --student-decoder; <see cref="Load"/> starts libtorch and puts the
/// model on the device.
/// </summary>
internal sealed class StudentModelCliOptions
{
    private readonly Option<string> _path = new("--student") { Description = "The student's checkpoint.", Required = true };
    private readonly Option<string> _device = new("--device") { Description = "auto, cpu, cuda or cuda:N.", DefaultValueFactory = _ => "auto" };
    private readonly Option<int?> _threads = new("--threads") { Description = "CPU threads for libtorch (default: one per core)." };
    private readonly Option<string?> _decoder = new("--student-decoder") { Description = "A pretrained decoder's folder, when it moved since training (default: the folder the checkpoint names)." };

    public IEnumerable<Option> All => [_path, _device, _threads, _decoder];

    public (StudentHeader Header, StudentModel Model, CompactBpeTokenizer Tokenizer, torch.Device Device) Load(ParseResult parse)
    {
        TorchRuntime.Initialize(parse.GetValue(_threads));
        var device = TorchRuntime.ResolveDevice(parse.GetValue(_device)!);
        var (header, model, tokenizer, _) = StudentCheckpoint.Load(parse.GetValue(_path)!, parse.GetValue(_decoder));
        model.to(device);
        return (header, model, tokenizer, device);
    }
}
