namespace Expert.VqVae.Corpus;

/// <summary>
/// A castle keep: a 12 or 16 by 12 or 16 block of 2-4 storeys (hollow or solid) with overhanging floor
/// slabs, a one-layer plinth (the ground layer one voxel wider all round), and a flat crenellated roof or
/// (square plans) a pyramidal roof. Openings: a 4-wide gate and windows. Asymmetric: a flat-topped wing
/// as high as the walls against the right side, about half the keep's width and depth, standing 2 voxels
/// forward of the front wall.
/// </summary>
internal sealed class KeepFamily : FamilyDefinition
{
    public override BuildingFamily Family => BuildingFamily.Keep;

    public override IReadOnlyList<BuildingParam> Params { get; } =
        [BuildingParam.Width, BuildingParam.Depth, BuildingParam.Storeys, BuildingParam.Roof, BuildingParam.Hollow, BuildingParam.Openings, BuildingParam.Symmetric];

    public override IEnumerable<BuildingSpec> Combinations()
    {
        foreach (int w in new[] { 12, 16 })
            foreach (int d in new[] { 12, 16 })
                for (int s = 2; s <= 4; s++)
                    foreach (var roof in new[] { RoofKind.Flat, RoofKind.Pyramidal })
                    {
                        if (roof == RoofKind.Pyramidal && w != d) continue;
                        foreach (bool hollow in Bools)
                            foreach (bool open in Bools)
                                foreach (bool sym in Bools)
                                    yield return new BuildingSpec
                                    {
                                        Family = Family, Width = w, Depth = d, Storeys = s, Roof = roof, Hollow = hollow, Openings = open, Symmetric = sym,
                                    };
                    }
    }

    public override void Build(BuildingSpec s, ShapeBuilder b)
    {
        var r = Rect.Centred(s.Width, s.Depth);
        int top = s.Storeys * Parts.StoreyHeight;
        for (int k = 0; k < s.Storeys; k++)
        {
            Parts.Storey(b, r, k, s.Hollow, overhang: 1);
            if (s.Openings) Parts.StoreyOpenings(b, r, k, door: k == 0, doorWidth: 4);
        }
        Parts.Box(b, r.Grow(1), 0, 0);
        if (!s.Symmetric)
        {
            var wing = new Rect(r.X1 + 1, r.X1 + HalfEven(s.Width), r.Z1 - HalfEven(s.Depth) + 3, r.Z1 + 2);
            Parts.Box(b, wing.Grow(1), 0, 0);
            for (int k = 0; k < s.Storeys; k++) Parts.Storey(b, wing, k, s.Hollow, overhang: 1);
        }
        if (s.Roof == RoofKind.Flat) Parts.Battlements(b, r.Grow(1), top);
        else Parts.PyramidRoof(b, r, top);
    }
}
