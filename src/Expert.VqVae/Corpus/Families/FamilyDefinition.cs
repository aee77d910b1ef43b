namespace Expert.VqVae.Corpus;

/// <summary>
/// One building family: which parameters it takes, every combination of values it builds, and how a
/// spec becomes voxels (in the local frame of <see cref="ShapeBuilder"/>: x and z centred on 0,
/// y = 0 the ground, front = +z). Every asymmetric variant adds its extra part on the +x side and
/// off the z centre line, so it breaks the mirror planes in both x and z.
/// </summary>
internal abstract class FamilyDefinition
{
    public abstract BuildingFamily Family { get; }

    /// <summary>The parameters this family uses, in the order the file format writes them.</summary>
    public abstract IReadOnlyList<BuildingParam> Params { get; }

    /// <summary>Every parameter combination the family builds.</summary>
    public abstract IEnumerable<BuildingSpec> Combinations();

    /// <summary>Writes the building into <paramref name="b"/>.</summary>
    public abstract void Build(BuildingSpec spec, ShapeBuilder b);

    public bool HasStoreys => Params.Contains(BuildingParam.Storeys);

    /// <summary>True when the roof attribute applies (the family takes a roof parameter, possibly fixed).</summary>
    public bool HasRoof => Params.Contains(BuildingParam.Roof);

    protected static IEnumerable<bool> Bools => [false, true];

    /// <summary>Even size rounded up from half of <paramref name="n"/>, at least 4 (the annex sizes).</summary>
    protected static int HalfEven(int n) => Math.Max(4, (n / 2 + 1) / 2 * 2);
}
