namespace Expert.VqVae.Corpus;

/// <summary>
/// An obelisk: a 2-layer plinth 4 wider than the shaft, a square shaft 4 or 6 across and 12-24 high, and a
/// pyramidion (a 2x2 cap, or 4x4 then 2x2). Always symmetric.
/// </summary>
internal sealed class ObeliskFamily : FamilyDefinition
{
    public override BuildingFamily Family => BuildingFamily.Obelisk;

    public override IReadOnlyList<BuildingParam> Params { get; } = [BuildingParam.Width, BuildingParam.Height];

    public override IEnumerable<BuildingSpec> Combinations()
    {
        foreach (int w in new[] { 4, 6 })
            foreach (int h in new[] { 12, 16, 20, 24 })
                yield return new BuildingSpec { Family = Family, Width = w, Height = h };
    }

    public override void Build(BuildingSpec s, ShapeBuilder b)
    {
        var r = Rect.Centred(s.Width, s.Width);
        Parts.Box(b, r.Grow(2), 0, 1);
        Parts.Box(b, r, 2, s.Height + 1);
        Parts.PyramidRoof(b, r.Grow(-1), s.Height + 2);
    }
}
