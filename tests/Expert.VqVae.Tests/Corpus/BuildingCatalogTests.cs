using Expert.VqVae.Corpus;
using Expert.VqVae.Voxels;

namespace Expert.VqVae.Tests.Corpus;

public class BuildingCatalogTests
{
    [Fact]
    public void ThereAreAtLeastTwelveFamiliesEachWithSeveralCombinations()
    {
        Assert.True(BuildingCatalog.Families.Count >= 12);
        foreach (var family in BuildingCatalog.Families)
            Assert.True(BuildingCatalog.Combinations(family).Count >= 8, $"{family} has too few combinations");
    }

    [Fact]
    public void EveryCombinationFitsIn32CubedStandsOnTheGroundAndIsCentred()
    {
        foreach (var spec in BuildingCatalog.AllCombinations())
        {
            var g = spec.Build();
            Assert.Equal((32, 32, 32), (g.SizeX, g.SizeY, g.SizeZ));
            int minX = 32, maxX = -1, minZ = 32, maxZ = -1, ground = 0;
            var cells = g.Cells;
            for (int i = 0; i < cells.Length; i++)
            {
                if (!cells[i]) continue;
                int x = i % 32, z = i / 32 % 32, y = i / (32 * 32);
                if (y == 0) ground++;
                minX = Math.Min(minX, x); maxX = Math.Max(maxX, x);
                minZ = Math.Min(minZ, z); maxZ = Math.Max(maxZ, z);
            }
            Assert.True(ground > 0, $"{spec.Key} does not stand on y = 0");
            Assert.True(Math.Abs(minX - (31 - maxX)) <= 1, $"{spec.Key} is not centred in x ({minX}..{maxX})");
            Assert.True(Math.Abs(minZ - (31 - maxZ)) <= 1, $"{spec.Key} is not centred in z ({minZ}..{maxZ})");
        }
    }

