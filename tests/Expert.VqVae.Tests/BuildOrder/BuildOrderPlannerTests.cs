using Expert.VqVae.BuildOrder;
using Expert.VqVae.Rendering;
using Expert.VqVae.Voxels;

namespace Expert.VqVae.Tests.BuildOrder;

public class BuildOrderPlannerTests
{
    /// <summary>Two pillars and a round arch between them with a keystone: no overhang needs scaffold.</summary>
    private static OccupancyGrid Arch()
    {
        var g = new OccupancyGrid(12, 10, 3);
        g.FillBox(1, 0, 1, 2, 5, 1);
        g.FillBox(9, 0, 1, 10, 5, 1);
        g.FillBox(3, 6, 1, 8, 6, 1);
        g.FillBox(2, 6, 1, 2, 7, 1);
        g.FillBox(9, 6, 1, 9, 7, 1);
        g.FillBox(3, 7, 1, 8, 7, 1);
        g.FillBox(5, 8, 1, 6, 8, 1); // keystone
        return g;
    }

    /// <summary>An inverted staircase: each block hangs one lower and one further out than the last.</summary>
    private static OccupancyGrid HangingChain()
    {
        var g = new OccupancyGrid(8, 8, 1);
        g.FillBox(0, 0, 0, 0, 6, 0); // post
        g.FillBox(1, 6, 0, 5, 6, 0); // beam
        g[5, 5, 0] = true; // hangs under the beam's end
        g[5, 4, 0] = true; // hangs under that
        g[6, 4, 0] = true; // and out to the side
        return g;
    }

    private static OccupancyGrid RandomBlob(int seed, int size = 14, double density = 0.35)
    {
        var g = new OccupancyGrid(size);
        var rnd = new Random(seed);
        var centre = (size - 1) / 2.0;
        for (int y = 0; y < size; y++)
            for (int z = 0; z < size; z++)
                for (int x = 0; x < size; x++)
                {
                    double r = Math.Sqrt((x - centre) * (x - centre) + (y - centre) * (y - centre) + (z - centre) * (z - centre));
                    if (r < size / 2.0 && rnd.NextDouble() < density) g[x, y, z] = true;
                }
        return g;
    }

    public static TheoryData<string> Shapes => new() { "house", "pagoda", "arch", "floating", "chain", "blob1", "blob2", "blob3", "empty" };

    private static OccupancyGrid Shape(string name) => name switch
    {
        "house" => SampleBuildings.House(),
        "pagoda" => SampleBuildings.Pagoda(),
        "arch" => Arch(),
        "floating" => FloatingBlock(),
        "chain" => HangingChain(),
        "blob1" => RandomBlob(1),
        "blob2" => RandomBlob(2, 20, 0.5),
        "blob3" => RandomBlob(3, 9, 0.2),
        _ => new OccupancyGrid(6),
    };

