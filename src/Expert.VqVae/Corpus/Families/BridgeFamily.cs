namespace Expert.VqVae.Corpus;

/// <summary>
/// A bridge: a deck 16-28 long and 4 or 6 wide whose top is on layer height-1 (height 4, 6 or 8), with a
/// railing on both edges, 2-thick abutments at both ends, a middle pier when 20 or longer, and corbels
/// under the deck beside every support. Asymmetric: a toll booth beside the right end, in front.
/// </summary>
internal sealed class BridgeFamily : FamilyDefinition
{
    public override BuildingFamily Family => BuildingFamily.Bridge;

    public override IReadOnlyList<BuildingParam> Params { get; } =
        [BuildingParam.Width, BuildingParam.Depth, BuildingParam.Height, BuildingParam.Symmetric];

    public override IEnumerable<BuildingSpec> Combinations()
    {
        foreach (int l in new[] { 16, 20, 24, 28 })
            foreach (int w in new[] { 4, 6 })
                foreach (int h in new[] { 4, 6, 8 })
                    foreach (bool sym in Bools)
                        yield return new BuildingSpec { Family = Family, Width = l, Depth = w, Height = h, Symmetric = sym };
    }

    public override void Build(BuildingSpec s, ShapeBuilder b)
    {
        var r = Rect.Centred(s.Width, s.Depth);
        int deck = s.Height - 1;
        Parts.Box(b, r, deck, deck);
        b.Add(r.X0, deck + 1, r.Z0, r.X1, deck + 1, r.Z0);
        b.Add(r.X0, deck + 1, r.Z1, r.X1, deck + 1, r.Z1);
        var supports = new List<(int A, int B)> { (r.X0, r.X0 + 1), (r.X1 - 1, r.X1) };
        if (s.Width >= 20) supports.Add((-1, 0));
        foreach (var (a, c) in supports)
        {
            b.Add(a, 0, r.Z0, c, deck - 1, r.Z1);
            if (a - 1 > r.X0) b.Add(a - 1, deck - 1, r.Z0, a - 1, deck - 1, r.Z1);
            if (c + 1 < r.X1) b.Add(c + 1, deck - 1, r.Z0, c + 1, deck - 1, r.Z1);
        }
        if (!s.Symmetric) Parts.Box(b, new Rect(r.X1 - 3, r.X1, r.Z1 + 1, r.Z1 + 4), 0, deck + 3);
    }
}
