namespace Expert.DynamicMap.Episodes;

/// <summary>The status a host reports for a <see cref="MapException"/> (gRPC codes of the same names).</summary>
public enum MapErrorKind
{
    InvalidArgument,
    NotFound,
    FailedPrecondition,
    ResourceExhausted,
    DataLoss,
}

/// <summary>Every error the library reports on purpose; anything else is a bug (INTERNAL).</summary>
public abstract class MapException(string message) : Exception(message)
{
    public abstract MapErrorKind Kind { get; }
}

/// <summary>One bad field: a path in the request (proto field names, e.g. "observations[3].pose.x") and what is wrong.</summary>
public sealed record FieldViolation(string Field, string Description)
{
    public override string ToString() => $"{Field}: {Description}";
}

/// <summary>Bad input (INVALID_ARGUMENT), with every violation found (up to a cap).</summary>
public sealed class MapValidationException(IReadOnlyList<FieldViolation> violations)
    : MapException(Summarize(violations))
{
    public IReadOnlyList<FieldViolation> Violations { get; } = violations;
    public override MapErrorKind Kind => MapErrorKind.InvalidArgument;

    public MapValidationException(string field, string description) : this([new FieldViolation(field, description)]) { }

    private static string Summarize(IReadOnlyList<FieldViolation> violations) =>
        violations.Count == 1
            ? $"Invalid argument: {violations[0]}"
            : $"Invalid argument ({violations.Count} violations): {string.Join("; ", violations.Take(5))}{(violations.Count > 5 ? "; ..." : "")}";
}

/// <summary>Something named does not exist (NOT_FOUND).</summary>
public class MapNotFoundException(string message) : MapException(message)
{
    public override MapErrorKind Kind => MapErrorKind.NotFound;
}

public sealed class EpisodeNotFoundException(string episodeId)
    : MapNotFoundException($"Episode '{episodeId}' does not exist.")
{
    public string EpisodeId { get; } = episodeId;
}

/// <summary>The episode is closed: it can be read but not changed (FAILED_PRECONDITION).</summary>
public sealed class EpisodeClosedException(string episodeId)
    : MapException($"Episode '{episodeId}' is closed; open a new episode to observe.")
{
    public string EpisodeId { get; } = episodeId;
    public override MapErrorKind Kind => MapErrorKind.FailedPrecondition;
}

/// <summary>A limit would be passed (RESOURCE_EXHAUSTED); nothing was changed.</summary>
public sealed class MapLimitExceededException(string limit, long allowed, long requested, string advice)
    : MapException($"Limit {limit} ({allowed}) would be exceeded ({requested}). {advice}")
{
    public string Limit { get; } = limit;
    public long Allowed { get; } = allowed;
    public long Requested { get; } = requested;
    public override MapErrorKind Kind => MapErrorKind.ResourceExhausted;
}

/// <summary>The episode's files on disk are damaged beyond a torn last record (DATA_LOSS).</summary>
public sealed class EpisodeCorruptedException(string episodeId, string detail)
    : MapException($"Episode '{episodeId}' on disk is damaged: {detail}")
{
    public string EpisodeId { get; } = episodeId;
    public override MapErrorKind Kind => MapErrorKind.DataLoss;
}