    [Fact]
    public void EveryCombinationGivesADifferentGridSoEveryParameterChangesTheShape()
    {
        var seen = new Dictionary<string, string>();
        foreach (var spec in BuildingCatalog.AllCombinations())
        {
            string hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(spec.Build().Pack()));
            Assert.False(seen.TryGetValue(hash, out var other), $"{spec.Key} builds the same grid as {other}");
            seen[hash] = spec.Key;
        }
    }

    [Fact]
    public void BuildIsDeterministic()
    {
        foreach (var spec in CorpusTestHelpers.SampleCombinations(37))
            Assert.Equal(spec.Build(), spec.Build());
    }

    [Theory]
    [InlineData(BuildingFamily.Pagoda)]
    [InlineData(BuildingFamily.Tower)]
    [InlineData(BuildingFamily.House)]
    [InlineData(BuildingFamily.Keep)]
    [InlineData(BuildingFamily.Lighthouse)]
    public void MoreStoreysMakeATallerGrid(BuildingFamily family)
    {
        var groups = BuildingCatalog.Combinations(family).GroupBy(s => s with { Storeys = 0 });
        int compared = 0;
        foreach (var group in groups)
        {
            var ordered = group.OrderBy(s => s.Storeys).ToList();
            for (int i = 1; i < ordered.Count; i++)
            {
                int lower = BuildingCatalog.BoundingExtents(ordered[i - 1].Build()).Y;
                int higher = BuildingCatalog.BoundingExtents(ordered[i].Build()).Y;
                Assert.True(higher > lower, $"{ordered[i].Key} ({higher}) is not taller than {ordered[i - 1].Key} ({lower})");
                compared++;
            }
        }
        Assert.True(compared > 0);
    }

    [Fact]
    public void SpecsRoundTripThroughTheirParameters()
    {
        foreach (var spec in BuildingCatalog.AllCombinations())
        {
            var dict = spec.ToParams().ToDictionary(p => p.Key, p => p.Value);
            Assert.True(BuildingSpec.TryFromParams(spec.FamilyName, dict, out var back, out var error), error);
            Assert.Equal(spec, back);
        }
    }

    [Fact]
    public void BadParametersAreRejectedWithAReason()
    {
        var good = new Dictionary<string, string> { ["width"] = "8", ["storeys"] = "4", ["roof"] = "flat", ["hollow"] = "true", ["openings"] = "true", ["symmetric"] = "true" };
        Assert.True(BuildingSpec.TryFromParams("tower", good, out _, out _));

        Assert.False(BuildingSpec.TryFromParams("windmill", good, out _, out var e1));
        Assert.Contains("unknown family", e1);
        Assert.False(BuildingSpec.TryFromParams("tower", new Dictionary<string, string>(good) { ["width"] = "7" }, out _, out var e2));
        Assert.Contains("not a combination", e2);
        Assert.False(BuildingSpec.TryFromParams("tower", new Dictionary<string, string>(good) { ["depth"] = "8" }, out _, out var e3));
        Assert.Contains("does not apply", e3);
        var missing = new Dictionary<string, string>(good);
        missing.Remove("roof");
        Assert.False(BuildingSpec.TryFromParams("tower", missing, out _, out var e4));
        Assert.Contains("'roof' is missing", e4);
        Assert.False(BuildingSpec.TryFromParams("tower", new Dictionary<string, string>(good) { ["hollow"] = "yes" }, out _, out var e5));
        Assert.Contains("malformed", e5);
    }

    [Fact]
    public void BuildingAnInvalidSpecThrows()
    {
        var bad = new BuildingSpec { Family = BuildingFamily.Tower, Width = 7, Storeys = 4, Roof = RoofKind.Flat };
        Assert.False(bad.IsValid);
        Assert.Throws<ArgumentException>(() => bad.Build());
    }

    [Fact]
    public void ApplicableAttributesFollowTheFamily()
    {
        Assert.Equal([BuildingAttribute.HeightClass, BuildingAttribute.Storeys, BuildingAttribute.Footprint, BuildingAttribute.Symmetry, BuildingAttribute.Roof],
            BuildingCatalog.ApplicableAttributes(BuildingFamily.Pagoda));
        Assert.Equal([BuildingAttribute.HeightClass, BuildingAttribute.Footprint, BuildingAttribute.Symmetry],
            BuildingCatalog.ApplicableAttributes(BuildingFamily.Bridge));
        Assert.Equal([BuildingAttribute.HeightClass, BuildingAttribute.Footprint, BuildingAttribute.Symmetry, BuildingAttribute.Roof],
            BuildingCatalog.ApplicableAttributes(BuildingFamily.Well));
        foreach (var spec in CorpusTestHelpers.SampleCombinations(11))
            Assert.Equal(BuildingCatalog.ApplicableAttributes(spec.Family), BuildingCatalog.TrueAttributes(spec).Stated);
    }

    [Fact]
    public void EveryAttributeValueOccursInTheCatalog()
    {
        var all = BuildingCatalog.AllCombinations().Select(BuildingCatalog.TrueAttributes).ToList();
        foreach (var h in Enum.GetValues<HeightClass>()) Assert.Contains(all, a => a.HeightClass == h);
        foreach (var f in Enum.GetValues<FootprintClass>()) Assert.Contains(all, a => a.Footprint == f);
        foreach (var s in Enum.GetValues<SymmetryKind>()) Assert.Contains(all, a => a.Symmetry == s);
        foreach (var r in Enum.GetValues<RoofKind>()) Assert.Contains(all, a => a.Roof == r);
        for (int n = 1; n <= 5; n++) Assert.Contains(all, a => a.Storeys == n);
    }

    [Fact]
    public void ThresholdsClassifyAtTheirDocumentedBoundaries()
    {
        Assert.Equal(HeightClass.Low, AttributeThresholds.ClassifyHeight(9));
        Assert.Equal(HeightClass.Medium, AttributeThresholds.ClassifyHeight(10));
        Assert.Equal(HeightClass.Medium, AttributeThresholds.ClassifyHeight(17));
        Assert.Equal(HeightClass.Tall, AttributeThresholds.ClassifyHeight(18));
        Assert.Equal(FootprintClass.Small, AttributeThresholds.ClassifyFootprint(11, 4));
        Assert.Equal(FootprintClass.Medium, AttributeThresholds.ClassifyFootprint(4, 12));
        Assert.Equal(FootprintClass.Medium, AttributeThresholds.ClassifyFootprint(19, 19));
        Assert.Equal(FootprintClass.Large, AttributeThresholds.ClassifyFootprint(20, 2));
    }

    [Fact]
    public void GridSizeIsTheModelsEdge() => Assert.Equal(32, BuildingCatalog.GridSize);

    [Fact]
    public void BoundingExtentsOfAnEmptyGridAreZero() => Assert.Equal((0, 0, 0), BuildingCatalog.BoundingExtents(new OccupancyGrid(32)));
}
