namespace Steve2.Pipeline.Experts;

/// <summary>
/// The answer of one expert call: a value, or an error sentence the teacher's critic can act on.
/// Expert calls never throw into an episode (only the episode's own cancellation does).
/// </summary>
public sealed record ExpertResult<T>(T? Value, string? Error)
{
    /// <summary>True when the call succeeded and <see cref="Value"/> holds its answer.</summary>
    public bool Ok => Error is null;

    public static ExpertResult<T> Success(T value) => new(value, null);

    public static ExpertResult<T> Failure(string error) => new(default, error);
}
