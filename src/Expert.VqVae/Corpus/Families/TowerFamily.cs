namespace Expert.VqVae.Corpus;

/// <summary>
/// A square tower (6, 8 or 10 wide) of 3-5 storeys with overhanging floor slabs, hollow or solid, with a
/// flat crenellated roof or a steep pyramidal spire (one voxel in every two layers, as high as the tower is wide). Openings: door and windows. Asymmetric: a stair annex
/// (4x4, or 6x6 on towers 8 or wider) of storeys-1 storeys against the right side, standing 2 voxels forward of the front wall.
/// </summary>
internal sealed class TowerFamily : FamilyDefinition
{
    public override BuildingFamily Family => BuildingFamily.Tower;

    public override IReadOnlyList<BuildingParam> Params { get; } =
        [BuildingParam.Width, BuildingParam.Storeys, BuildingParam.Roof, BuildingParam.Hollow, BuildingParam.Openings, BuildingParam.Symmetric];

    public override IEnumerable<BuildingSpec> Combinations()
    {
        foreach (int w in new[] { 6, 8, 10 })
            for (int s = 3; s <= 5; s++)
                foreach (var roof in new[] { RoofKind.Flat, RoofKind.Pyramidal })
                    foreach (bool hollow in Bools)
                        foreach (bool open in Bools)
                            foreach (bool sym in Bools)
                                yield return new BuildingSpec
                                {
                                    Family = Family, Width = w, Storeys = s, Roof = roof, Hollow = hollow, Openings = open, Symmetric = sym,
                                };
    }

    public override void Build(BuildingSpec s, ShapeBuilder b)
    {
        var r = Rect.Centred(s.Width, s.Width);
        for (int k = 0; k < s.Storeys; k++)
        {
            Parts.Storey(b, r, k, s.Hollow, overhang: 1);
            if (s.Openings) Parts.StoreyOpenings(b, r, k, door: k == 0);
        }
        int top = s.Storeys * Parts.StoreyHeight;
        if (!s.Symmetric)
        {
            int a = s.Width >= 8 ? 6 : 4;
            var annex = new Rect(r.X1 + 1, r.X1 + a, r.Z1 - a + 3, r.Z1 + 2);
            for (int k = 0; k < s.Storeys - 1; k++) Parts.Storey(b, annex, k, s.Hollow, overhang: 0);
        }
        if (s.Roof == RoofKind.Flat) Parts.Battlements(b, r.Grow(1), top);
        else Parts.PyramidRoof(b, r, top, layersPerStep: 2);
    }
}
