using System.Runtime.InteropServices;
using Expert.Host.Options;
using Expert.VqVae.MlCore.Runtime;
using Microsoft.Extensions.Options;

namespace Expert.Host.Batching;

/// <summary>
/// Gives memory back once the host has been idle for <see cref="BatchingOptions.IdleTrimSeconds"/>
/// (issue 12: after heavy load RSS stayed at its peak). Once per idle period it runs a blocking,
/// compacting, aggressive GC and, on Linux, glibc's <c>malloc_trim(0)</c> (<see cref="ProcessMemory.GiveBack"/>).
/// At start it caps glibc's malloc arenas (<see cref="BatchingOptions.MallocArenaMax"/>): with the
/// default of 8 per core every thread pool thread that touched native code keeps its own arena of
/// freed but unreturned memory.
/// </summary>
internal sealed class IdleMemoryTrimmer(
    AdmissionController admission, IOptions<BatchingOptions> options, TimeProvider clock, ILogger<IdleMemoryTrimmer> logger) : BackgroundService
{
    private const int MallocArenaMaxParameter = -8; // M_ARENA_MAX in glibc's malloc.h

    /// <summary>Trims done so far (for tests and logs).</summary>
    public int Trims => Volatile.Read(ref _trims);

    private int _trims;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.MallocArenaMax > 0 && OperatingSystem.IsLinux())
        {
            try { _ = mallopt(MallocArenaMaxParameter, options.Value.MallocArenaMax); }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { } // not glibc (musl)
        }
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        int idleSeconds = options.Value.IdleTrimSeconds;
        if (idleSeconds == 0) return;
        TimeSpan idle = TimeSpan.FromSeconds(idleSeconds);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Min(1, idleSeconds)), clock);
        bool trimmedThisPeriod = true; // nothing to give back before the first request
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                TimeSpan idleFor = admission.IdleFor;
                if (idleFor < idle)
                {
                    if (admission.Outstanding > 0) trimmedThisPeriod = false;
                    continue;
                }
                if (trimmedThisPeriod) continue;
                trimmedThisPeriod = true;
                Trim();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One trim: aggressive GC, then malloc_trim on Linux (<see cref="ProcessMemory.GiveBack"/>).</summary>
    public void Trim()
    {
        var (before, after) = ProcessMemory.GiveBack();
        Interlocked.Increment(ref _trims);
        logger.LogInformation("Idle for {IdleSeconds} s: gave memory back, working set {BeforeMb:F0} -> {AfterMb:F0} MB.",
            options.Value.IdleTrimSeconds, before, after);
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int parameter, int value);
}
