namespace Expert.VqVae.Corpus;

/// <summary>
/// A temple: a one-layer platform, 2x2 columns 4 or 6 high around the perimeter of a W x D plan (W &lt; D;
/// 8, 12 or 14 by 12, 14 or 18), an enclosed inner room when W is 12 or more, an entablature slab and a
/// flat or pitched roof. Asymmetric: a low side chapel against the platform's right edge, at the front.
/// </summary>
internal sealed class TempleFamily : FamilyDefinition
{
    private static readonly (int W, int D)[] Plans = [(8, 12), (8, 14), (8, 18), (12, 14), (12, 18), (14, 18)];

    public override BuildingFamily Family => BuildingFamily.Temple;

    public override IReadOnlyList<BuildingParam> Params { get; } =
        [BuildingParam.Width, BuildingParam.Depth, BuildingParam.Height, BuildingParam.Roof, BuildingParam.Symmetric];

    public override IEnumerable<BuildingSpec> Combinations()
    {
        foreach (var (w, d) in Plans)
            foreach (int h in new[] { 4, 6 })
                foreach (var roof in new[] { RoofKind.Flat, RoofKind.Pitched })
                    foreach (bool sym in Bools)
                        yield return new BuildingSpec { Family = Family, Width = w, Depth = d, Height = h, Roof = roof, Symmetric = sym };
    }

    public override void Build(BuildingSpec s, ShapeBuilder b)
    {
        var r = Rect.Centred(s.Width, s.Depth);
        int hc = s.Height;
        Parts.Box(b, r.Grow(1), 0, 0);
        foreach (int x in ColumnStarts(r.X0))
        {
            b.Add(x, 1, r.Z0, x + 1, hc, r.Z0 + 1);
            b.Add(x, 1, r.Z1 - 1, x + 1, hc, r.Z1);
        }
        foreach (int z in ColumnStarts(r.Z0))
        {
            b.Add(r.X0, 1, z, r.X0 + 1, hc, z + 1);
            b.Add(r.X1 - 1, 1, z, r.X1, hc, z + 1);
        }
        if (s.Width >= 12)
        {
            var cella = new Rect(r.X0 + 3, r.X1 - 3, r.Z0 + 4, r.Z1 - 4);
            Parts.Walls(b, cella, 1, hc, hollow: true);
            b.Remove(-1, 1, cella.Z1, 0, 3, cella.Z1);
        }
        Parts.Box(b, r, hc + 1, hc + 1);
        if (s.Roof == RoofKind.Pitched) Parts.PitchedRoof(b, r, hc + 2, endOverhang: 0);
        if (!s.Symmetric) Parts.Box(b, new Rect(r.X1 + 1, r.X1 + 6, r.Z1 - 3, r.Z1 + 4), 0, hc - 1);
    }

    /// <summary>Starts of 2-wide columns every 3 voxels from both ends of a centred span, mirror-symmetric.</summary>
    private static IEnumerable<int> ColumnStarts(int lo)
    {
        for (int p = lo; p <= -1; p += 3)
        {
            yield return p;
            if (p != -1) yield return -p - 2;
        }
    }
}
