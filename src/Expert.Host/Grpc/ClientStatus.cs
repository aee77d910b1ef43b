using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace Expert.Host.Grpc;

/// <summary>
/// The one way an error leaves the host: every status both services send is built or sealed here, so its
/// trailers (<c>grpc-message</c> and the base64 <c>grpc-status-details-bin</c>) stay far below the 8-16 KiB header
/// limits of HTTP/2 clients whatever the request held. A client that receives oversized trailers drops the
/// connection, gets no status, waits for its deadline, and every other call on that connection fails too.
/// <list type="bullet">
/// <item>at most <see cref="MaxViolations"/> field violations, then one entry "and K more";</item>
/// <item>every string a detail carries (field, description, resource name, metadata value) cut to
/// <see cref="MaxFieldChars"/> or <see cref="MaxTextChars"/> characters with an ellipsis; values echoed from a
/// request are cut further by <see cref="Echo"/>;</item>
/// <item>the message cut to <see cref="MaxMessageChars"/>; and the serialized google.rpc.Status (message and
/// details) kept within <see cref="MaxStatusBytes"/> by dropping violations from the end;</item>
/// <item>absolute server paths in any text cut to their last name (<see cref="WithoutPaths"/>).</item>
/// </list>
/// Worst case on the wire: base64 of 2 KiB (~2.7 KiB) plus a percent-encoded message (at most ~2.3 KiB).
/// </summary>
internal static partial class ClientStatus
{
    public const int MaxViolations = 20;
    public const int MaxFieldChars = 100;
    public const int MaxTextChars = 160;
    public const int MaxEchoChars = 40;
    public const int MaxMessageChars = 256;
    public const int MaxStatusBytes = 2048;

    /// <summary>The field of the entry that stands for the violations left out.</summary>
    public const string MoreField = "(more)";

    private const string Ellipsis = "…";

    /// <summary>A value from the request, quoted into a message: at most <see cref="MaxEchoChars"/> characters.</summary>
    public static string Echo(string? value) => Clip(value ?? "", MaxEchoChars);

    /// <summary><paramref name="text"/> cut to <paramref name="max"/> characters (the last one an ellipsis), never inside a surrogate pair.</summary>
    public static string Clip(string text, int max)
    {
        if (text.Length <= max) return text;
        int keep = max - Ellipsis.Length;
        if (keep > 0 && char.IsHighSurrogate(text[keep - 1])) keep--;
        return string.Concat(text.AsSpan(0, Math.Max(keep, 0)), Ellipsis);
    }

    /// <summary>
    /// <paramref name="text"/> with every absolute path (<c>/srv/maps/episodes/ep-1/log.bin</c>, <c>C:\data\x</c>)
    /// cut to its last name (<c>log.bin</c>): a client never learns the server's file layout; the log keeps the
    /// full path. The messages name the episode, so the file's name is all the client needs.
    /// </summary>
    public static string WithoutPaths(string text) =>
        text.Contains('/') || text.Contains('\\') ? AbsolutePath().Replace(text, m => FileName(m.Value)) : text;

    private static string FileName(string path)
    {
        string trimmed = path.TrimEnd('/', '\\');
        int last = trimmed.LastIndexOfAny(['/', '\\']);
        string name = last >= 0 ? trimmed[(last + 1)..] : trimmed;
        return name.Length > 0 ? name : "(a server path)";
    }

    /// <summary>A rooted path of at least two names: '/' or a drive letter at a word boundary, then no spaces or quotes.</summary>
    [GeneratedRegex(@"(?<![\w.~-])(?:[A-Za-z]:[\\/]|/|\\\\)[^\s'""`<>|,;()]*[\\/][^\s'""`<>|,;()]*?(?=[.:]?(?:[\s'""`<>|,;()]|$))")]
    private static partial Regex AbsolutePath();

    /// <summary>Text for the client: paths stripped (<see cref="WithoutPaths"/>), then cut to <paramref name="max"/>.</summary>
    public static string Text(string text, int max) => Clip(WithoutPaths(text), max);

    /// <summary>INVALID_ARGUMENT with a google.rpc.BadRequest of the violations (capped), any other details after it.</summary>
    public static RpcException InvalidArgument(string prefix, IReadOnlyCollection<(string Field, string Description)> violations,
        params IMessage[] otherDetails)
    {
        string summary = string.Join("; ", violations.Take(3).Select(v => $"{v.Field} {v.Description}"));
        if (violations.Count > 3) summary += $"; and {violations.Count - 3} more";
        var status = new Google.Rpc.Status
        {
            Code = (int)Code.InvalidArgument,
            Message = $"{prefix}: {summary}",
            Details =
            {
                Any.Pack(new BadRequest
                {
                    FieldViolations = { violations.Select(v => new BadRequest.Types.FieldViolation { Field = v.Field, Description = v.Description }) },
                }),
            },
        };
        foreach (IMessage detail in otherDetails) status.Details.Add(Any.Pack(detail));
        return ToRpcException(status);
    }

    /// <summary>The error domain of every google.rpc.ErrorInfo the host sends.</summary>
    public const string Domain = "steve2.expert.v1";