    private static OccupancyGrid FloatingBlock()
    {
        var g = new OccupancyGrid(8);
        g.FillBox(0, 0, 0, 3, 0, 3); // a slab on the ground
        g[6, 5, 6] = true; // and a block in mid-air, away from it
        return g;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Plan_IsValid_AndPlacesEveryCellExactlyOnce(string shape)
    {
        var grid = Shape(shape);
        var plan = BuildOrderPlanner.Plan(grid);

        var validation = plan.Validate(grid);
        Assert.True(validation.IsValid, validation.ToString());

        var placed = plan.Steps.Where(s => s.Kind == BuildStepKind.Place).Select(s => s.Position).ToList();
        Assert.Equal(grid.Count(), placed.Count);
        Assert.Equal(placed.Count, placed.Distinct().Count());
        Assert.All(placed, p => Assert.True(grid[p.X, p.Y, p.Z]));
        Assert.Equal(grid.Count(), plan.PlaceCount);
        Assert.Equal(plan.Count, plan.PlaceCount + plan.ScaffoldCount + plan.RemoveCount);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Scaffolds_AreAllRemovedAtTheEnd_TopDown(string shape)
    {
        var grid = Shape(shape);
        var plan = BuildOrderPlanner.Plan(grid);

        Assert.Equal(plan.ScaffoldCount, plan.RemoveCount);
        var removals = plan.Steps.Skip(plan.Count - plan.RemoveCount).ToList();
        Assert.All(removals, s => Assert.Equal(BuildStepKind.Remove, s.Kind));
        Assert.Equal(plan.Scaffolds.Reverse(), removals.Select(s => s.Position));
        Assert.All(plan.Scaffolds, p => Assert.False(grid[p.X, p.Y, p.Z]));
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Placement_IsBottomUp(string shape)
    {
        var grid = Shape(shape);
        var plan = BuildOrderPlanner.Plan(grid);
        int last = 0;
        foreach (var s in plan.Steps)
        {
            Assert.True(s.Layer >= last);
            last = s.Layer;
            if (s.Kind != BuildStepKind.Remove) Assert.True(s.Layer >= s.Y);
        }
    }

    [Fact]
    public void House_EavesHangFromTheRoof_WithoutScaffold()
    {
        var grid = SampleBuildings.House();
        var plan = BuildOrderPlanner.Plan(grid);
        Assert.Equal(0, plan.ScaffoldCount);
        Assert.True(plan.DeferredCount > 0);
        var eave = plan.Steps.First(s => s.IsDeferred);
        Assert.Equal(BuildSupport.Above, eave.Support);
        Assert.Equal(eave.Y + 1, eave.Layer);
    }

    [Fact]
    public void Arch_NeedsNoScaffoldAndNoDeferral()
    {
        var plan = BuildOrderPlanner.Plan(Arch());
        Assert.Equal(0, plan.ScaffoldCount);
        Assert.Equal(0, plan.DeferredCount);
        Assert.All(plan.Steps, s => Assert.Equal(s.Y, s.Layer));
    }

    [Fact]
    public void HangingChain_IsPlacedDownwardsFromTheBeam()
    {
        var plan = BuildOrderPlanner.Plan(HangingChain());
        Assert.Equal(0, plan.ScaffoldCount);
        var deferred = plan.Steps.Where(s => s.IsDeferred).ToList();
        Assert.Equal([new BlockPosition(5, 5, 0), new BlockPosition(5, 4, 0), new BlockPosition(6, 4, 0)], deferred.Select(s => s.Position));
        Assert.Equal([BuildSupport.Above, BuildSupport.Above, BuildSupport.Side], deferred.Select(s => s.Support));
        Assert.All(deferred, s => Assert.Equal(6, s.Layer));
    }

    [Fact]
    public void FloatingBlock_StandsOnAScaffoldColumn()
    {
        var grid = FloatingBlock();
        var plan = BuildOrderPlanner.Plan(grid);
        Assert.Equal(Enumerable.Range(0, 5).Select(y => new BlockPosition(6, y, 6)), plan.Scaffolds);
        var block = plan.Steps.Single(s => s.Position == new BlockPosition(6, 5, 6));
        Assert.Equal(BuildSupport.Below, block.Support);
        Assert.Equal(BuildStepKind.Remove, plan.Steps[^1].Kind);
        Assert.Equal(new BlockPosition(6, 0, 6), plan.Steps[^1].Position);
    }

    [Fact]
    public void DocumentedExample_GivesTheTableInBuildOrderMd()
    {
        // BUILD_ORDER.md's example: a lintel on a post, eaves hanging under its ends, and a block floating
        // beside the lintel's end one layer up. The shortest scaffold is one block touching the lintel.
        var g = new OccupancyGrid(5, 4, 2);
        g.FillBox(2, 0, 1, 2, 1, 1);
        g.FillBox(0, 2, 1, 4, 2, 1);
        g[0, 1, 1] = true;
        g[4, 1, 1] = true;
        g[2, 3, 1] = true;
        g[0, 3, 0] = true;
        var plan = BuildOrderPlanner.Plan(g);
        Assert.True(plan.Validate(g).IsValid);
        BuildStep[] expected =
        [
            new(2, 0, 1, BuildStepKind.Place, 0, BuildSupport.Ground),
            new(2, 1, 1, BuildStepKind.Place, 1, BuildSupport.Below),
            new(2, 2, 1, BuildStepKind.Place, 2, BuildSupport.Below),
            new(1, 2, 1, BuildStepKind.Place, 2, BuildSupport.Side),
            new(3, 2, 1, BuildStepKind.Place, 2, BuildSupport.Side),
            new(0, 2, 1, BuildStepKind.Place, 2, BuildSupport.Side),
            new(4, 2, 1, BuildStepKind.Place, 2, BuildSupport.Side),
            new(0, 2, 0, BuildStepKind.Scaffold, 2, BuildSupport.Side),
            new(0, 1, 1, BuildStepKind.Place, 2, BuildSupport.Above),
            new(4, 1, 1, BuildStepKind.Place, 2, BuildSupport.Above),
            new(0, 3, 0, BuildStepKind.Place, 3, BuildSupport.Below),
            new(2, 3, 1, BuildStepKind.Place, 3, BuildSupport.Below),
            new(0, 2, 0, BuildStepKind.Remove, 4, BuildSupport.None),
        ];
        Assert.Equal(expected, plan.Steps);
        Assert.Equal(2, plan.DeferredCount);
    }

    [Fact]
    public void Layer_GrowsBreadthFirst_XThenZ()
    {
        var g = new OccupancyGrid(3, 1, 3);
        g.FillBox(0, 0, 0, 2, 0, 2);
        var order = BuildOrderPlanner.Plan(g).Steps.Select(s => (s.X, s.Z)).ToList();
        Assert.Equal([(0, 0), (0, 1), (1, 0), (0, 2), (1, 1), (2, 0), (1, 2), (2, 1), (2, 2)], order);
    }

    [Fact]
    public void Plan_IsDeterministic()
    {
        var grid = RandomBlob(7);
        Assert.Equal(BuildOrderPlanner.Plan(grid).Steps, BuildOrderPlanner.Plan(grid).Steps);
    }

    [Fact]
    public void ToText_OneStepALine()
    {
        var g = new OccupancyGrid(2);
        g[0, 0, 0] = true;
        g[0, 1, 0] = true;
        Assert.Equal("place 0 0 0\nplace 0 1 0\n", BuildOrderPlanner.Plan(g).ToText());
    }
}
