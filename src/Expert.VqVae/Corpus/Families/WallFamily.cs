namespace Expert.VqVae.Corpus;

/// <summary>
/// A defensive wall, 2 thick, 16-28 long and 4, 6 or 8 high, crenellated, with a 4-wide gate in the middle
/// (openings) and 4x4 bastions two layers above the wall at both ends. Asymmetric: a single 4x6 bastion,
/// at the right end, standing out 4 voxels in front of the wall.
/// </summary>
internal sealed class WallFamily : FamilyDefinition
{
    public override BuildingFamily Family => BuildingFamily.Wall;

    public override IReadOnlyList<BuildingParam> Params { get; } =
        [BuildingParam.Width, BuildingParam.Height, BuildingParam.Openings, BuildingParam.Symmetric];

    public override IEnumerable<BuildingSpec> Combinations()
    {
        foreach (int l in new[] { 16, 20, 24, 28 })
            foreach (int h in new[] { 4, 6, 8 })
                foreach (bool open in Bools)
                    foreach (bool sym in Bools)
                        yield return new BuildingSpec { Family = Family, Width = l, Height = h, Openings = open, Symmetric = sym };
    }

    public override void Build(BuildingSpec s, ShapeBuilder b)
    {
        var r = Rect.Centred(s.Width, 2);
        Parts.Box(b, r, 0, s.Height - 1);
        for (int x = r.X0; x <= r.X1; x++)
            if (Math.Min(x - r.X0, r.X1 - x) / 2 % 2 == 0) b.Add(x, s.Height, r.Z0, x, s.Height, r.Z1);
        if (s.Openings) b.Remove(-2, 0, r.Z0, 1, s.Height - 3, r.Z1);
        if (s.Symmetric)
        {
            Parts.Box(b, new Rect(r.X0, r.X0 + 3, -2, 1), 0, s.Height + 1);
            Parts.Box(b, new Rect(r.X1 - 3, r.X1, -2, 1), 0, s.Height + 1);
        }
        else Parts.Box(b, new Rect(r.X1 - 3, r.X1, -1, 4), 0, s.Height + 1);
    }
}
