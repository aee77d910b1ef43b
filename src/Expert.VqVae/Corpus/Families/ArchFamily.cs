namespace Expert.VqVae.Corpus;

/// <summary>
/// A free-standing arch 8, 12 or 16 wide, 8, 12 or 16 high and 2 or 4 thick: two pillars (2 wide for the
/// 8-wide arch, else 4), a 2-layer lintel and a corbel under each end of the lintel. Asymmetric: a low
/// side wing against the right pillar, reaching out to the front.
/// </summary>
internal sealed class ArchFamily : FamilyDefinition
{
    public override BuildingFamily Family => BuildingFamily.Arch;

    public override IReadOnlyList<BuildingParam> Params { get; } =
        [BuildingParam.Width, BuildingParam.Depth, BuildingParam.Height, BuildingParam.Symmetric];

    public override IEnumerable<BuildingSpec> Combinations()
    {
        foreach (int w in new[] { 8, 12, 16 })
            foreach (int d in new[] { 2, 4 })
                foreach (int h in new[] { 8, 12, 16 })
                    foreach (bool sym in Bools)
                        yield return new BuildingSpec { Family = Family, Width = w, Depth = d, Height = h, Symmetric = sym };
    }

    public override void Build(BuildingSpec s, ShapeBuilder b)
    {
        var r = Rect.Centred(s.Width, s.Depth);
        int pw = s.Width == 8 ? 2 : 4, h = s.Height;
        Parts.Box(b, new Rect(r.X0, r.X0 + pw - 1, r.Z0, r.Z1), 0, h - 1);
        Parts.Box(b, new Rect(r.X1 - pw + 1, r.X1, r.Z0, r.Z1), 0, h - 1);
        Parts.Box(b, r, h - 2, h - 1);
        b.Add(r.X0 + pw, h - 3, r.Z0, r.X0 + pw, h - 3, r.Z1);
        b.Add(r.X1 - pw, h - 3, r.Z0, r.X1 - pw, h - 3, r.Z1);
        if (!s.Symmetric) Parts.Box(b, new Rect(r.X1 + 1, r.X1 + 4, r.Z0, r.Z1 + 4), 0, h / 2 - 1);
    }
}
