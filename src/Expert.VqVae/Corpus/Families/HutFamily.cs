namespace Expert.VqVae.Corpus;

/// <summary>
/// A hut: hollow walls 3 high on a 4 or 6 by 4 or 6 plan, and a roof that overhangs the walls by one voxel:
/// a flat slab, pitched, or (square plans) pyramidal. Openings: a 2x2 door and small windows.
/// Asymmetric: a hollow 4x4 lean-to against the right side, reaching out past the front.
/// </summary>
internal sealed class HutFamily : FamilyDefinition
{
    public override BuildingFamily Family => BuildingFamily.Hut;

    public override IReadOnlyList<BuildingParam> Params { get; } =
        [BuildingParam.Width, BuildingParam.Depth, BuildingParam.Roof, BuildingParam.Openings, BuildingParam.Symmetric];

    public override IEnumerable<BuildingSpec> Combinations()
    {
        foreach (int w in new[] { 4, 6 })
            foreach (int d in new[] { 4, 6 })
                foreach (var roof in new[] { RoofKind.Flat, RoofKind.Pitched, RoofKind.Pyramidal })
                {
                    if (roof == RoofKind.Pyramidal && w != d) continue;
                    foreach (bool open in Bools)
                        foreach (bool sym in Bools)
                            yield return new BuildingSpec { Family = Family, Width = w, Depth = d, Roof = roof, Openings = open, Symmetric = sym };
                }
    }

    public override void Build(BuildingSpec s, ShapeBuilder b)
    {
        var r = Rect.Centred(s.Width, s.Depth);
        Parts.Walls(b, r, 0, 2, hollow: true);
        if (s.Openings)
        {
            b.Remove(-1, 0, r.Z1, 0, 1, r.Z1);
            if (s.Depth == 6)
            {
                b.Remove(r.X0, 1, -1, r.X0, 1, 0);
                b.Remove(r.X1, 1, -1, r.X1, 1, 0);
            }
            if (s.Width == 6) b.Remove(-1, 1, r.Z0, 0, 1, r.Z0);
        }
        if (!s.Symmetric) Parts.Walls(b, new Rect(r.X1 + 1, r.X1 + 4, r.Z1 - 1, r.Z1 + 2), 0, 2, hollow: true);
        var roof = r.Grow(1);
        if (s.Roof == RoofKind.Flat) Parts.Box(b, roof, 3, 3);
        else if (s.Roof == RoofKind.Pitched) Parts.PitchedRoof(b, roof, 3, endOverhang: 0);
        else Parts.PyramidRoof(b, roof, 3);
    }
}
