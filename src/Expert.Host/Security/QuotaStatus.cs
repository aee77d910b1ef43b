using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
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
        new Google.Rpc.Status
        {
            Code = (int)Code.ResourceExhausted,
            Message = message,
            Details =
            {
                Any.Pack(new ErrorInfo
                {
                    Reason = Reason,
                    Domain = "steve2.expert.v1",
                    Metadata = { ["quota"] = quota, ["allowed"] = allowed.ToString(CultureInfo.InvariantCulture) },
                }),
                Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(retryAfter) }),
            },
        }.ToRpcException();
}
