using Google.Rpc;

namespace Expert.Host.Grpc;

/// <summary>
/// Collects the bad fields of one request, then throws one INVALID_ARGUMENT whose
/// google.rpc.Status details carry a google.rpc.BadRequest with every field violation
/// (grpc-dotnet examples/Error). Field names are the proto's, e.g. "grid.size_x".
/// </summary>
internal sealed class FieldViolations
{
    private readonly List<BadRequest.Types.FieldViolation> _violations = [];

    public bool HasAny => _violations.Count > 0;

    public void Add(string field, string description) =>
        _violations.Add(new BadRequest.Types.FieldViolation { Field = field, Description = description });

    /// <summary>Adds a violation unless <paramref name="ok"/>; returns <paramref name="ok"/>.</summary>
    public bool Require(bool ok, string field, string description)
    {
        if (!ok) Add(field, description);
        return ok;
    }

    public void ThrowIfAny()
    {
        if (_violations.Count == 0) return;
        throw ClientStatus.InvalidArgument("Invalid request", _violations.Select(v => (v.Field, v.Description)).ToArray());
    }
}
