using Expert.VqVae.BuildOrder;
using Expert.VqVae.Rendering;
using Expert.VqVae.Voxels;

namespace Expert.VqVae.Tests.BuildOrder;

/// <summary>The validator must fail on every broken rule, or the planner tests prove nothing.</summary>
public class BuildPlanValidationTests
{
    private static OccupancyGrid Tower()
    {
        var g = new OccupancyGrid(3);
        g.FillBox(1, 0, 1, 1, 2, 1);
        return g;
    }

    private static BuildStep Place(int x, int y, int z, int layer, BuildSupport support) => new(x, y, z, BuildStepKind.Place, layer, support);

    private static string Errors(OccupancyGrid grid, params BuildStep[] steps)
    {
        var result = new BuildPlan(grid.SizeX, grid.SizeY, grid.SizeZ, steps).Validate(grid);
        Assert.False(result.IsValid);
        return result.ToString();
    }

    [Fact]
    public void CorrectTower_IsValid()
    {
        var result = new BuildPlan(3, 3, 3, [
            Place(1, 0, 1, 0, BuildSupport.Ground), Place(1, 1, 1, 1, BuildSupport.Below), Place(1, 2, 1, 2, BuildSupport.Below),
        ]).Validate(Tower());
        Assert.True(result.IsValid, result.ToString());
    }

    [Fact]
    public void FloatingPlacement_IsAnError() =>
        Assert.Contains("floats", Errors(Tower(),
            Place(1, 1, 1, 1, BuildSupport.Below), Place(1, 0, 1, 1, BuildSupport.Ground), Place(1, 2, 1, 2, BuildSupport.Below)));

    [Fact]
    public void WrongSupportClaim_IsAnError() =>
        Assert.Contains("claimed support Side", Errors(Tower(),
            Place(1, 0, 1, 0, BuildSupport.Ground), Place(1, 1, 1, 1, BuildSupport.Side), Place(1, 2, 1, 2, BuildSupport.Below)));

    [Fact]
    public void MissingBlock_IsAnError() =>
        Assert.Contains("never placed", Errors(Tower(), Place(1, 0, 1, 0, BuildSupport.Ground), Place(1, 1, 1, 1, BuildSupport.Below)));

    [Fact]
    public void DoublePlacement_IsAnError() =>
        Assert.Contains("already holds", Errors(Tower(),
            Place(1, 0, 1, 0, BuildSupport.Ground), Place(1, 0, 1, 0, BuildSupport.Ground), Place(1, 1, 1, 1, BuildSupport.Below), Place(1, 2, 1, 2, BuildSupport.Below)));

    [Fact]
    public void PlacingIntoAnEmptyCell_IsAnError() =>
        Assert.Contains("grid cell is empty", Errors(Tower(),
            Place(1, 0, 1, 0, BuildSupport.Ground), Place(0, 0, 1, 0, BuildSupport.Ground), Place(1, 1, 1, 1, BuildSupport.Below), Place(1, 2, 1, 2, BuildSupport.Below)));

    [Fact]
    public void ScaffoldLeftStanding_IsAnError() =>
        Assert.Contains("never removed", Errors(Tower(),
            Place(1, 0, 1, 0, BuildSupport.Ground), new BuildStep(0, 0, 1, BuildStepKind.Scaffold, 0, BuildSupport.Ground),
            Place(1, 1, 1, 1, BuildSupport.Below), Place(1, 2, 1, 2, BuildSupport.Below)));

    [Fact]
    public void ScaffoldInAnOccupiedCell_IsAnError() =>
        Assert.Contains("scaffold in an occupied", Errors(Tower(),
            new BuildStep(1, 0, 1, BuildStepKind.Scaffold, 0, BuildSupport.Ground), new BuildStep(1, 0, 1, BuildStepKind.Remove, 3, BuildSupport.None)));

    [Fact]
    public void RemovingWhatIsNotScaffold_IsAnError() =>
        Assert.Contains("no scaffold block", Errors(Tower(),
            Place(1, 0, 1, 0, BuildSupport.Ground), Place(1, 1, 1, 1, BuildSupport.Below), Place(1, 2, 1, 2, BuildSupport.Below),
            new BuildStep(1, 2, 1, BuildStepKind.Remove, 3, BuildSupport.None)));

    [Fact]
    public void DecreasingLayers_AreAnError() =>
        Assert.Contains("must not decrease", Errors(Tower(),
            Place(1, 0, 1, 0, BuildSupport.Ground), Place(1, 1, 1, 2, BuildSupport.Below), Place(1, 2, 1, 1, BuildSupport.Below)));

    [Fact]
    public void PlacingBeforeItsLayer_IsAnError() =>
        Assert.Contains("before its own layer", Errors(Tower(),
            Place(1, 0, 1, 0, BuildSupport.Ground), Place(1, 1, 1, 0, BuildSupport.Below), Place(1, 2, 1, 2, BuildSupport.Below)));

    [Fact]
    public void OutOfBoundsStep_IsAnError() =>
        Assert.Contains("outside the grid", Errors(Tower(),
            Place(1, 0, 1, 0, BuildSupport.Ground), Place(1, 1, 1, 1, BuildSupport.Below), Place(1, 2, 1, 2, BuildSupport.Below), Place(5, 0, 0, 2, BuildSupport.Ground)));

    [Fact]
    public void WrongGridSize_IsAnError()
    {
        var result = new BuildPlan(4, 4, 4, []).Validate(Tower());
        Assert.False(result.IsValid);
        Assert.Contains("4x4x4", result.ToString());
    }

    [Fact]
    public void TamperedPlannerOutput_IsCaught()
    {
        var grid = SampleBuildings.House();
        var steps = BuildOrderPlanner.Plan(grid).Steps.ToList();
        steps.RemoveAt(steps.Count / 2);
        Assert.False(new BuildPlan(grid.SizeX, grid.SizeY, grid.SizeZ, steps).Validate(grid).IsValid);

        var reversed = BuildOrderPlanner.Plan(grid).Steps.Reverse().ToList();
        var result = new BuildPlan(grid.SizeX, grid.SizeY, grid.SizeZ, reversed).Validate(grid);
        Assert.False(result.IsValid);
        Assert.True(result.Errors.Count <= BuildPlanValidation.MaxListed + 1);
    }
}
