using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Expert.DynamicMap.Episodes;
using Expert.Host.Grpc;
using Expert.Host.Maps;
using Expert.Host.Options;
using Microsoft.Extensions.Options;

namespace Expert.Host.Security;

/// <summary>
/// Episodes belong to the principal that opened them. The host keeps each one under a stored id scoped by
/// its owner, <c>&lt;owner tag&gt;.&lt;client id&gt;</c>, where the tag is 9 letters and digits from SHA-256 of
/// the principal's name: a principal names its episodes as before and sees only its own (another's id is
/// simply not found in its scope, so ids cannot be probed), and the map library and its files need no owner
/// field. An admin lists every stored id and reaches any of them by it. Without authentication there is no
/// caller and ids are used as given, exactly as before.
/// </summary>
internal sealed partial class EpisodeOwnership(MapEpisodes episodes, IOptions<SecurityOptions> options)
{
    /// <summary>Owner tag (9 letters and digits: 53 bits of SHA-256) and its dot.</summary>
    public const int ScopeLength = 10;

    /// <summary>Longest client id when the host authenticates: the library's 64 characters less the scope.</summary>
    public const int MaxClientIdLength = 64 - ScopeLength;

    private readonly ConcurrentDictionary<string, SemaphoreSlim> _openGates = new(StringComparer.Ordinal);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,53}$")]
    private static partial Regex ClientIdPattern();

    /// <summary>The stored-id prefix of <paramref name="principal"/>'s episodes.</summary>
    public static string ScopeOf(string principal)
    {
        const string Digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        ulong value = BitConverter.ToUInt64(SHA256.HashData(Encoding.UTF8.GetBytes("steve2.episode-owner\n" + principal)), 0);
        Span<char> tag = stackalloc char[ScopeLength];
        for (int i = 0; i < ScopeLength - 1; i++, value /= 62) tag[i] = Digits[(int)(value % 62)];
        tag[^1] = '.';
        return new string(tag);
    }

    /// <summary>The stored id an OpenEpisode of <paramref name="clientId"/> (empty: a new one) opens.</summary>
    public string ForOpen(Caller caller, string clientId)
    {
        string id = string.IsNullOrEmpty(clientId) ? Guid.NewGuid().ToString("N") : clientId;
        if (!ClientIdPattern().IsMatch(id))
        {
            throw new MapValidationException("episode_id",
                $"must be 1-{MaxClientIdLength} characters of letters, digits, '_', '.', '-', starting with a letter or digit " +
                "(the host authenticates callers and keeps each principal's episodes apart)");
        }
        return ScopeOf(caller.Principal) + id;
    }

    /// <summary>
    /// The stored id a call about <paramref name="clientId"/> addresses: the caller's own; for an admin, an
    /// existing stored id as given (from ListEpisodes), else its own.
    /// </summary>
    public string Resolve(Caller caller, string clientId)
    {
        if (caller.IsAdmin && clientId.Length > ScopeLength && Exists(clientId)) return clientId;
        return ScopeOf(caller.Principal) + clientId;
    }

    /// <summary>The id the caller knows a stored id by: its own without the scope; others' (admin) as stored.</summary>
    public static string Unscope(Caller caller, string storedId)
    {
        string scope = ScopeOf(caller.Principal);
        return storedId.StartsWith(scope, StringComparison.Ordinal) ? storedId[scope.Length..] : storedId;
    }

    /// <summary>Whether the caller may see a stored id in ListEpisodes.</summary>
    public static bool Visible(Caller caller, string storedId) =>
        caller.IsAdmin || storedId.StartsWith(ScopeOf(caller.Principal), StringComparison.Ordinal);

    /// <summary>
    /// Runs an OpenEpisode of <paramref name="storedId"/> under the caller's own gate, refusing it with
    /// RESOURCE_EXHAUSTED when the caller already holds Security:Quotas:MaxOpenEpisodesPerPrincipal open
    /// episodes (re-opening an open one, a retry, is always allowed).
    /// </summary>
    public async Task<T> OpenAsync<T>(Caller caller, string storedId, Func<Task<T>> open)
    {
        SemaphoreSlim gate = _openGates.GetOrAdd(caller.Principal, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync();
        try
        {
            QuotaOptions quotas = options.Value.Quotas;
            string scope = ScopeOf(caller.Principal);
            IReadOnlyList<EpisodeInfo> mine = episodes.Registry.List(includeClosed: false)
                .Where(e => e.Id.StartsWith(scope, StringComparison.Ordinal)).ToList();
            if (mine.Count >= quotas.MaxOpenEpisodesPerPrincipal && !mine.Any(e => e.Id == storedId))
            {
                throw QuotaStatus.Exceeded(nameof(QuotaOptions.MaxOpenEpisodesPerPrincipal), quotas.MaxOpenEpisodesPerPrincipal, quotas.RetryAfter,
                    $"Principal '{caller.Principal}' already has {mine.Count} open episodes (Security:Quotas:MaxOpenEpisodesPerPrincipal): " +
                    "close finished episodes, then retry.");
            }
            return await open();
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>A map error with the stored id put back as the caller knows it (a NOT_FOUND names the id the caller sent).</summary>
    public static Exception Unscope(Caller caller, Exception e) => e switch
    {
        EpisodeNotFoundException missing => new EpisodeNotFoundException(Unscope(caller, missing.EpisodeId)),
        EpisodeClosedException closed => new EpisodeClosedException(Unscope(caller, closed.EpisodeId)),
        ObserveStreamException stream => new ObserveStreamException(stream.BatchIndex, stream.BatchesApplied, (MapException)Unscope(caller, stream.Refusal)),
        _ => e,
    };

    private bool Exists(string storedId)
    {
        try
        {
            episodes.Registry.Info(storedId);
            return true;
        }
        catch (EpisodeNotFoundException)
        {
            return false;
        }
    }
}
