namespace Expert.VqVae.Corpus;

/// <summary>
/// A pagoda: 2-5 hollow storeys, each 2 voxels narrower than the one below (bottom storey 8-14 wide),
/// each topped by eaves overhanging it by 2 voxels, and a pyramidal cap over the top storey.
/// Openings: door and windows. Asymmetric: the tiers step back towards the back-left corner instead of
/// the centre, and a one-storey side hall stands on the right front.
/// </summary>
internal sealed class PagodaFamily : FamilyDefinition
{
    public override BuildingFamily Family => BuildingFamily.Pagoda;

    public override IReadOnlyList<BuildingParam> Params { get; } =
        [BuildingParam.Width, BuildingParam.Storeys, BuildingParam.Roof, BuildingParam.Openings, BuildingParam.Symmetric];

    public override IEnumerable<BuildingSpec> Combinations()
    {
        foreach (int w in new[] { 8, 10, 12, 14 })
            for (int s = 2; s <= 5 && w - 2 * (s - 1) >= 4; s++)
                foreach (bool open in Bools)
                    foreach (bool sym in Bools)
                        yield return new BuildingSpec
                        {
                            Family = Family, Width = w, Storeys = s, Roof = RoofKind.Pyramidal, Openings = open, Symmetric = sym,
                        };
    }

    public override void Build(BuildingSpec s, ShapeBuilder b)
    {
        var r = Rect.Centred(s.Width, s.Width);
        var storey = r;
        for (int k = 0; k < s.Storeys; k++)
        {
            storey = s.Symmetric ? r.Grow(-k) : new Rect(r.X0, r.X1 - 2 * k, r.Z0, r.Z1 - 2 * k);
            Parts.Storey(b, storey, k, hollow: true, overhang: 2);
            if (s.Openings) Parts.StoreyOpenings(b, storey, k, door: k == 0);
        }
        if (!s.Symmetric)
        {
            var hall = new Rect(r.X1 + 1, r.X1 + 6, r.Z1 - 5, r.Z1);
            Parts.Storey(b, hall, 0, hollow: true, overhang: 1);
            if (s.Openings) Parts.StoreyOpenings(b, hall, 0, door: true);
        }
        Parts.PyramidRoof(b, storey, s.Storeys * Parts.StoreyHeight);
    }
}
