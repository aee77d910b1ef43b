using Grpc.Core;

namespace Steve2.Pipeline.Experts;

/// <summary>Turns a failed expert call into one sentence for the teacher's critic: what failed and what to do.</summary>
public static class ExpertErrors
{
    public static string Describe(string call, RpcException e)
    {
        string detail = string.IsNullOrWhiteSpace(e.Status.Detail) ? "" : $": {e.Status.Detail}";
        string advice = e.StatusCode switch
        {
            StatusCode.Unavailable => "the expert host is unreachable or still loading its model; continue without it and retry later",
            StatusCode.DeadlineExceeded => "the expert took too long; continue without its answer",
            StatusCode.InvalidArgument => "the request was refused as invalid; fix the arguments named above",
            StatusCode.NotFound => "the map episode or target is unknown to the expert; open the episode again",
            StatusCode.FailedPrecondition => "the map episode is closed; open a new one",
            StatusCode.ResourceExhausted => "the expert is at a limit or its queue is full; retry later with fewer requests",
            StatusCode.Cancelled => "the call was cancelled",
            StatusCode.Unauthenticated => "the expert host wants an API key: pass --experts-key or set STEVE2_EXPERTS_API_KEY",
            StatusCode.PermissionDenied => "the API key lacks the role this expert needs (occupancy or maps); ask the host's operator",
            _ => "the expert failed; continue without it",
        };
        return $"expert call {call} failed ({e.StatusCode}{detail}); {advice}.";
    }
}
