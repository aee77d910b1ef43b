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
        Assert.Equal(20, Recipes.All.Count);
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

    [Fact]
    public void Recipe_depth_counts_the_longest_chain_of_recipes_and_pickaxes()
    {
        Assert.Equal(0, Recipes.Depth(Items.OakLog));
        Assert.Equal(0, Recipes.Depth(Items.Dirt));
        Assert.Equal(1, Recipes.Depth(Items.OakPlanks));
        Assert.Equal(2, Recipes.Depth(Items.Stick));
        Assert.Equal(2, Recipes.Depth(Items.CraftingTable));
        Assert.Equal(3, Recipes.Depth(Items.WoodenPickaxe));
        Assert.Equal(3, Recipes.Depth(Items.Chest));
        Assert.Equal(3, Recipes.Depth(Items.Ladder));
        Assert.Equal(4, Recipes.Depth(Items.Cobblestone)); // needs a wooden pickaxe
        Assert.Equal(4, Recipes.Depth(Items.Coal));
        Assert.Equal(5, Recipes.Depth(Items.StonePickaxe));
        Assert.Equal(5, Recipes.Depth(Items.Furnace));
        Assert.Equal(5, Recipes.Depth(Items.Torch));
        Assert.Equal(6, Recipes.Depth(Items.RawIron)); // needs a stone pickaxe
        Assert.Equal(7, Recipes.Depth(Items.IronIngot)); // smelted in a furnace
        Assert.Equal(8, Recipes.Depth(Items.IronPickaxe));
        Assert.Equal(0, Recipes.Depth(Items.Wool)); // from sheep
        Assert.Null(Recipes.Depth("diamond_sword"));
    }

    [Fact]
    public void The_new_recipes_are_minecraft_s()
    {
        var inv = new Inventory(new Dictionary<string, int> { [Items.OakPlanks] = 11, [Items.Stick] = 10, [Items.Cobblestone] = 3, [Items.CraftingTable] = 1 });
        bool Station(string s) => inv.Has(s);
        Assert.True(Recipes.TryCraft(Items.Chest, 1, inv, Station, out int made, out _));
        Assert.Equal(1, made);
        Assert.True(Recipes.TryCraft(Items.Ladder, 1, inv, Station, out made, out _));
        Assert.Equal(3, made);
        Assert.True(Recipes.TryCraft(Items.Bowl, 1, inv, Station, out made, out _));
        Assert.Equal(4, made);
        Assert.True(Recipes.TryCraft(Items.StoneAxe, 1, inv, Station, out _, out _));
        Assert.Equal((0, 1, 0), (inv.Count(Items.OakPlanks), inv.Count(Items.Stick), inv.Count(Items.Cobblestone)));
        Assert.False(Recipes.TryCraft(Items.Ladder, 1, new Inventory(new Dictionary<string, int> { [Items.Stick] = 7 }), NoStation, out _, out string message));
        Assert.Contains("crafting_table", message);
    }
}
