using System.Runtime.InteropServices;
using TorchSharp;

namespace Expert.VqVae.MlCore.Runtime;

/// <summary>
/// One place that prepares libtorch for this process: thread policy, thread count and device.
/// Call <see cref="Initialize"/> before the first torch call.
/// </summary>
public static class TorchRuntime
{
    private static readonly Lock Gate = new();
    private static bool _initialized;

    /// <summary>
    /// libgomp's default spin-wait made training steps 6-13x slower whenever another process kept
    /// a core busy (see ../shared/STACK.md). OMP_WAIT_POLICY must be in the native environment
    /// before libtorch loads: Environment.SetEnvironmentVariable only changes the managed copy, so
    /// we call libc's setenv. A value the user already set is kept.
    /// </summary>
    public static void Initialize(int? threads = null)
    {
        lock (Gate)
        {
            if (_initialized) return;
            if (OperatingSystem.IsLinux() && Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is null)
            {
                _ = setenv("OMP_WAIT_POLICY", "PASSIVE", 0);
                Environment.SetEnvironmentVariable("OMP_WAIT_POLICY", "PASSIVE");
            }
            int n = threads ?? Environment.ProcessorCount;
            torch.set_num_threads(Math.Max(1, n));
            _initialized = true;
        }
    }

    /// <summary>Resolves "auto" | "cpu" | "cuda" | "cuda:N" to a device present on this machine.</summary>
    public static torch.Device ResolveDevice(string requested)
    {
        Initialize();
        string r = requested.Trim().ToLowerInvariant();
        if (r is "" or "auto") return torch.cuda.is_available() ? torch.CUDA : torch.CPU;
        if (r == "cpu") return torch.CPU;
        if (r.StartsWith("cuda", StringComparison.Ordinal))
        {
            if (!torch.cuda.is_available())
                throw new InvalidOperationException(
                    $"Device '{requested}' was asked for, but CUDA is not available here (a CPU build of TorchSharp, or no GPU). Use 'auto' or 'cpu'.");
            return new torch.Device(r);
        }
        throw new ArgumentException($"Unknown device '{requested}': use auto, cpu, cuda or cuda:N.", nameof(requested));
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int setenv(string name, string value, int overwrite);
}
