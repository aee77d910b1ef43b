using Steve2.Pipeline.Environment;
using Steve2.Pipeline.World;

namespace Steve2.Pipeline.Tests.World;

public sealed class RecipeTests
{
    private static bool NoStation(string _) => false;

    [Fact]
    public void From_logs_to_an_iron_pickaxe()
    {
        var inv = new Inventory(new Dictionary<string, int> { [Items.OakLog] = 3, [Items.Cobblestone] = 8, [Items.RawIron] = 3, [Items.Coal] = 3 });
        bool Station(string s) => inv.Has(s);
        Assert.True(Recipes.TryCraft(Items.OakPlanks, 3, inv, Station, out int made, out _));
        Assert.Equal(12, made);
        Assert.True(Recipes.TryCraft(Items.CraftingTable, 1, inv, Station, out _, out _));
        Assert.True(Recipes.TryCraft(Items.Stick, 2, inv, Station, out _, out _));
        Assert.True(Recipes.TryCraft(Items.Furnace, 1, inv, Station, out _, out _));
        Assert.True(Recipes.TryCraft(Items.IronIngot, 3, inv, Station, out _, out var msg), msg);
        Assert.True(Recipes.TryCraft(Items.IronPickaxe, 1, inv, Station, out _, out msg), msg);
        Assert.Equal(1, inv.Count(Items.IronPickaxe));
        Assert.Equal(0, inv.Count(Items.Coal));
        Assert.Equal(6, inv.Count(Items.Stick));
    }

    [Fact]
    public void Failure_lists_everything_missing_and_changes_nothing()
    {
        var inv = new Inventory(new Dictionary<string, int> { [Items.RawIron] = 2 });
        Assert.False(Recipes.TryCraft(Items.IronIngot, 2, inv, NoStation, out int made, out var message));
        Assert.Equal(0, made);
        Assert.Contains("furnace", message);
        Assert.Contains("2 coal (have 0 of 2)", message);
        Assert.Equal(2, inv.Count(Items.RawIron));
        Assert.False(Recipes.TryCraft("diamond_sword", 1, inv, NoStation, out _, out message));
        Assert.Contains("no recipe", message);
    }

    [Fact]
    public void Every_recipe_makes_something_from_known_items()
    {
        Assert.Equal(11, Recipes.All.Count);
        foreach (var r in Recipes.All.Values)
        {
            Assert.True(r.Count >= 1);
            Assert.NotEmpty(r.Inputs);
            Assert.True(r.Station is null or Items.CraftingTable or Items.Furnace);
        }
        Assert.NotNull(Recipes.For(Items.Glass));
        Assert.NotNull(Recipes.For(Items.Torch));
        Assert.NotNull(Recipes.For(Items.GoldIngot));
    }
}
