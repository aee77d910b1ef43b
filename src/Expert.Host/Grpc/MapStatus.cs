using System.Globalization;
using Expert.DynamicMap.Episodes;
using Expert.Host.Maps;
using Expert.Host.Telemetry;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace Expert.Host.Grpc;

/// <summary>A batch of an Observe stream was refused: the batches before it were applied, it and the rest were not.</summary>
internal sealed class ObserveStreamException(int batchIndex, int batchesApplied, MapException inner)
    : Exception($"Batch {batchIndex} of the stream was refused ({batchesApplied} applied before it): {inner.Message}", inner)
{
    public int BatchIndex { get; } = batchIndex;
    public int BatchesApplied { get; } = batchesApplied;
    public MapException Refusal { get; } = inner;
}

/// <summary>
/// The map library's errors as gRPC statuses with google.rpc details (called by <see cref="ErrorMappingInterceptor"/>):
/// INVALID_ARGUMENT + BadRequest (every field violation), NOT_FOUND + ResourceInfo for an episode,
/// FAILED_PRECONDITION + PreconditionFailure (EPISODE_CLOSED), RESOURCE_EXHAUSTED + ErrorInfo
/// (MAP_LIMIT_EXCEEDED with limit, allowed, requested), DATA_LOSS (logged). A refused Observe batch also
/// carries ErrorInfo BATCH_REFUSED with batch_index and batches_applied.
/// </summary>
internal static class MapStatus
{
    public const string Domain = ClientStatus.Domain;

    public static RpcException ToRpcException(Exception e, ILogger logger, string rpc)
    {
        ObserveStreamException? stream = e as ObserveStreamException;
        MapException map = stream?.Refusal ?? (MapException)e;
        var status = new Google.Rpc.Status { Code = (int)CodeOf(map.Kind), Message = e.Message };
        switch (map)
        {
            case MapValidationException invalid:
                status.Details.Add(Any.Pack(new BadRequest
                {
                    FieldViolations = { invalid.Violations.Select(v => new BadRequest.Types.FieldViolation { Field = v.Field, Description = v.Description }) },
                }));
                break;
            case EpisodeNotFoundException missing:
                status.Details.Add(Any.Pack(new ResourceInfo
                {
                    ResourceType = "steve2.expert.v1.Episode", ResourceName = missing.EpisodeId,
                    Description = "Open it with OpenEpisode first; ListEpisodes shows the ones the host keeps.",
                }));
                break;
            case EpisodeClosedException closed:
                status.Details.Add(Any.Pack(new PreconditionFailure
                {
                    Violations = { new PreconditionFailure.Types.Violation { Type = "EPISODE_CLOSED", Subject = $"episodes/{closed.EpisodeId}", Description = closed.Message } },
                }));
                break;
            case MapLimitExceededException limit:
                logger.CallRefused(rpc, limit.Message);
                status.Details.Add(Any.Pack(new ErrorInfo
                {
                    Reason = "MAP_LIMIT_EXCEEDED",
                    Domain = Domain,
                    Metadata =
                    {
                        ["limit"] = limit.Limit,
                        ["allowed"] = limit.Allowed.ToString(CultureInfo.InvariantCulture),
                        ["requested"] = limit.Requested.ToString(CultureInfo.InvariantCulture),
                    },
                }));
                break;
            case EpisodeCorruptedException:
                logger.MapDataLoss(map, rpc);
                break;
        }
        if (stream is not null)
        {
            status.Details.Add(Any.Pack(new ErrorInfo
            {
                Reason = "BATCH_REFUSED",
                Domain = Domain,
                Metadata =
                {
                    ["batch_index"] = stream.BatchIndex.ToString(CultureInfo.InvariantCulture),
                    ["batches_applied"] = stream.BatchesApplied.ToString(CultureInfo.InvariantCulture),
                },
            }));
        }
        return ClientStatus.ToRpcException(status);
    }

    public static StatusCode CodeOf(MapErrorKind kind) => kind switch
    {
        MapErrorKind.InvalidArgument => StatusCode.InvalidArgument,
        MapErrorKind.NotFound => StatusCode.NotFound,
        MapErrorKind.FailedPrecondition => StatusCode.FailedPrecondition,
        MapErrorKind.ResourceExhausted => StatusCode.ResourceExhausted,
        MapErrorKind.DataLoss => StatusCode.DataLoss,
        _ => StatusCode.Internal,
    };
}
