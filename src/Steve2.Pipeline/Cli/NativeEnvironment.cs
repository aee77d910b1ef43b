using System.Runtime.InteropServices;

namespace Steve2.Pipeline.Cli;

/// <summary>
/// Native settings made before libtorch can load (the in-process expert host loads it). libgomp's
/// default spin-wait made torch 6-13x slower whenever another process kept a core busy (shared/STACK.md);
/// OMP_WAIT_POLICY must be in the native environment before the library loads, which
/// Environment.SetEnvironmentVariable does not reach, so libc's setenv is called. A value the user set is kept.
/// </summary>
internal static class NativeEnvironment
{
    public static void PreferPassiveThreads()
    {
        if (!OperatingSystem.IsLinux() || System.Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is not null) return;
        _ = setenv("OMP_WAIT_POLICY", "PASSIVE", 0);
        System.Environment.SetEnvironmentVariable("OMP_WAIT_POLICY", "PASSIVE");
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int setenv(string name, string value, int overwrite);
}
