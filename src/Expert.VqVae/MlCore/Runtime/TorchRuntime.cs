using System.Runtime.InteropServices;
using TorchSharp;

namespace Expert.VqVae.MlCore.Runtime;

/// <summary>
/// The one place that prepares libtorch for a process: thread policy, thread count and device.
/// Every program that may load libtorch (the `vqvae` CLI, the host, the `steve2` pipeline with its
/// in-process expert host and, later, the student's trainers) calls <see cref="PreferPassiveThreads"/>
/// or <see cref="Initialize"/> before the first torch call.
/// </summary>
public static class TorchRuntime
{
    /// <summary>The libgomp variable this class sets, and the value it sets.</summary>
    public const string WaitPolicyVariable = "OMP_WAIT_POLICY";

    private const string PassiveWaitPolicy = "PASSIVE";

    private static readonly Lock Gate = new();
    private static bool _initialized;

    /// <summary>
    /// Sets OMP_WAIT_POLICY=PASSIVE in the native environment unless the user set a value (then it
    /// is kept). libgomp's default spin-wait made training steps 6-13x slower whenever another
    /// process kept a core busy (shared/STACK.md). The variable must be in the native environment
    /// before libtorch loads: <see cref="Environment.SetEnvironmentVariable(string, string)"/> only
    /// changes .NET's copy, so libc's setenv is called (and the .NET copy set too, so that child
    /// processes and readers see it). It makes no torch call, so it is safe in processes that
    /// load libtorch only later, or never. Idempotent.
    /// </summary>
    public static void PreferPassiveThreads()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable(WaitPolicyVariable) is not null) return;
        _ = setenv(WaitPolicyVariable, PassiveWaitPolicy, 0);
        Environment.SetEnvironmentVariable(WaitPolicyVariable, PassiveWaitPolicy);
    }

    /// <summary>
    /// <see cref="PreferPassiveThreads"/>, then loads libtorch and sets its intra-op thread count
    /// (<paramref name="threads"/>, else one per processor). Only the first call in a process acts.
    /// </summary>
    public static void Initialize(int? threads = null)
    {
        lock (Gate)
        {
            if (_initialized) return;
            PreferPassiveThreads();
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
