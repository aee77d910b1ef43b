namespace Steve2.Pipeline.Experts;

/// <summary>
/// Counts, per episode, the expert calls that found no host (gRPC Unavailable, or no connection at all), so that
/// <c>steve2 record</c> can refuse to keep an episode the teacher played partly without its experts because the host
/// was down (the container killed, a replica restarted): such an episode fails instead, leaves no trajectory, and the
/// next run of the same command plays it again (EVALUATION.md, "Expert outages"). The harness opens a scope around each
/// episode (<see cref="Begin"/>); it flows with the episode's async calls (an <see cref="AsyncLocal{T}"/>), so
/// parallel episodes count apart. Other expert errors (a refused request, a deadline) are the teacher's to handle
/// and are not counted.
/// </summary>
public sealed class ExpertOutage
{
    private static readonly AsyncLocal<ExpertOutage?> CurrentScope = new();
    private int _unreachable;
    private string? _first;

    /// <summary>Calls of this episode that found no expert host.</summary>
    public int UnreachableCalls => Volatile.Read(ref _unreachable);

    /// <summary>The first such failure, as the teacher was told it.</summary>
    public string? First => Volatile.Read(ref _first);

    /// <summary>Starts counting for the calling episode (and everything it awaits); returns the scope to read afterwards.</summary>
    public static ExpertOutage Begin() => CurrentScope.Value = new ExpertOutage();

    /// <summary>Called by <see cref="ExpertClients"/> when a call found no host.</summary>
    internal static void Unreachable(string error)
    {
        if (CurrentScope.Value is not { } scope) return;
        Interlocked.CompareExchange(ref scope._first, error, null);
        Interlocked.Increment(ref scope._unreachable);
    }
}
