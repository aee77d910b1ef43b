namespace Expert.VqVae.Corpus;

/// <summary>
/// A house: 1-3 storeys of hollow walls on a W x D plan (W, D in 8..14, even), a floor slab overhanging
/// each storey by one voxel, and a flat (the top slab), pitched or (square plans only) pyramidal roof.
/// Openings: a door and windows. Asymmetric: a flat-topped wing as high as the walls against the right side,
/// about half the house's width and depth, standing 2 voxels forward of the front wall.
/// </summary>
internal sealed class HouseFamily : FamilyDefinition
{
    private static readonly int[] Sizes = [8, 10, 12, 14];

    public override BuildingFamily Family => BuildingFamily.House;

    public override IReadOnlyList<BuildingParam> Params { get; } =
        [BuildingParam.Width, BuildingParam.Depth, BuildingParam.Storeys, BuildingParam.Roof, BuildingParam.Openings, BuildingParam.Symmetric];

    public override IEnumerable<BuildingSpec> Combinations()
    {
        foreach (int w in Sizes)
            foreach (int d in Sizes)
                for (int s = 1; s <= 3; s++)
                    foreach (var roof in new[] { RoofKind.Flat, RoofKind.Pitched, RoofKind.Pyramidal })
                    {
                        if (roof == RoofKind.Pyramidal && w != d) continue;
                        foreach (bool open in Bools)
                            foreach (bool sym in Bools)
                                yield return new BuildingSpec
                                {
                                    Family = Family, Width = w, Depth = d, Storeys = s, Roof = roof, Openings = open, Symmetric = sym,
                                };
                    }
    }

    public override void Build(BuildingSpec s, ShapeBuilder b)
    {
        var r = Rect.Centred(s.Width, s.Depth);
        for (int k = 0; k < s.Storeys; k++)
        {
            Parts.Storey(b, r, k, hollow: true, overhang: 1);
            if (s.Openings) Parts.StoreyOpenings(b, r, k, door: k == 0);
        }
        if (!s.Symmetric)
        {
            int aw = HalfEven(s.Width), ad = HalfEven(s.Depth);
            var wing = new Rect(r.X1 + 1, r.X1 + aw, r.Z1 - ad + 3, r.Z1 + 2);
            for (int k = 0; k < s.Storeys; k++)
            {
                Parts.Storey(b, wing, k, hollow: true, overhang: 1);
                if (s.Openings) Parts.StoreyOpenings(b, wing, k, door: false);
            }
        }
        int top = s.Storeys * Parts.StoreyHeight;
        if (s.Roof == RoofKind.Pitched) Parts.PitchedRoof(b, r, top, endOverhang: 1);
        else if (s.Roof == RoofKind.Pyramidal) Parts.PyramidRoof(b, r, top);
    }
}
