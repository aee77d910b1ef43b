using System.Collections.Concurrent;
using System.Collections.Frozen;
using Expert.VqVae.Voxels;

namespace Expert.VqVae.Corpus;

/// <summary>
/// The registry of building families: their parameters, every parameter combination they build, the
/// grid of a spec, and the ground-truth attributes of a spec (exact, computed from its spec and grid).
/// </summary>
public static class BuildingCatalog
{
    /// <summary>Edge of the grids the corpus builds (the model works on 32^3).</summary>
    public const int GridSize = 32;

    private static readonly FrozenDictionary<BuildingFamily, FamilyDefinition> Definitions = new FamilyDefinition[]
    {
        new HouseFamily(), new TowerFamily(), new PagodaFamily(), new PyramidFamily(), new WallFamily(),
        new BridgeFamily(), new ArchFamily(), new KeepFamily(), new LighthouseFamily(), new HutFamily(),
        new TempleFamily(), new WellFamily(), new ObeliskFamily(),
    }.ToFrozenDictionary(d => d.Family);

    private static readonly Lazy<FrozenDictionary<BuildingFamily, IReadOnlyList<BuildingSpec>>> CombinationsByFamily = new(() =>
        Definitions.ToFrozenDictionary(kv => kv.Key, kv => (IReadOnlyList<BuildingSpec>)kv.Value.Combinations().ToArray()));

    private static readonly Lazy<FrozenSet<BuildingSpec>> ValidSpecs = new(() =>
        CombinationsByFamily.Value.Values.SelectMany(c => c).ToFrozenSet());

    private static readonly ConcurrentDictionary<BuildingSpec, AttributeValues> AttributeCache = new();

    public static IReadOnlyList<BuildingFamily> Families { get; } = Enum.GetValues<BuildingFamily>();

    internal static FamilyDefinition Definition(BuildingFamily family) => Definitions[family];

    /// <summary>The parameters a family takes, in file order.</summary>
    public static IReadOnlyList<BuildingParam> Parameters(BuildingFamily family) => Definitions[family].Params;

    /// <summary>Every parameter combination the family builds, in a fixed order.</summary>
    public static IReadOnlyList<BuildingSpec> Combinations(BuildingFamily family) => CombinationsByFamily.Value[family];

    /// <summary>Every combination of every family.</summary>
    public static IEnumerable<BuildingSpec> AllCombinations() => Families.SelectMany(Combinations);

    public static bool IsValid(BuildingSpec spec) => ValidSpecs.Value.Contains(spec);

    /// <summary>The attributes that apply to a family: height class, footprint and symmetry always; storeys and roof where the family has them.</summary>
    public static IReadOnlyList<BuildingAttribute> ApplicableAttributes(BuildingFamily family)
    {
        var def = Definitions[family];
        var list = new List<BuildingAttribute> { BuildingAttribute.HeightClass };
        if (def.HasStoreys) list.Add(BuildingAttribute.Storeys);
        list.Add(BuildingAttribute.Footprint);
        list.Add(BuildingAttribute.Symmetry);
        if (def.HasRoof) list.Add(BuildingAttribute.Roof);
        return list;
    }

    /// <summary>The deterministic grid of a spec: 32^3, centred on x/z, standing on y = 0.</summary>
    public static OccupancyGrid Build(BuildingSpec spec)
    {
        if (!IsValid(spec)) throw new ArgumentException($"'{spec.Key}' is not a combination the {spec.FamilyName} family builds.", nameof(spec));
        var b = new ShapeBuilder();
        Definitions[spec.Family].Build(spec, b);
        return b.ToGrid(GridSize, spec.Key);
    }

    /// <summary>
    /// The ground-truth value of every attribute that applies to the spec's family: height class and
    /// footprint from the exact bounding box of its grid, storeys, roof and symmetry from the spec.
    /// </summary>
    public static AttributeValues TrueAttributes(BuildingSpec spec) => AttributeCache.GetOrAdd(spec, static s =>
    {
        var grid = Build(s);
        var (ex, ey, ez) = BoundingExtents(grid);
        var def = Definitions[s.Family];
        return new AttributeValues(
            AttributeThresholds.ClassifyHeight(ey),
            def.HasStoreys ? s.Storeys : null,
            AttributeThresholds.ClassifyFootprint(ex, ez),
            s.Symmetric ? SymmetryKind.Symmetric : SymmetryKind.Asymmetric,
            def.HasRoof ? s.Roof : null);
    });

    /// <summary>Exact extents of the occupied cells: x, y (from y = 0 to the top) and z.</summary>
    public static (int X, int Y, int Z) BoundingExtents(OccupancyGrid grid)
    {
        int minX = int.MaxValue, maxX = -1, maxY = -1, minZ = int.MaxValue, maxZ = -1;
        var cells = grid.Cells;
        int i = 0;
        for (int y = 0; y < grid.SizeY; y++)
            for (int z = 0; z < grid.SizeZ; z++)
                for (int x = 0; x < grid.SizeX; x++, i++)
                    if (cells[i])
                    {
                        if (x < minX) minX = x;
                        if (x > maxX) maxX = x;
                        if (z < minZ) minZ = z;
                        if (z > maxZ) maxZ = z;
                        maxY = y;
                    }
        return maxY < 0 ? (0, 0, 0) : (maxX - minX + 1, maxY + 1, maxZ - minZ + 1);
    }
}
