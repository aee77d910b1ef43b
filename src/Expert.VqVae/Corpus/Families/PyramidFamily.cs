namespace Expert.VqVae.Corpus;

/// <summary>
/// A stepped pyramid with a square base (8-24) and height base/2 (steps one voxel high) or base (two
/// high); solid, or (base 12 or more) hollow: each step at least 8 wide is a 2-voxel shell. Openings: a
/// 2x2 entrance tunnel from the front to the centre. Asymmetric: lopsided, the steps climb only from the
/// front and right, so the peak stands over the back-left corner.
/// </summary>
internal sealed class PyramidFamily : FamilyDefinition
{
    public override BuildingFamily Family => BuildingFamily.Pyramid;

    public override IReadOnlyList<BuildingParam> Params { get; } =
        [BuildingParam.Width, BuildingParam.Height, BuildingParam.Hollow, BuildingParam.Openings, BuildingParam.Symmetric];

    public override IEnumerable<BuildingSpec> Combinations()
    {
        foreach (int w in new[] { 8, 12, 16, 20, 24 })
            foreach (int h in new[] { w / 2, w })
                foreach (bool hollow in w >= 12 ? Bools : [false])
                    foreach (bool open in Bools)
                        foreach (bool sym in Bools)
                            yield return new BuildingSpec
                            {
                                Family = Family, Width = w, Height = h, Hollow = hollow, Openings = open, Symmetric = sym,
                            };
    }

    public override void Build(BuildingSpec s, ShapeBuilder b)
    {
        var r = Rect.Centred(s.Width, s.Width);
        int steps = s.Width / 2, stepHeight = s.Height / steps;
        for (int j = 0; j < steps; j++)
        {
            var layer = s.Symmetric ? r.Grow(-j) : new Rect(r.X0, r.X1 - 2 * j, r.Z0, r.Z1 - 2 * j);
            int y0 = j * stepHeight, y1 = y0 + stepHeight - 1;
            Parts.Box(b, layer, y0, y1);
            if (s.Hollow && layer.Width >= 8)
            {
                var inner = layer.Grow(-2);
                b.Remove(inner.X0, y0, inner.Z0, inner.X1, y1, inner.Z1);
            }
        }
        if (s.Openings) b.Remove(-1, 0, -1, 0, 1, r.Z1);
    }
}
