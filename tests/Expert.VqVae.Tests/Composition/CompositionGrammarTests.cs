using Expert.VqVae.BuildOrder;
using Expert.VqVae.Composition;
using Expert.VqVae.Corpus;
using Expert.VqVae.Materials;
using Expert.VqVae.Voxels;

namespace Expert.VqVae.Tests.Composition;

public class CompositionGrammarTests
{
    [Fact]
    public void EveryBuildingIsOneConnectedPieceStandingOnTheGround()
    {
        foreach (var spec in CompositionSamples.Specs)
        {
            var grid = CompositionCatalog.Build(spec).Occupancy;
            Assert.Equal(grid.Count(), ConnectedToGround(grid));
            // Buildable: the planner places every block against the ground or a placed block, with no scaffold.
            var plan = BuildOrderPlanner.Plan(grid);
            Assert.Equal(0, plan.ScaffoldCount);
            Assert.Empty(plan.Validate(grid).Errors);
        }
    }

    [Fact]
    public void MeasuredAttributesEqualTheGroundTruthOnEveryBuilding()
    {
        foreach (var spec in CompositionSamples.Specs)
        {
            var truth = CompositionCatalog.TrueAttributes(spec);
            var measured = AttributeMeasurer.Measure(CompositionCatalog.Build(spec).Occupancy);
            var agreement = AttributeMeasurer.Agreement(truth, measured);
            Assert.True(agreement.AllMatch, $"{spec.Key}: truth {truth}, measured {measured.ToValues()} (symmetry score {measured.SymmetryScore:F3})");
            Assert.Equal(spec.Roof == ComposedRoof.Dome ? 4 : 5, agreement.Stated);
        }
    }

    [Fact]
    public void EveryPartIsFoundWhereItIsAndNotWhereItIsNot()
    {
        foreach (var spec in CompositionSamples.Specs)
        {
            var building = CompositionCatalog.Build(spec);
            foreach (var part in Enum.GetValues<PartKind>())
            {
                if (spec.Has(part))
                {
                    Assert.NotEmpty(PartMeasurer.Signature(spec, part)); // every part changes the grid
                    var withBlocks = PartMeasurer.MeasurePart(spec, part, building.Occupancy, building.Blocks);
                    Assert.True(withBlocks.Present && withBlocks.Score == 1.0, $"{spec.Key}: {part} scores {withBlocks.Score}");
                    var onOccupancy = PartMeasurer.MeasurePart(spec, part, building.Occupancy, null);
                    if (part == PartKind.Windows) Assert.False(onOccupancy.Measurable, "glass windows change only materials");
                    else Assert.True(onOccupancy.Present && onOccupancy.Score == 1.0, $"{spec.Key}: {part} on occupancy scores {onOccupancy.Score}");
                }
                else
                {
                    // The same building with the part added: its signature must not be found in the building without it.
                    var with = CompositionGrammar.With(spec, part);
                    if (!with.IsValid()) continue;
                    var score = PartMeasurer.MeasurePart(with, part, building.Occupancy, building.Blocks);
                    Assert.False(score.Present, $"{spec.Key}: absent {part} found (score {score.Score:F2})");
                }
            }
        }
    }

    [Fact]
    public void MaterialsAreThePartsOwnAndTheMeasurerReadsThemExactly()
    {
        foreach (var spec in CompositionSamples.Specs.Take(60))
        {
            var b = CompositionCatalog.Build(spec);
            var hist = b.Blocks.Histogram();
            foreach (var slot in spec.UsedSlots()) Assert.True(hist[(int)spec.MaterialOf(slot)] > 0, $"{spec.Key}: no {spec.MaterialOf(slot)} for {slot}");
            Assert.Equal(spec.Has(PartKind.Windows) || spec.RoofMaterial == BlockMaterial.Glass, hist[(int)BlockMaterial.Glass] > 0);
            for (int i = 0; i < b.Blocks.Volume; i++)
            {
                var owner = b.Owners[i];
                var m = b.Blocks.At(i);
                Assert.Equal(m == BlockMaterial.Air, owner == VoxelOwner.None);
                if (owner == VoxelOwner.Towers) Assert.Equal(spec.Towers, m);
                if (owner == VoxelOwner.Chimney) Assert.Equal(spec.ChimneyMaterial, m);
                if (owner == VoxelOwner.Windows) Assert.Equal(BlockMaterial.Glass, m);
            }
        }
    }

    [Fact]
    public void TheSameSpecBuildsTheSameBlocksAndDifferentSpecsDiffer()
    {
        var specs = CompositionSamples.Specs.Distinct().ToList();
        var grids = specs.Select(s => CompositionGrammar.Build(s).Blocks).ToList();
        for (int i = 0; i < specs.Count; i++) Assert.Equal(grids[i], CompositionGrammar.Build(specs[i]).Blocks);
        Assert.Equal(specs.Count, grids.Distinct().Count());
    }

    [Fact]
    public void ParamsRoundTripAndInvalidCombinationsAreRefused()
    {
        foreach (var spec in CompositionSamples.Specs.Take(40))
        {
            var p = spec.ToParams().ToDictionary(kv => kv.Key, kv => kv.Value);
            Assert.True(ComposedSpec.TryFromParams(p, out var back, out var error), error);
            Assert.Equal(spec, back);
        }
        var house = new ComposedSpec { Width = 8, Depth = 10, Storeys = 1, Roof = ComposedRoof.Pyramidal, Parts = new HashSet<PartKind>() };
        Assert.False(house.IsValid(out var why));
        Assert.Contains("square", why);
        Assert.False((house with { Roof = ComposedRoof.Pitched, Parts = new HashSet<PartKind> { PartKind.Battlements } }).IsValid());
        Assert.False((house with { Roof = ComposedRoof.Flat, Parts = new HashSet<PartKind> { PartKind.Gate } }).IsValid()); // 8 wide
        Assert.False((house with { Roof = ComposedRoof.Flat, RoofMaterial = BlockMaterial.Glass }).IsValid());
        Assert.False((house with { Roof = ComposedRoof.Flat, Parts = new HashSet<PartKind> { PartKind.Stairs } }).IsValid());
    }

    private static int ConnectedToGround(OccupancyGrid g)
    {
        var seen = new bool[g.Volume];
        var queue = new Queue<(int X, int Y, int Z)>();
        for (int z = 0; z < g.SizeZ; z++)
            for (int x = 0; x < g.SizeX; x++)
                if (g[x, 0, z]) { seen[g.Index(x, 0, z)] = true; queue.Enqueue((x, 0, z)); }
        int n = 0;
        while (queue.Count > 0)
        {
            var (x, y, z) = queue.Dequeue();
            n++;
            foreach (var (a, b, c) in new[] { (x - 1, y, z), (x + 1, y, z), (x, y - 1, z), (x, y + 1, z), (x, y, z - 1), (x, y, z + 1) })
                if (g[a, b, c] && !seen[g.Index(a, b, c)]) { seen[g.Index(a, b, c)] = true; queue.Enqueue((a, b, c)); }
        }
        return n;
    }
}
