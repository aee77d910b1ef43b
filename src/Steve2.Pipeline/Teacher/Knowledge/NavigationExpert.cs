using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Experts;

namespace Steve2.Pipeline.Teacher.Knowledge;

/// <summary>
/// The dynamic map of one episode as the teacher uses it: opened at the start, fed every observation of
/// every agent, asked for frontiers and targets, closed (and deleted) at the end. Each answer comes with
/// the expert's text for the step's <c>ExpertContext</c>; failures become <see cref="LastError"/> for the
/// critic and an empty answer, never an exception.
/// </summary>
public sealed class NavigationExpert(ExpertClients experts, string episodeId)
{
    private long _tick;
    private bool _open;

    public string EpisodeId => episodeId;

    /// <summary>The latest failure of a map call, or null.</summary>
    public string? LastError { get; private set; }

    public async Task OpenAsync(CancellationToken ct)
    {
        var r = await experts.OpenMapAsync(episodeId, ct);
        _open = r.Ok;
        LastError = r.Error;
    }

    public async Task ObserveAsync(IReadOnlyList<Observation> observations, CancellationToken ct)
    {
        if (!_open) return;
        var r = await experts.ObserveAsync(episodeId, observations, ++_tick, ct);
        if (!r.Ok) LastError = r.Error;
    }

    public async Task<FrontierAnswer?> FrontiersAsync(int agentId, CancellationToken ct)
    {
        if (!_open) return null;
        // Observations are sparse (the nearest blocks in view), so small frontier groups are worth a visit.
        var r = await experts.GetFrontiersAsync(episodeId, agentId, radius: 64, maxResults: 8, ct, minSize: 1);
        LastError = r.Error;
        return r.Value;
    }

    /// <summary>Blacklists a place for the agent on the map: frontier groups with a cell within <paramref name="radius"/> (0: the map's default, 3) are set aside.</summary>
    public async Task MarkUnreachableAsync(int agentId, BlockPos cell, string reason, CancellationToken ct, double radius = 0)
    {
        if (!_open) return;
        var r = await experts.MarkUnreachableAsync(episodeId, agentId, cell, reason, ct, radius);
        if (!r.Ok) LastError = r.Error;
    }

    public async Task<IReadOnlyList<LocatedTarget>> LocateAsync(string name, int agentId, CancellationToken ct)
    {
        if (!_open) return [];
        var r = await experts.LocateTargetsAsync(episodeId, name, agentId, ct);
        LastError = r.Error;
        return r.Value ?? [];
    }

    public async Task<string?> DescribeAsync(int agentId, CancellationToken ct)
    {
        if (!_open) return null;
        var r = await experts.DescribeMapAsync(episodeId, agentId, ct);
        LastError = r.Error;
        return r.Value;
    }

    public async Task<byte[]?> RenderAsync(CancellationToken ct)
    {
        if (!_open) return null;
        var r = await experts.RenderMapAsync(episodeId, 256, ct);
        LastError = r.Error;
        return r.Value;
    }

    /// <summary>Closes and deletes the episode's map (its files are not needed after the episode).</summary>
    public async Task CloseAsync(CancellationToken ct)
    {
        if (!_open) return;
        _open = false;
        await experts.CloseMapAsync(episodeId, delete: true, ct);
    }
}
