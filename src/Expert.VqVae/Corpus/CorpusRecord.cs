using Expert.VqVae.Voxels;

namespace Expert.VqVae.Corpus;

/// <summary>
/// One corpus record: a description and the grid it describes, with what the description states. The
/// file form is one JSON line (Corpus/CORPUS_FORMAT.md). <see cref="Family"/> and <see cref="Params"/> are
/// optional (a user's own building has only a description and a grid).
/// </summary>
public sealed record CorpusRecord
{
    public required string Id { get; init; }
    public required string Description { get; init; }
    public CorpusSplit Split { get; init; } = CorpusSplit.Train;

    /// <summary>The family name ("pagoda"), any string for user data, or null.</summary>
    public string? Family { get; init; }

    /// <summary>The parameters as invariant strings in file order, or null.</summary>
    public IReadOnlyDictionary<string, string>? Params { get; init; }

    /// <summary>The attributes the description states (unstated ones null).</summary>
    public AttributeValues Stated { get; init; } = AttributeValues.None;

    /// <summary>True when the description states every applicable attribute and every parameter.</summary>
    public bool FullySpecified { get; init; }

    /// <summary>The phrasing template, or null (user data).</summary>
    public string? Template { get; init; }

    public required OccupancyGrid Grid { get; init; }

    /// <summary>
    /// The block of every voxel (its occupancy equals <see cref="Grid"/>), or null for an occupancy-only
    /// record (the v1 corpus, a user's own grid). Composition/COMPOSITION.md.
    /// </summary>
    public MaterialGrid? Blocks { get; init; }

    /// <summary>The parts the description names ("corner_towers", "chimney"), or null when it names none or is not a composed building.</summary>
    public IReadOnlyList<string>? Parts { get; init; }

    /// <summary>The materials the description names, by slot ("walls" → "stone", "roof" → "oak_planks"), or null.</summary>
    public IReadOnlyDictionary<string, string>? Materials { get; init; }

    /// <summary>The spec, when <see cref="Family"/> and <see cref="Params"/> name a combination the catalog builds; else null.</summary>
    public BuildingSpec? Spec =>
        Family is not null && Params is not null && BuildingSpec.TryFromParams(Family, Params, out var spec, out _) ? spec : null;

    public bool Equals(CorpusRecord? other) =>
        other is not null && Id == other.Id && Description == other.Description && Split == other.Split &&
        Family == other.Family && Stated == other.Stated && FullySpecified == other.FullySpecified &&
        Template == other.Template && Grid.Equals(other.Grid) && SameParams(Params, other.Params) &&
        Equals(Blocks, other.Blocks) && SameList(Parts, other.Parts) && SameParams(Materials, other.Materials);

    public override int GetHashCode() => HashCode.Combine(Id, Description, Split, Family, Stated, FullySpecified, Template, Grid);

    private static bool SameList(IReadOnlyList<string>? a, IReadOnlyList<string>? b) =>
        a is null || b is null ? a is null && b is null : a.SequenceEqual(b);

    private static bool SameParams(IReadOnlyDictionary<string, string>? a, IReadOnlyDictionary<string, string>? b) =>
        a is null || b is null ? a is null && b is null : a.SequenceEqual(b);
}
