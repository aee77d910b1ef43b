using Expert.VqVae.Corpus;
using Expert.VqVae.Voxels;

namespace Expert.VqVae.Tests.Corpus;

public class AttributeMeasurerTests
{
    [Fact]
    public void ExactOnEveryGroundTruthGridOfEveryFamily()
    {
        int checkedAttributes = 0;
        foreach (var spec in BuildingCatalog.AllCombinations())
        {
            var truth = BuildingCatalog.TrueAttributes(spec);
            var measured = AttributeMeasurer.Measure(spec.Build());
            var agreement = AttributeMeasurer.Agreement(truth, measured);
            Assert.True(agreement.AllMatch,
                $"{spec.Key}: true {truth}, measured {measured.ToValues()} (height {measured.Height}, extents {measured.ExtentX}x{measured.ExtentZ}, mirror {measured.SymmetryScoreX:F3}/{measured.SymmetryScoreZ:F3})");
            Assert.Equal(0, measured.IgnoredVoxels);
            checkedAttributes += agreement.Stated;
        }
        Assert.True(checkedAttributes > 4000);
    }

    [Fact]
    public void AsymmetricVariantsAreClearlyBelowTheThreshold()
    {
        foreach (var spec in BuildingCatalog.AllCombinations().Where(s => !s.Symmetric))
        {
            double score = AttributeMeasurer.Measure(spec.Build()).SymmetryScore;
            Assert.True(score <= 0.85, $"{spec.Key} has mirror score {score:F3}, too close to {AttributeThresholds.SymmetricMinScore}");
        }
    }

    [Theory]
    [InlineData(0.01, 11)]
    [InlineData(0.02, 12)]
    public void RobustToNoise(double fraction, int seed)
    {
        var rng = new Random(seed);
        var specs = BuildingCatalog.AllCombinations().ToList();
        var hits = new Dictionary<BuildingAttribute, (int Ok, int N)>();
        for (int i = 0; i < 300; i++)
        {
            var spec = specs[rng.Next(specs.Count)];
            var noisy = CorpusTestHelpers.AddNoise(spec.Build(), rng, fraction);
            var agreement = AttributeMeasurer.Agreement(BuildingCatalog.TrueAttributes(spec), noisy);
            foreach (var (attribute, ok) in agreement.Matches)
            {
                var h = hits.GetValueOrDefault(attribute);
                hits[attribute] = (h.Ok + (ok ? 1 : 0), h.N + 1);
            }
        }
        Assert.Equal(5, hits.Count);
        foreach (var (attribute, (ok, n)) in hits)
            Assert.True(ok >= 0.95 * n, $"{attribute}: {ok}/{n} under {fraction:P0} noise");
    }

    [Fact]
    public void NoiseActuallyChangesTheGrid()
    {
        var g = BuildingCatalog.Combinations(BuildingFamily.Tower)[0].Build();
        var noisy = CorpusTestHelpers.AddNoise(g, new Random(1), 0.02);
        Assert.True(OccupancyGrid.IoU(g, noisy) < 0.97);
    }

    [Fact]
    public void SpecksAndWhiskersAreIgnored()
    {
        var spec = BuildingCatalog.Combinations(BuildingFamily.Pagoda).First(s => s.Storeys == 5 && s.Symmetric);
        var g = spec.Build();
        var clean = AttributeMeasurer.Measure(g);
        var dirty = g.Clone();
        dirty[0, 31, 0] = true;                       // a speck far above
        dirty[31, 0, 31] = true; dirty[31, 1, 31] = true; // a detached pair
        dirty[1, 5, 1] = true; dirty[2, 5, 1] = true; dirty[3, 5, 1] = true; // a floating line
        var m = AttributeMeasurer.Measure(dirty);
        Assert.Equal(clean.ToValues(), m.ToValues());
        Assert.Equal(clean.Height, m.Height);
        Assert.Equal(6, m.IgnoredVoxels);
        Assert.Equal(g, AttributeMeasurer.Clean(dirty));
    }

    [Fact]
    public void StoreysComeFromTheHighestOverhangingSlab()
    {
        var spec = BuildingCatalog.Combinations(BuildingFamily.House)
            .First(s => s.Storeys == 3 && s.Roof == RoofKind.Flat && s.Symmetric && !s.Openings);
        var g = spec.Build();
        Assert.Equal(3, AttributeMeasurer.Measure(g).Storeys);
        // A lost middle slab overhang does not change the count: the top slab still says 3.
        CutOverhang(g, 7);
        Assert.Equal(3, AttributeMeasurer.Measure(g).Storeys);
        // Without the top slab's overhang there is no jump at layer 11 any more.
        CutOverhang(g, 11);
        Assert.Equal(1, AttributeMeasurer.Measure(g).Storeys);
    }

