using Expert.VqVae.MlCore.Runtime;
using TorchSharp;

namespace Steve2.Pipeline.Tests.Student;

/// <summary>A fact that runs only where libtorch sees a CUDA device; elsewhere it is reported as skipped, with the reason.</summary>
public sealed class CudaFactAttribute : FactAttribute
{
    public CudaFactAttribute()
    {
        if (!CudaAvailable.Value)
            Skip = "No CUDA device here (a CPU build of TorchSharp, or no GPU): the CUDA path runs where one is present (tools/gpu-train shows how).";
    }

    private static readonly Lazy<bool> CudaAvailable = new(() =>
    {
        TorchRuntime.Initialize();
        return torch.cuda.is_available();
    });
}
