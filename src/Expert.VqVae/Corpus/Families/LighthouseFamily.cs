namespace Expert.VqVae.Corpus;

/// <summary>
/// A lighthouse: an octagonal hollow shaft 6 or 8 across of 2-5 storeys, each ringed by an octagonal band
/// (the top one a gallery 2 voxels wider), a 6x6 lantern room 3 layers high on top and a flat or
/// pyramidal cap over the lantern. Openings: door, one window front and back per upper storey, and lantern
/// windows. Asymmetric: a keeper's house of max(1, storeys/2) storeys against the right side, reaching out to the front.
/// </summary>
internal sealed class LighthouseFamily : FamilyDefinition
{
    public override BuildingFamily Family => BuildingFamily.Lighthouse;

    public override IReadOnlyList<BuildingParam> Params { get; } =
        [BuildingParam.Width, BuildingParam.Storeys, BuildingParam.Roof, BuildingParam.Openings, BuildingParam.Symmetric];

    public override IEnumerable<BuildingSpec> Combinations()
    {
        foreach (int w in new[] { 6, 8 })
            for (int s = 2; s <= 5; s++)
                foreach (var roof in new[] { RoofKind.Flat, RoofKind.Pyramidal })
                    foreach (bool open in Bools)
                        foreach (bool sym in Bools)
                            yield return new BuildingSpec { Family = Family, Width = w, Storeys = s, Roof = roof, Openings = open, Symmetric = sym };
    }

    public override void Build(BuildingSpec s, ShapeBuilder b)
    {
        var r = Rect.Centred(s.Width, s.Width);
        int h = Parts.StoreyHeight, top = s.Storeys * h;
        for (int k = 0; k < s.Storeys; k++)
        {
            Parts.OctagonRing(b, r, k * h, k * h + h - 2);
            Parts.Octagon(b, r.Grow(k == s.Storeys - 1 ? 2 : 1), k * h + h - 1, k * h + h - 1);
            if (!s.Openings) continue;
            if (k == 0) b.Remove(-1, 0, r.Z1, 0, 2, r.Z1);
            else
            {
                b.Remove(-1, k * h + 1, r.Z0, 0, k * h + 2, r.Z0);
                b.Remove(-1, k * h + 1, r.Z1, 0, k * h + 2, r.Z1);
            }
        }
        var lantern = Rect.Centred(6, 6);
        Parts.Walls(b, lantern, top, top + 2, hollow: true);
        if (s.Openings)
        {
            b.Remove(-1, top + 1, lantern.Z0, 0, top + 1, lantern.Z0);
            b.Remove(-1, top + 1, lantern.Z1, 0, top + 1, lantern.Z1);
            b.Remove(lantern.X0, top + 1, -1, lantern.X0, top + 1, 0);
            b.Remove(lantern.X1, top + 1, -1, lantern.X1, top + 1, 0);
        }
        if (s.Roof == RoofKind.Flat) Parts.Box(b, lantern, top + 3, top + 3);
        else Parts.PyramidRoof(b, lantern, top + 3);
        if (!s.Symmetric)
        {
            var room = new Rect(r.X1 + 1, r.X1 + 6, r.Z1 - 2, r.Z1 + 3);
            for (int k = 0; k < Math.Max(1, s.Storeys / 2); k++) Parts.Storey(b, room, k, hollow: true, overhang: 1);
            if (s.Openings) b.Remove(room.X0 + 2, 0, room.Z1, room.X0 + 3, 2, room.Z1);
        }
    }
}