    private static void CutOverhang(OccupancyGrid g, int y)
    {
        var (x0, x1, z0, z1) = Extent(g, y);
        var (w0, w1, v0, v1) = Extent(g, y - 1);
        for (int z = z0; z <= z1; z++)
            for (int x = x0; x <= x1; x++)
                if (x < w0 || x > w1 || z < v0 || z > v1) g[x, y, z] = false;
    }

    [Fact]
    public void AnOffCentreBlockMakesABoxAsymmetric()
    {
        var g = new OccupancyGrid(32);
        g.FillBox(10, 0, 10, 21, 7, 21);
        var box = AttributeMeasurer.Measure(g);
        Assert.Equal(SymmetryKind.Symmetric, box.Symmetry);
        Assert.Equal(RoofKind.Flat, box.Roof);
        Assert.Equal(HeightClass.Low, box.HeightClass);
        Assert.Equal(FootprintClass.Medium, box.Footprint);
        g.FillBox(22, 0, 18, 29, 5, 27);
        Assert.Equal(SymmetryKind.Asymmetric, AttributeMeasurer.Measure(g).Symmetry);
    }

    [Fact]
    public void RoofShapesOfPlainBoxesAreRecognised()
    {
        var ridge = new OccupancyGrid(32);
        ridge.FillBox(10, 0, 8, 19, 5, 23);
        for (int i = 0; i < 5; i++) ridge.FillBox(10 + i, 6 + i, 8, 19 - i, 6 + i, 23);
        Assert.Equal(RoofKind.Pitched, AttributeMeasurer.Measure(ridge).Roof);

        var pyramid = new OccupancyGrid(32);
        pyramid.FillBox(10, 0, 10, 19, 5, 19);
        for (int i = 0; i < 5; i++) pyramid.FillBox(10 + i, 6 + i, 10 + i, 19 - i, 6 + i, 19 - i);
        Assert.Equal(RoofKind.Pyramidal, AttributeMeasurer.Measure(pyramid).Roof);

        var open = new OccupancyGrid(32);
        open.FillBox(10, 0, 10, 19, 5, 19);
        open.FillBox(11, 1, 11, 18, 5, 18, false);
        Assert.Equal(RoofKind.None, AttributeMeasurer.Measure(open).Roof);
    }

    [Fact]
    public void AnEmptyGridMeasuresAsNothing()
    {
        var m = AttributeMeasurer.Measure(new OccupancyGrid(32));
        Assert.Equal(0, m.Voxels);
        Assert.Equal(0, m.Height);
        Assert.Equal(0, m.Storeys);
    }

    [Fact]
    public void AgreementComparesOnlyStatedAttributes()
    {
        var spec = BuildingCatalog.Combinations(BuildingFamily.Tower).First(s => s.Storeys == 5);
        var measured = AttributeMeasurer.Measure(spec.Build());
        var stated = new AttributeValues(Storeys: 5, Roof: spec.Roof == RoofKind.Flat ? RoofKind.Pyramidal : RoofKind.Flat);
        var a = AttributeMeasurer.Agreement(stated, measured);
        Assert.Equal(2, a.Stated);
        Assert.True(a.Matches[BuildingAttribute.Storeys]);
        Assert.False(a.Matches[BuildingAttribute.Roof]);
        Assert.False(a.AllMatch);
        Assert.Equal(0.5, a.Fraction);
        Assert.False(a.Matches.ContainsKey(BuildingAttribute.HeightClass));
        Assert.True(AttributeMeasurer.Agreement(AttributeValues.None, measured).AllMatch);
    }

    private static (int X0, int X1, int Z0, int Z1) Extent(OccupancyGrid g, int y)
    {
        int x0 = 32, x1 = -1, z0 = 32, z1 = -1;
        for (int z = 0; z < 32; z++)
            for (int x = 0; x < 32; x++)
                if (g[x, y, z]) { x0 = Math.Min(x0, x); x1 = Math.Max(x1, x); z0 = Math.Min(z0, z); z1 = Math.Max(z1, z); }
        return (x0, x1, z0, z1);
    }
}
