using System.Globalization;
using Expert.Host.Grpc;
using Grpc.Core;

namespace Expert.Host.Security;

/// <summary>
/// A per-principal quota refusal: RESOURCE_EXHAUSTED with google.rpc.ErrorInfo (reason
/// <c>PRINCIPAL_QUOTA_EXCEEDED</c>, metadata <c>quota</c>, <c>allowed</c>) and RetryInfo, the same details the
/// host sends for a full queue (QUEUE_FULL).
/// </summary>
internal static class QuotaStatus
{
    public const string Reason = "PRINCIPAL_QUOTA_EXCEEDED";

    public static RpcException Exceeded(string quota, int allowed, TimeSpan retryAfter, string message) =>
        ClientStatus.ResourceExhausted(message, Reason, [new("quota", quota), new("allowed", allowed.ToString(CultureInfo.InvariantCulture))], retryAfter);
}
