namespace Expert.VqVae.Corpus;

/// <summary>
/// A well: an open square rim 6 or 8 across and 3 high; roofed wells add four corner posts 3 high and a
/// pitched or pyramidal roof over the rim. Asymmetric: a hollow trough against the right side, in front.
/// </summary>
internal sealed class WellFamily : FamilyDefinition
{
    public override BuildingFamily Family => BuildingFamily.Well;

    public override IReadOnlyList<BuildingParam> Params { get; } =
        [BuildingParam.Width, BuildingParam.Roof, BuildingParam.Symmetric];

    public override IEnumerable<BuildingSpec> Combinations()
    {
        foreach (int w in new[] { 6, 8 })
            foreach (var roof in new[] { RoofKind.None, RoofKind.Pitched, RoofKind.Pyramidal })
                foreach (bool sym in Bools)
                    yield return new BuildingSpec { Family = Family, Width = w, Roof = roof, Symmetric = sym };
    }

    public override void Build(BuildingSpec s, ShapeBuilder b)
    {
        var r = Rect.Centred(s.Width, s.Width);
        Parts.Walls(b, r, 0, 2, hollow: true);
        if (s.Roof != RoofKind.None)
        {
            foreach (int x in new[] { r.X0, r.X1 })
                foreach (int z in new[] { r.Z0, r.Z1 })
                    b.Add(x, 3, z, x, 5, z);
            if (s.Roof == RoofKind.Pitched) Parts.PitchedRoof(b, r, 6, endOverhang: 1);
            else Parts.PyramidRoof(b, r, 6);
        }
        if (!s.Symmetric)
        {
            var trough = new Rect(r.X1 + 1, r.X1 + 4, r.Z1 - 2, r.Z1 + 5);
            Parts.Box(b, trough, 0, 1);
            b.Remove(trough.X0 + 1, 1, trough.Z0 + 1, trough.X1 - 1, 1, trough.Z1 - 1);
        }
    }
}
