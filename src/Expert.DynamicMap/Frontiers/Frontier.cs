using Expert.DynamicMap.Geometry;

namespace Expert.DynamicMap.Frontiers;

/// <summary>
/// What GetFrontiers asks: frontiers for one agent, within <paramref name="Radius"/> columns of it and
/// <paramref name="VerticalReach"/> cells above and below its feet (or an explicit range).
/// Ranking: score = GainWeight × size + UnseenWeight × unseen area − DistanceWeight × path distance (MAP_LAYOUT.md).
/// Standing cells include those inferred between sparse ground samples unless <paramref name="ObservedOnly"/>.
/// </summary>
public sealed record FrontierRequest(
    string AgentId,
    int Radius = 64,
    int VerticalReach = 16,
    int? YMin = null,
    int? YMax = null,
    int MinSize = 3,
    double GainWeight = 1.0,
    double DistanceWeight = 0.5,
    int MaxResults = 16,
    double UnseenWeight = FrontierRequest.DefaultUnseenWeight,
    bool ObservedOnly = false)
{
    /// <summary>The default weight of a frontier's unseen area (unexplored columns around its goal) in its score.</summary>
    public const double DefaultUnseenWeight = 0.1;
}

/// <summary>
/// A group of connected frontier cells, ranked for the agent (rank 1 is the best). <see cref="UnseenArea"/>: the
/// unexplored columns within <see cref="FrontierFinder.GainRadius"/> of the goal (what going there may reveal);
/// <see cref="InferredCells"/>: how many of its cells are standing cells inferred between sparse ground samples.
/// </summary>
public sealed record Frontier(
    int Rank,
    int Size,
    Vec3 Centroid,
    Cell Goal,
    double PathDistance,
    double StraightDistance,
    double Score,
    IReadOnlyList<Cell> Cells,
    int UnseenArea = 0,
    int InferredCells = 0);

/// <summary>A frontier group not offered, and why.</summary>
public sealed record SetAsideFrontier(int Size, Vec3 Centroid, string Reason);

/// <summary>Counts behind a report, to explain it (<see cref="InferredCells"/>: standing cells inferred between sparse ground samples, included in <see cref="StandingCells"/>).</summary>
public sealed record FrontierStats(
    long KnownCells,
    int StandingCells,
    int ReachableCells,
    int FrontierCells,
    int Groups,
    MapRegion Region,
    int InferredCells = 0);

/// <summary>
/// GetFrontiers' answer: ranked frontiers, the ones set aside with their reasons, and when no
/// frontier is offered, <see cref="WhyNone"/> says why in a sentence a language model can act on.
/// </summary>
public sealed record FrontierReport(
    string AgentId,
    Cell AgentCell,
    IReadOnlyList<Frontier> Frontiers,
    IReadOnlyList<SetAsideFrontier> SetAside,
    string? WhyNone,
    FrontierStats Stats);

/// <summary>A place a client found unreachable (explore_lite's blacklist): frontier groups within <see cref="Radius"/> of it are set aside.</summary>
public sealed record BlacklistEntry(Cell Cell, double Radius, string Reason, string? AgentId, long Tick);

/// <summary>The episode's blacklist of unreachable places.</summary>
internal sealed class FrontierBlacklist
{
    private readonly List<BlacklistEntry> _entries = [];

    public IReadOnlyList<BlacklistEntry> Entries => _entries;

    public void Add(BlacklistEntry entry) => _entries.Add(entry);

    /// <summary>The entry that covers a cell for an agent (entries without an agent cover every agent).</summary>
    public BlacklistEntry? Covering(Cell cell, string agentId)
    {
        foreach (var entry in _entries)
        {
            if (entry.AgentId is not null && entry.AgentId != agentId) continue;
            double dx = entry.Cell.X - cell.X, dy = entry.Cell.Y - cell.Y, dz = entry.Cell.Z - cell.Z;
            if (dx * dx + dy * dy + dz * dz <= entry.Radius * entry.Radius) return entry;
        }
        return null;
    }

    internal void Restore(IEnumerable<BlacklistEntry> entries)
    {
        _entries.Clear();
        _entries.AddRange(entries);
    }
}