    /// <summary>
    /// A limit refusal: RESOURCE_EXHAUSTED with google.rpc.ErrorInfo (<paramref name="reason"/>, <paramref name="metadata"/>)
    /// and RetryInfo (<paramref name="retryAfter"/>), the shape of every "try again later" the host sends (a full queue,
    /// a cost or deadline refusal, a per-principal quota).
    /// </summary>
    public static RpcException ResourceExhausted(string message, string reason, IEnumerable<KeyValuePair<string, string>> metadata, TimeSpan retryAfter)
    {
        var info = new ErrorInfo { Reason = reason, Domain = Domain };
        foreach (var (key, value) in metadata) info.Metadata[key] = value;
        return ToRpcException(new Google.Rpc.Status
        {
            Code = (int)Code.ResourceExhausted,
            Message = message,
            Details = { Any.Pack(info), Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(retryAfter) }) },
        });
    }

    /// <summary>A status with no details, its message cut.</summary>
    public static RpcException Plain(StatusCode code, string message) =>
        new(new global::Grpc.Core.Status(code, Text(message, MaxMessageChars)));

    /// <summary>Seals <paramref name="status"/> (see the type's summary) and turns it into the exception gRPC sends.</summary>
    public static RpcException ToRpcException(Google.Rpc.Status status) => Seal(status).ToRpcException();

    /// <summary>A bounded copy of <paramref name="status"/>: the caps above applied to its message and known details.</summary>
    public static Google.Rpc.Status Seal(Google.Rpc.Status status)
    {
        var sealedStatus = new Google.Rpc.Status { Code = status.Code, Message = Text(status.Message, MaxMessageChars) };
        BadRequest? badRequest = null;
        int badRequestIndex = -1, violationsLeftOut = 0;
        foreach (Any detail in status.Details)
        {
            Any bounded = detail;
            if (detail.TryUnpack(out BadRequest request))
            {
                violationsLeftOut = Math.Max(request.FieldViolations.Count - MaxViolations, 0);
                badRequest = new BadRequest();
                badRequest.FieldViolations.AddRange(request.FieldViolations.Take(MaxViolations).Select(v => new BadRequest.Types.FieldViolation
                {
                    Field = Text(v.Field, MaxFieldChars), Description = Text(v.Description, MaxTextChars),
                }));
                badRequestIndex = sealedStatus.Details.Count;
                bounded = Any.Pack(WithMore(badRequest, violationsLeftOut));
            }
            else if (detail.TryUnpack(out ResourceInfo resource))
            {
                bounded = Any.Pack(new ResourceInfo
                {
                    ResourceType = Text(resource.ResourceType, MaxFieldChars), ResourceName = Text(resource.ResourceName, MaxFieldChars),
                    Owner = Text(resource.Owner, MaxFieldChars), Description = Text(resource.Description, MaxTextChars),
                });
            }
            else if (detail.TryUnpack(out PreconditionFailure precondition))
            {
                var failure = new PreconditionFailure();
                failure.Violations.AddRange(precondition.Violations.Take(MaxViolations).Select(v => new PreconditionFailure.Types.Violation
                {
                    Type = Text(v.Type, MaxFieldChars), Subject = Text(v.Subject, MaxFieldChars), Description = Text(v.Description, MaxTextChars),
                }));
                bounded = Any.Pack(failure);
            }
            else if (detail.TryUnpack(out ErrorInfo info))
            {
                var error = new ErrorInfo { Reason = Text(info.Reason, MaxFieldChars), Domain = Text(info.Domain, MaxFieldChars) };
                foreach (var (key, value) in info.Metadata.Take(MaxViolations))
                    error.Metadata[Text(key, MaxFieldChars)] = Text(value, MaxTextChars);
                bounded = Any.Pack(error);
            }
            else if (detail.CalculateSize() > MaxStatusBytes / 4)
            {
                continue; // another detail type (RetryInfo, QuotaFailure, ...) passes as it is unless it is big
            }
            sealedStatus.Details.Add(bounded);
        }

        // The whole budget: drop violations from the end (counted in "and K more") until the status fits.
        while (sealedStatus.CalculateSize() > MaxStatusBytes && badRequest is { FieldViolations.Count: > 0 })
        {
            int drop = Math.Max(1, badRequest.FieldViolations.Count / 4);
            for (int i = 0; i < drop; i++) badRequest.FieldViolations.RemoveAt(badRequest.FieldViolations.Count - 1);
            violationsLeftOut += drop;
            sealedStatus.Details[badRequestIndex] = Any.Pack(WithMore(badRequest, violationsLeftOut));
        }
        // Only reachable with pathological messages: keep the code and a short message, nothing else.
        if (sealedStatus.CalculateSize() > MaxStatusBytes)
            sealedStatus = new Google.Rpc.Status { Code = status.Code, Message = Text(status.Message, MaxTextChars) };
        return sealedStatus;
    }

    private static BadRequest WithMore(BadRequest listed, int leftOut)
    {
        if (leftOut == 0) return listed;
        var request = listed.Clone();
        request.FieldViolations.Add(new BadRequest.Types.FieldViolation
        {
            Field = MoreField,
            Description = string.Create(CultureInfo.InvariantCulture, $"and {leftOut} more violation(s), not listed; fix the ones above and retry to see them."),
        });
        return request;
    }

    /// <summary>Bytes the status's trailers take (grpc-message percent-encoded, details base64): for tests and logs.</summary>
    public static int TrailerBytes(Google.Rpc.Status status)
    {
        int message = 0;
        foreach (byte b in Encoding.UTF8.GetBytes(status.Message)) message += b is >= 0x20 and <= 0x7E and not (byte)'%' ? 1 : 3;
        return message + (status.CalculateSize() + 2) / 3 * 4;
    }
}
