using System.Collections.Concurrent;

namespace Steve2.Pipeline.Teacher.Backends;

/// <summary>
/// Leaves a failing chat endpoint alone for a while: after <see cref="RoleBackendOptions.CooldownAfterFailures"/>
/// failed questions in a row (each after its retries) it refuses to ask for <see cref="RoleBackendOptions.Cooldown"/>,
/// so a server that is down costs one fast failure a step, not the retries' waits; any answer, even garbage, resets
/// the count. One breaker per endpoint, model and setting in the process (<see cref="Shared"/>): every episode of a
/// run, and every role on the same model, learns at once that the server is down.
/// </summary>
public sealed class ChatCircuitBreaker(int failuresToOpen, TimeSpan cooldown, TimeProvider? time = null)
{
    private static readonly ConcurrentDictionary<(Uri?, string?, int, TimeSpan), ChatCircuitBreaker> Breakers = new();
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _gate = new();
    private int _failuresInARow;
    private DateTimeOffset _openUntil = DateTimeOffset.MinValue;
    private string? _lastFailure;

    /// <summary>The process's breaker for this endpoint, model and breaker setting.</summary>
    public static ChatCircuitBreaker Shared(RoleBackendOptions options) =>
        Breakers.GetOrAdd((options.Endpoint, options.Model, options.CooldownAfterFailures, options.Cooldown),
            key => new ChatCircuitBreaker(key.Item3, key.Item4));

    /// <summary>Why the endpoint is not to be asked now, or null when it may be.</summary>
    public string? Refusal()
    {
        lock (_gate)
            return _time.GetUtcNow() < _openUntil
                ? $"not asked, cooling down until {_openUntil:HH:mm:ss} UTC after {_failuresInARow} failed questions in a row (the last: {_lastFailure})"
                : null;
    }

    public void Succeeded()
    {
        lock (_gate) _failuresInARow = 0;
    }

    public void Failed(string why)
    {
        lock (_gate)
        {
            _lastFailure = why;
            if (++_failuresInARow >= failuresToOpen && failuresToOpen > 0) _openUntil = _time.GetUtcNow() + cooldown;
        }
    }
}
